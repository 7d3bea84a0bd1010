package io.tidemark.engine.wal;

import java.nio.file.Path;

/**
 * WAL content that recovery cannot cut away as a torn tail and will not guess about: a segment
 * header with the wrong magic, version, checksum, shard or number, or a record whose checksum holds
 * but whose content does not parse. Carries the file, the byte offset and what was expected.
 */
public final class CorruptWalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public CorruptWalException(final Path file, final long offset, final String expected, final String found) {
        super("corrupt WAL file " + file + " at offset=" + offset + ": expected " + expected + ", found " + found);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** Byte offset in the file where the problem was found. */
    public long offset() {
        return offset;
    }
}
