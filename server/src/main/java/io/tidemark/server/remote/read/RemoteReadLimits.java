package io.tidemark.server.remote.read;

/**
 * Limits of one remote read.
 *
 * @param maxSamplesPerQuery samples one query may return before the read fails with 400
 *     ({@code --storage.remote.read-sample-limit} in Prometheus; 0 means no limit)
 * @param maxFrameBytes bytes of chunk data (plus labels) after which a streamed frame is cut, as
 *     {@code --storage.remote.read-max-bytes-in-frame}; a frame may exceed it by up to one chunk
 * @param maxDecompressedRequestBytes the largest request body after snappy decompression (Prometheus: 32 MiB)
 */
public record RemoteReadLimits(long maxSamplesPerQuery, int maxFrameBytes, int maxDecompressedRequestBytes) {
    /** Prometheus' defaults: 50 million samples, 1 MiB frames, 32 MiB requests. */
    public static final RemoteReadLimits DEFAULTS = new RemoteReadLimits(50_000_000L, 1 << 20, 32 << 20);

    /** Checks the limits. */
    public RemoteReadLimits {
        if (maxSamplesPerQuery < 0 || maxFrameBytes <= 0 || maxDecompressedRequestBytes <= 0) {
            throw new IllegalArgumentException("maxSamplesPerQuery=" + maxSamplesPerQuery + " maxFrameBytes="
                + maxFrameBytes + " maxDecompressedRequestBytes=" + maxDecompressedRequestBytes);
        }
    }
}
