package io.tidemark.codecs.chunk;

/**
 * A chunk that cannot be decoded: truncated, damaged, or of an encoding this build does not know.
 * The message says where (byte offset within the chunk) and what was expected.
 */
public final class CorruptChunkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    public CorruptChunkException(final long offset, final String problem) {
        super("corrupt chunk at offset=" + offset + ": " + problem);
        this.offset = offset;
    }

    /** Byte offset within the chunk where the problem was found. */
    public long offset() {
        return offset;
    }
}
