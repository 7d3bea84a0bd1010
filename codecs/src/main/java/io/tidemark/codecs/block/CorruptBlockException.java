package io.tidemark.codecs.block;

/** A compressed block that cannot be decompressed to what its metadata promised. */
public final class CorruptBlockException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptBlockException(final String problem) {
        super("corrupt block: " + problem);
    }
}
