package io.tidemark.memory;

/**
 * Thrown when an allocation would take native memory past a configured limit. The database stays
 * usable: nothing was allocated, and the caller decides whether to refuse the write, flush or shed load.
 */
public final class NativeMemoryLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final MemoryTag tag;
    private final long requestedBytes;

    NativeMemoryLimitException(final MemoryTag tag, final long requestedBytes, final String detail) {
        super("native memory limit reached: tag=" + tag + " requestedBytes=" + requestedBytes + ' ' + detail);
        this.tag = tag;
        this.requestedBytes = requestedBytes;
    }

    /** The tag the refused allocation was for. */
    public MemoryTag tag() {
        return tag;
    }

    /** The size of the refused allocation in bytes. */
    public long requestedBytes() {
        return requestedBytes;
    }
}
