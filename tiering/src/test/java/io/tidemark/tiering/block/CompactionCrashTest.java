package io.tidemark.tiering.block;

import static io.tidemark.tiering.block.CompactionModel.chunk;
import static io.tidemark.tiering.block.CompactionModel.times;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compaction as the engine runs it (write the merged block, then delete each parent) dying at
 * each file operation in turn: after the crash, {@link BlockDirectory#open} lists either every
 * parent or the merged block alone, and the samples are the same either way.
 */
class CompactionCrashTest {
    private static final long HOUR = 3_600_000;

    @TempDir
    Path root;

    /** Counts operations; at operation {@code crashAt} and every one after it, fails: the process is dead. */
    private static final class CrashingFileSystem implements BlockFileSystem {
        private final int crashAt;
        private int operations;
        private final List<String> log = new ArrayList<>();

        CrashingFileSystem(final int crashAt) {
            this.crashAt = crashAt;
        }

        private void step(final String what) throws IOException {
            operations++;
            log.add(what);
            if (crashAt > 0 && operations >= crashAt) {
                throw new IOException("injected crash at operation " + crashAt + " (" + what + ")");
            }
        }

        @Override
        public FileChannel create(final Path file) throws IOException {
            step("create " + file.getFileName());
            return BlockFileSystem.super.create(file);
        }

        @Override
        public void sync(final FileChannel channel) throws IOException {
            step("sync");
            BlockFileSystem.super.sync(channel);
        }

        @Override
        public void syncDirectory(final Path directory) throws IOException {
            step("sync directory " + directory.getFileName());
            BlockFileSystem.super.syncDirectory(directory);
        }

        @Override
        public void moveAtomically(final Path from, final Path to) throws IOException {
            step("rename " + from.getFileName() + " " + to.getFileName());
            BlockFileSystem.super.moveAtomically(from, to);
        }

        @Override
        public void deleteTree(final Path tree) throws IOException {
            step("delete " + tree.getFileName());
            BlockFileSystem.super.deleteTree(tree);
        }
    }

    /** Three adjacent blocks and one overlapping them, in {@code dir}; returns the model. */
    private static CompactionModel parents(final Path dir) throws IOException {
        final CompactionModel model = new CompactionModel();
        for (int window = 0; window < 4; window++) {
            final Map<String[], List<SeriesFixture.Chunk>> series = new LinkedHashMap<>();
            final long from = window == 3 ? 5 * HOUR : window * 2 * HOUR; // the last overlaps the third
            for (int s = 0; s < 40; s++) {
                series.put(new String[] {"__name__", "up", "instance", "host-" + s},
                    List.of(chunk(times(from, from + 2 * HOUR, 30_000), window)));
            }
            model.addBlock(dir, series, BlockWriterOptions.defaults().withPageBytes(1024).withChunkFileBytes(8 << 10));
        }
        return model;
    }

    /** Runs the compaction of every block in {@code dir} with {@code files}; returns the merged block's id. */
    private static BlockId compactAndDeleteParents(final NativeAllocator allocator, final Path dir, final BlockFileSystem files)
        throws IOException {
        final List<BlockReader> inputs = new ArrayList<>();
        try {
            for (final BlockId id : BlockDirectory.open(dir).blocks()) {
                inputs.add(BlockReader.open(allocator, dir.resolve(id.toString())));
            }
            inputs.sort((a, b) -> Long.compare(a.meta().minTime(), b.meta().minTime()));
            final Path merged;
            try (BlockCompactor compactor = new BlockCompactor(allocator,
                BlockWriterOptions.defaults().withPageBytes(1024).withChunkFileBytes(8 << 10).withFiles(files), 120)) {
                merged = compactor.compact(dir, inputs);
            }
            for (final BlockReader input : inputs) {
                BlockDirectory.deleteBlock(files, dir, input.meta().id());
            }
            return BlockId.parse(merged.getFileName().toString());
        } finally {
            inputs.forEach(BlockReader::close);
        }
    }

    @Test
    void shouldLeaveEitherTheParentsOrTheMergedBlockWhenACompactionDiesAtAnyStep() throws IOException {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        final Path pristine = root.resolve("pristine");
        final CompactionModel model = parents(Files.createDirectories(pristine));
        final Set<BlockId> parentIds = Set.copyOf(BlockDirectory.open(pristine).blocks());
        final CrashingFileSystem clean = new CrashingFileSystem(0);
        final Path reference = copy(pristine, root.resolve("reference"));
        final BlockId mergedId = compactAndDeleteParents(allocator, reference, clean);
        assertThat(BlockDirectory.open(reference).blocks()).containsExactly(mergedId);
        final int steps = clean.operations;
        assertThat(clean.log).as("the merged block is written, renamed, then each parent renamed and deleted")
            .contains("rename " + mergedId + ".tmp " + mergedId);
        int sawParents = 0;
        int sawMerged = 0;
        for (int crashAt = 1; crashAt <= steps; crashAt++) {
            final Path dir = copy(pristine, root.resolve("crash-" + crashAt));
            final int at = crashAt;
            assertThatThrownBy(() -> compactAndDeleteParents(allocator, dir, new CrashingFileSystem(at)))
                .as("step %d: %s", crashAt, clean.log.get(crashAt - 1)).hasMessageContaining("injected crash");
            final BlockDirectory reopened = BlockDirectory.open(dir);
            final Set<BlockId> visible = Set.copyOf(reopened.blocks());
            assertThat(visible.size() == 1 && !parentIds.containsAll(visible) || visible.equals(parentIds))
                .as("step %d (%s): blocks %s are the parents or the merged block alone", crashAt, clean.log.get(crashAt - 1), visible)
                .isTrue();
            if (visible.equals(parentIds)) {
                sawParents++;
            } else {
                sawMerged++;
            }
            try (Stream<Path> left = Files.list(dir)) {
                assertThat(left.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
                    .as("nothing but complete blocks left").isEqualTo(visible.stream().map(BlockId::toString).collect(Collectors.toSet()));
            }
            final List<BlockReader> readers = new ArrayList<>();
            try {
                for (final BlockId id : reopened.blocks()) {
                    readers.add(BlockReader.open(allocator, dir.resolve(id.toString())));
                }
                readers.sort((a, b) -> Long.compare(a.meta().minTime(), b.meta().minTime()));
                final Map<String, TreeMap<Long, Long>> samples = CompactionModel.read(readers);
                CompactionModel.assertSameSamples(samples, model.expected, "step " + crashAt);
            } finally {
                readers.forEach(BlockReader::close);
            }
        }
        System.out.println("CompactionCrashTest steps=" + steps + " parentsVisible=" + sawParents + " mergedVisible=" + sawMerged);
        assertThat(sawParents).as("crashes before the rename").isPositive();
        assertThat(sawMerged).as("crashes after the rename").isPositive();
        allocator.assertNoLeaks();
    }

    @Test
    void shouldKeepTheParentsWhenTheMergedBlocksMetaOrParentsFileIsDamaged() throws IOException {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        final Path pristine = Files.createDirectories(root.resolve("pristine"));
        parents(pristine);
        final Set<BlockId> parentIds = Set.copyOf(BlockDirectory.open(pristine).blocks());
        final BlockFileSystem diesBeforeDeletingParents = new BlockFileSystem() {
            @Override
            public void moveAtomically(final Path from, final Path to) throws IOException {
                if (to.getFileName().toString().endsWith(BlockLayout.DELETING_SUFFIX)) {
                    throw new IOException("injected crash before deleting parents");
                }
                BlockFileSystem.super.moveAtomically(from, to);
            }
        };
        for (final String damaged : List.of(BlockLayout.META_FILE, BlockLayout.PARENTS_FILE)) {
            final Path dir = copy(pristine, root.resolve("damaged-" + damaged));
            assertThatThrownBy(() -> compactAndDeleteParents(allocator, dir, diesBeforeDeletingParents))
                .hasMessageContaining("injected crash");
            final BlockId merged = BlockDirectory.open(copy(dir, root.resolve("undamaged-" + damaged))).blocks().getFirst();
            final Path file = dir.resolve(merged.toString()).resolve(damaged);
            final byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 6] ^= 0x10;
            Files.write(file, bytes);
            final BlockDirectory reopened = BlockDirectory.open(dir);
            assertThat(reopened.supersededBlocksDeleted()).as("damaged %s: nothing deleted", damaged).isZero();
            assertThat(reopened.blocks()).as("damaged %s: the parents stay", damaged).containsAll(parentIds).contains(merged);
        }
        allocator.assertNoLeaks();
    }

    private static Path copy(final Path from, final Path to) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (final Path source : tree.toList()) {
                final Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return to;
    }
}
