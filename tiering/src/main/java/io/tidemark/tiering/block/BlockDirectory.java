package io.tidemark.tiering.block;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The directory that holds a tier's blocks, one subdirectory per block named by its {@link BlockId}.
 * {@link #open} deletes what an interrupted {@link BlockWriter} left behind ({@code <id>.tmp}
 * directories: a crash before the rename means the block was never written) and lists the
 * complete blocks. Other entries are left alone and not listed.
 */
public final class BlockDirectory {
    private static final Logger LOG = Logger.getLogger(BlockDirectory.class.getName());

    private final Path root;
    private final List<BlockId> blocks;
    private final int temporaryDeleted;

    private BlockDirectory(final Path root, final List<BlockId> blocks, final int temporaryDeleted) {
        this.root = root;
        this.blocks = blocks;
        this.temporaryDeleted = temporaryDeleted;
    }

    /** Creates {@code root} if needed, deletes leftover temporary blocks, lists the blocks. Not concurrent with writers. */
    public static BlockDirectory open(final Path root) throws IOException {
        Files.createDirectories(root);
        final List<BlockId> blocks = new ArrayList<>();
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (final Path entry : entries) {
                final String name = entry.getFileName().toString();
                if (name.endsWith(BlockLayout.TEMPORARY_SUFFIX)
                    && BlockId.parse(name.substring(0, name.length() - BlockLayout.TEMPORARY_SUFFIX.length())) != null) {
                    LOG.log(Level.WARNING, "deleting unfinished block {0}", entry);
                    deleteRecursively(entry);
                    deleted++;
                } else if (Files.isDirectory(entry) && BlockId.parse(name) != null) {
                    blocks.add(BlockId.parse(name));
                }
            }
        }
        if (deleted > 0) {
            BlockFileSystem.DEFAULT.syncDirectory(root);
        }
        blocks.sort(null);
        return new BlockDirectory(root, List.copyOf(blocks), deleted);
    }

    /** The directory. */
    public Path root() {
        return root;
    }

    /** Complete blocks found by {@link #open}, oldest id first. */
    public List<BlockId> blocks() {
        return blocks;
    }

    /** The directory of a block. */
    public Path blockPath(final BlockId id) {
        return root.resolve(id.toString());
    }

    /** How many unfinished blocks {@link #open} deleted. */
    public int temporaryBlocksDeleted() {
        return temporaryDeleted;
    }

    /** Deletes a file tree, deepest entries first; a missing tree is not an error. */
    static void deleteRecursively(final Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes) throws IOException {
                delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path directory, final IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void delete(final Path path) throws IOException {
        try {
            Files.delete(path);
        } catch (final NoSuchFileException ignored) {
            // already gone
        }
    }
}
