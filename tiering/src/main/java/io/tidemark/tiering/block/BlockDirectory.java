package io.tidemark.tiering.block;

import io.tidemark.codecs.block.CorruptBlockException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The directory that holds a tier's blocks, one subdirectory per block named by its {@link BlockId}.
 * {@link #open} finishes what a crash interrupted and lists the complete blocks:
 * <ul>
 *   <li>{@code <id>.tmp} directories (an interrupted {@link BlockWriter}: the block was never
 *       written) and {@code <id>.deleting} directories (an interrupted {@link #deleteBlock}) are
 *       deleted;</li>
 *   <li>a complete block whose {@code parents} file ({@link BlockParents}) names blocks still
 *       present supersedes them (a crash between a compaction's rename and the deletion of its
 *       inputs): they are deleted, so the old blocks and the new one are never both listed.</li>
 * </ul>
 * Other entries are left alone and not listed.
 */
public final class BlockDirectory {
    private static final Logger LOG = Logger.getLogger(BlockDirectory.class.getName());

    private final Path root;
    private final List<BlockId> blocks;
    private final int temporaryDeleted;
    private final int supersededDeleted;

    private BlockDirectory(final Path root, final List<BlockId> blocks, final int temporaryDeleted, final int supersededDeleted) {
        this.root = root;
        this.blocks = blocks;
        this.temporaryDeleted = temporaryDeleted;
        this.supersededDeleted = supersededDeleted;
    }

    /** {@link #open(Path, BlockFileSystem)} on the real file system. */
    public static BlockDirectory open(final Path root) throws IOException {
        return open(root, BlockFileSystem.DEFAULT);
    }

    /**
     * Creates {@code root} if needed, deletes leftover temporary and half-deleted blocks and the
     * parents of complete compacted blocks, and lists the blocks. Not concurrent with writers.
     */
    public static BlockDirectory open(final Path root, final BlockFileSystem files) throws IOException {
        Files.createDirectories(root);
        final List<BlockId> found = new ArrayList<>();
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (final Path entry : entries) {
                final String name = entry.getFileName().toString();
                if (isLeftover(name, BlockLayout.TEMPORARY_SUFFIX) || isLeftover(name, BlockLayout.DELETING_SUFFIX)) {
                    LOG.log(Level.WARNING, "deleting unfinished block {0}", entry);
                    files.deleteTree(entry);
                    deleted++;
                } else if (Files.isDirectory(entry) && BlockId.parse(name) != null) {
                    found.add(BlockId.parse(name));
                }
            }
        }
        if (deleted > 0) {
            files.syncDirectory(root);
        }
        final Set<BlockId> superseded = new HashSet<>();
        for (final BlockId id : found) {
            superseded.addAll(supersededBy(root.resolve(id.toString())));
        }
        superseded.retainAll(found);
        final List<BlockId> blocks = new ArrayList<>(found);
        for (final BlockId parent : superseded) {
            LOG.log(Level.WARNING, "deleting block {0}: a compacted block replaces it", parent);
            deleteBlock(files, root, parent);
            blocks.remove(parent);
        }
        blocks.sort(null);
        return new BlockDirectory(root, List.copyOf(blocks), deleted, superseded.size());
    }

    private static boolean isLeftover(final String name, final String suffix) {
        return name.endsWith(suffix) && BlockId.parse(name.substring(0, name.length() - suffix.length())) != null;
    }

    /**
     * The parents a complete block replaces. Only a block whose meta file checks out counts: a
     * damaged one will not be opened, so its parents must stay. A damaged parents file is logged and
     * replaces nothing (the blocks then overlap, which readers and compaction handle).
     */
    private static List<BlockId> supersededBy(final Path block) throws IOException {
        if (!Files.exists(block.resolve(BlockLayout.PARENTS_FILE))) {
            return List.of();
        }
        try {
            final Path metaFile = block.resolve(BlockLayout.META_FILE);
            BlockMeta.decode(metaFile, MemorySegment.ofArray(Files.readAllBytes(metaFile)));
            return BlockParents.read(block);
        } catch (final CorruptBlockException | NoSuchFileException e) {
            LOG.log(Level.WARNING, "block {0} is damaged; the blocks it would replace are kept: {1}",
                new Object[] {block, e.getMessage()});
            return List.of();
        }
    }

    /**
     * Deletes block {@code id} of {@code root}: renames it to {@code <id>.deleting} (atomic, so it
     * is never listed half-deleted), makes the rename durable, then deletes the tree. A missing
     * block is not an error.
     */
    public static void deleteBlock(final BlockFileSystem files, final Path root, final BlockId id) throws IOException {
        final Path block = root.resolve(id.toString());
        final Path deleting = root.resolve(id + BlockLayout.DELETING_SUFFIX);
        if (!Files.exists(block)) {
            return;
        }
        files.moveAtomically(block, deleting);
        files.syncDirectory(root);
        files.deleteTree(deleting);
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

    /** How many unfinished (temporary or half-deleted) blocks {@link #open} deleted. */
    public int temporaryBlocksDeleted() {
        return temporaryDeleted;
    }

    /** How many blocks {@link #open} deleted because a compacted block replaces them. */
    public int supersededBlocksDeleted() {
        return supersededDeleted;
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
