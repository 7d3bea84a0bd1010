package io.tidemark.engine.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link WalWriter} could not hand records to the OS, or could not create its next segment,
 * because the file system is out of space ({@code ENOSPC}) or the user is over quota
 * ({@code EDQUOT}). Unlike other I/O errors this does not fail the writer: nothing after the last
 * successful {@code write(2)} was acknowledged, the records not written stay in the writer's buffer,
 * and {@link WalWriter#resume()} writes them once space returns. A failed {@code fsync} is never
 * reported as this (it is fatal whatever its errno).
 */
public final class WalDiskFullException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final int shard;

    WalDiskFullException(final Path directory, final int shard, final IOException cause) {
        super("disk full: WAL of shard " + shard + " in " + directory + " cannot write: " + cause.getMessage(), cause);
        this.directory = directory;
        this.shard = shard;
    }

    /** The WAL directory that could not be written. */
    public Path directory() {
        return directory;
    }

    /** The shard whose WAL it is. */
    public int shard() {
        return shard;
    }

    /**
     * Whether {@code error} (or one of its causes) says the file system is out of space or quota. The
     * JDK does not expose {@code errno}; it puts the system's message ({@code strerror}) in the
     * exception, which is what this matches.
     */
    public static boolean isOutOfSpace(final Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof WalDiskFullException) {
                return true;
            }
            final String message = t.getMessage();
            if (message != null && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
