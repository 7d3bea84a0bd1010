package io.tidemark.server.remote;

/**
 * Limits on one remote-write request.
 *
 * @param maxDecompressedBytes most bytes a body may declare it decompresses to; more is refused before
 *                             decompressing (Prometheus senders batch 2,000 samples by default, well under 1 MB)
 * @param maxLabelsPerSeries   most labels in one series; a series with more is skipped and reported
 *                             (Mimir's default is 30; VictoriaMetrics 1.79 truncates past 30)
 */
public record RemoteWriteLimits(long maxDecompressedBytes, int maxLabelsPerSeries) {
    /** 32 MiB decompressed (as Mimir's default request limit), 256 labels per series. */
    public static final RemoteWriteLimits DEFAULT = new RemoteWriteLimits(32L << 20, 256);

    /** Checks the limits. */
    public RemoteWriteLimits {
        if (maxDecompressedBytes <= 0 || maxDecompressedBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxDecompressedBytes must be in 1..2^31-1: maxDecompressedBytes=" + maxDecompressedBytes);
        }
        if (maxLabelsPerSeries <= 0 || maxLabelsPerSeries > io.tidemark.index.series.LabelSetLayout.MAX_LABELS) {
            throw new IllegalArgumentException("maxLabelsPerSeries must be in 1..65535: maxLabelsPerSeries=" + maxLabelsPerSeries);
        }
    }

    /** These limits with another decompressed size limit. */
    public RemoteWriteLimits withMaxDecompressedBytes(final long bytes) {
        return new RemoteWriteLimits(bytes, maxLabelsPerSeries);
    }

    /** These limits with another limit of labels per series. */
    public RemoteWriteLimits withMaxLabelsPerSeries(final int labels) {
        return new RemoteWriteLimits(maxDecompressedBytes, labels);
    }
}
