package io.tidemark.codecs.block;

import java.nio.file.Path;

/**
 * Persisted block data that is not what its format promised: a compressed unit that does not
 * decompress to its declared length, or a block file whose magic, version, bounds or CRC32C is
 * wrong. When the damage is in a file, {@link #file()} and {@link #offset()} say where.
 */
public final class CorruptBlockException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@link #offset()} when the problem is not tied to a file position. */
    public static final long NO_OFFSET = -1;

    private final transient Path file;
    private final long offset;

    public CorruptBlockException(final String problem) {
        super("corrupt block: " + problem);
        this.file = null;
        this.offset = NO_OFFSET;
    }

    /** Damage at byte {@code offset} of {@code file}; {@code cause} may be null. */
    public CorruptBlockException(final Path file, final long offset, final String problem, final Throwable cause) {
        super("corrupt block file " + file + " at offset=" + offset + ": " + problem, cause);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file, or null when the problem was found in memory. */
    public Path file() {
        return file;
    }

    /** Byte offset in {@link #file()} where the damage was found, or {@link #NO_OFFSET}. */
    public long offset() {
        return offset;
    }
}
