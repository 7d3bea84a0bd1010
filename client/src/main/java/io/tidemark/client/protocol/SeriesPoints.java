package io.tidemark.client.protocol;

/**
 * One series of a vector or matrix result: labels, then its points in columns.
 *
 * @param labels     names and values alternating
 * @param timestamps milliseconds
 * @param values     values, bit patterns kept
 */
public record SeriesPoints(String[] labels, long[] timestamps, double[] values) {
    /** Bytes this series takes in a QUERY_RESULT frame. */
    public long encodedBytes() {
        long bytes = 2 + 4 + 16L * timestamps.length;
        for (final String text : labels) {
            bytes += 2 + (long) text.length() * 3; // an upper bound: UTF-8 takes at most 3 bytes per char
        }
        return bytes;
    }
}
