package io.tidemark.server.tcp;

/**
 * What one binary-protocol connection may use, as WELCOME announces it (docs/protocol.md).
 *
 * @param maxFrameBytes      the frame limit after WELCOME, both ways
 * @param credits            samples a client may have in flight
 * @param maxSeriesHandles   handles are below this
 * @param maxInFlightWrites  WRITEs a client may have unanswered (rounded up to a power of two for the ring)
 * @param idleTimeoutMillis  a connection silent this long is closed
 * @param maxLabelsPerSeries labels one REGISTER entry may have
 * @param maxSelectSamples   samples one SELECT may return
 */
public record TcpLimits(int maxFrameBytes, int credits, int maxSeriesHandles, int maxInFlightWrites, int idleTimeoutMillis,
                        int maxLabelsPerSeries, long maxSelectSamples) {
    /** The defaults docs/protocol.md names. */
    public static final TcpLimits DEFAULT = new TcpLimits(1 << 20, 65_536, 1 << 20, 256, 30_000, 256, 50_000_000L);

    /** Checks the ranges. */
    public TcpLimits {
        if (maxFrameBytes < io.tidemark.client.protocol.Protocol.HANDSHAKE_MAX_FRAME_BYTES || maxFrameBytes > 64 << 20) {
            throw new IllegalArgumentException("maxFrameBytes must be 64 KiB to 64 MiB, not " + maxFrameBytes);
        }
        if (credits < 1 || maxSeriesHandles < 1 || maxInFlightWrites < 1 || maxInFlightWrites > 1 << 16
            || idleTimeoutMillis < 100 || maxLabelsPerSeries < 1 || maxSelectSamples < 1) {
            throw new IllegalArgumentException("TCP limits out of range: " + this);
        }
    }

    /** These limits with other credits. */
    public TcpLimits withCredits(final int samples) {
        return new TcpLimits(maxFrameBytes, samples, maxSeriesHandles, maxInFlightWrites, idleTimeoutMillis,
            maxLabelsPerSeries, maxSelectSamples);
    }
}
