package io.tidemark.tiering.block;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file operations a {@link BlockWriter}, the {@link BlockCompactor} and block deletion make, so that tests can inject failures at each step
 * (the QuestDB {@code FilesFacade} idea). {@link #DEFAULT} is the real file system.
 */
public interface BlockFileSystem {
    /** The real file system. */
    BlockFileSystem DEFAULT = new BlockFileSystem() {
    };

    /** Creates {@code file}, which must not exist, for writing. */
    default FileChannel create(final Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Writes the file's data and metadata to the device and waits for it. */
    default void sync(final FileChannel channel) throws IOException {
        channel.force(true);
    }

    /** Makes the entries of {@code directory} durable (fsync of the directory). */
    default void syncDirectory(final Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Renames {@code from} to {@code to} atomically; {@code to} must not exist. */
    default void moveAtomically(final Path from, final Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes a file tree, deepest entries first; a missing tree is not an error. */
    default void deleteTree(final Path tree) throws IOException {
        BlockDirectory.deleteRecursively(tree);
    }
}
