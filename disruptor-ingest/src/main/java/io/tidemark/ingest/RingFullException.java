package io.tidemark.ingest;

/**
 * A shard's ring had no room for a batch within the configured wait: the write was not accepted and
 * nothing of it was published. Callers may retry later; a server answers 503 or 429.
 */
public final class RingFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RingFullException(final int shard, final int ringSize, final long waitedNanos) {
        super("ingest ring of shard " + shard + " is full (" + ringSize + " batches) after waiting "
            + waitedNanos / 1_000_000 + " ms: the shard cannot keep up; write refused, nothing of it stored");
    }
}
