package io.tidemark.server.imports;

/**
 * Limits on what one import body may hold, so that bad input cannot take unbounded memory.
 *
 * @param maxLineBytes         longest line (a JSON line holds a whole series' samples)
 * @param maxLabelsPerSeries   most labels of one series, {@code __name__} included
 * @param maxLabelBytes        longest label name or value, bytes
 * @param maxSamplesPerLine    most samples on one JSON line
 */
public record ImportLimits(int maxLineBytes, int maxLabelsPerSeries, int maxLabelBytes, int maxSamplesPerLine) {
    /** 64 MiB lines, 256 labels of up to 16 KiB, 10M samples per line. */
    public static final ImportLimits DEFAULT = new ImportLimits(64 << 20, 256, 16 << 10, 10_000_000);

    /** Checks that every limit is positive. */
    public ImportLimits {
        if (maxLineBytes < 1 || maxLabelsPerSeries < 1 || maxLabelBytes < 1 || maxSamplesPerLine < 1) {
            throw new IllegalArgumentException("import limits must be positive: " + maxLineBytes + ", " + maxLabelsPerSeries
                + ", " + maxLabelBytes + ", " + maxSamplesPerLine);
        }
    }
}
