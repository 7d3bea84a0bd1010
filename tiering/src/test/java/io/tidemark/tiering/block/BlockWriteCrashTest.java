package io.tidemark.tiering.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BlockWriteCrashTest {
    /** Where the injected failure happens. */
    enum Step { CREATE_INDEX, CREATE_SECOND_CHUNK_FILE, SYNC_CHUNK_FILE, CREATE_META, SYNC_DIRECTORY, RENAME }

    /** Fails with an IOException at one step, as a full disk or a failing device would. */
    private static final class FailingFileSystem implements BlockFileSystem {
        private final Step step;

        FailingFileSystem(final Step step) {
            this.step = step;
        }

        @Override
        public FileChannel create(final Path file) throws IOException {
            final String name = file.getFileName().toString();
            if (step == Step.CREATE_INDEX && name.equals(BlockLayout.INDEX_FILE)
                || step == Step.CREATE_SECOND_CHUNK_FILE && name.equals(BlockLayout.chunkFileName(2))
                || step == Step.CREATE_META && name.equals(BlockLayout.META_FILE)) {
                throw new IOException("injected: create " + file);
            }
            return BlockFileSystem.super.create(file);
        }

        @Override
        public void sync(final FileChannel channel) throws IOException {
            if (step == Step.SYNC_CHUNK_FILE) {
                throw new IOException("injected: fsync");
            }
            BlockFileSystem.super.sync(channel);
        }

        @Override
        public void syncDirectory(final Path directory) throws IOException {
            if (step == Step.SYNC_DIRECTORY) {
                throw new IOException("injected: fsync " + directory);
            }
            BlockFileSystem.super.syncDirectory(directory);
        }

        @Override
        public void moveAtomically(final Path from, final Path to) throws IOException {
            if (step == Step.RENAME) {
                throw new IOException("injected: rename " + from);
            }
            BlockFileSystem.super.moveAtomically(from, to);
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Step.class)
    void shouldNeverExposeABlockWhenAWriteStepFails(final Step step) throws IOException {
        try (SeriesFixture fixture = fixture(400)) {
            final BlockWriterOptions options = BlockWriterOptions.defaults().withPageBytes(1024).withChunkFileBytes(16 << 10)
                .withFiles(new FailingFileSystem(step));
            assertThatThrownBy(() -> fixture.write(dir, options)).isInstanceOf(IOException.class).hasMessageContaining("injected");
            assertThat(dir).as("nothing left after a failed write").isEmptyDirectory();
            assertThat(BlockDirectory.open(dir).blocks()).isEmpty();
        }
    }

    @Test
    void shouldDeleteTheTemporaryDirectoryOfACrashedWriteOnOpen() throws IOException {
        try (SeriesFixture fixture = fixture(50)) {
            final Path complete = fixture.write(dir, BlockWriterOptions.defaults());
            // a crash mid-write: the writer is neither finished nor closed (its memory is freed at the end of the test)
            final BlockWriter crashed = BlockWriter.create(fixture.allocator, dir, BlockWriterOptions.defaults().withPageBytes(64));
            crashed.startSeries("a", "b");
            final Path temporary = dir.resolve(crashed.id() + BlockLayout.TEMPORARY_SUFFIX);
            assertThat(temporary.resolve(BlockLayout.INDEX_FILE)).exists();
            assertThat(dir.resolve(crashed.id().toString())).doesNotExist();
            Files.createDirectories(dir.resolve("not-a-block"));

            final BlockDirectory blocks = BlockDirectory.open(dir);
            assertThat(blocks.temporaryBlocksDeleted()).isEqualTo(1);
            assertThat(temporary).doesNotExist();
            assertThat(blocks.blocks()).containsExactly(BlockId.parse(complete.getFileName().toString()));
            assertThat(dir.resolve("not-a-block")).exists();
            try (BlockReader reader = BlockReader.open(fixture.allocator, blocks.blockPath(blocks.blocks().getFirst()))) {
                fixture.assertMatches(reader);
            }
            crashed.close();
        }
    }

    @Test
    void shouldKeepBlockIdsSortableByCreationTime() {
        final BlockId older = BlockId.generate(1_000);
        final BlockId newer = BlockId.generate(2_000);
        assertThat(older.toString()).isLessThan(newer.toString());
        assertThat(older).isLessThan(newer);
        assertThat(BlockId.parse(newer.toString())).isEqualTo(newer);
        assertThat(BlockId.parse(newer.toString()).timeMillis()).isEqualTo(2_000);
        assertThat(BlockId.parse("not-an-id")).isNull();
    }

    private static SeriesFixture fixture(final int series) {
        final SeriesFixture fixture = new SeriesFixture();
        for (int s = 0; s < series; s++) {
            final long[] timestamps = new long[60];
            final double[] values = new double[60];
            for (int i = 0; i < 60; i++) {
                timestamps[i] = i * 15_000L;
                values[i] = Math.sin(s + i) * 1e6;
            }
            fixture.add(new String[] {"__name__", "up", "instance", "host-" + s}, List.of(new SeriesFixture.Chunk(timestamps, values)));
        }
        return fixture;
    }
}
