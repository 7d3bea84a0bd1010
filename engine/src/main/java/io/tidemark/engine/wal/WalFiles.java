package io.tidemark.engine.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Every file operation of the WAL that changes what is on disk, as one facade so tests can observe
 * and fail them (the QuestDB {@code FilesFacade} idea). {@link #SYSTEM} does the real thing; a test
 * overrides single methods. Implementations must be thread-safe when several shards share one.
 */
public interface WalFiles {
    /** The operating system's files. */
    WalFiles SYSTEM = new WalFiles() {
    };

    /** Creates {@code path}, which must not exist, for writing. */
    default FileChannel create(final Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Writes some of {@code source} at the channel's position, as {@link FileChannel#write(ByteBuffer)}. */
    default int write(final FileChannel channel, final ByteBuffer source) throws IOException {
        return channel.write(source);
    }

    /** Forces the file's data to the device ({@code fdatasync}). */
    default void force(final FileChannel channel) throws IOException {
        final long started = System.nanoTime();
        channel.force(false);
        WalFsyncLatency.record(System.nanoTime() - started);
    }

    /** Forces a directory, so that files created, renamed or deleted in it stay so. */
    default void forceDirectory(final Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Renames {@code source} to {@code target} atomically, replacing {@code target}. */
    default void rename(final Path source, final Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes a file if it exists. */
    default void delete(final Path path) throws IOException {
        Files.deleteIfExists(path);
    }

    /** Cuts a file to {@code bytes} and forces it. */
    default void truncate(final Path path, final long bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(bytes);
            channel.force(true);
        }
    }
}
