package io.tidemark.codecs.prometheus;

/** A Prometheus XOR chunk that does not decode: truncated, or with more samples than its bytes hold. */
public final class PrometheusChunkFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error that says where the chunk broke and what was expected there. */
    public PrometheusChunkFormatException(final String message) {
        super(message);
    }
}
