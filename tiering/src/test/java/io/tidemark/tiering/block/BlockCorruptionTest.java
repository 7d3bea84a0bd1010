package io.tidemark.tiering.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.codecs.block.CorruptBlockException;
import io.tidemark.codecs.block.FrameLayout;
import io.tidemark.codecs.chunk.ChunkDecoder;
import io.tidemark.memory.MemoryTag;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockCorruptionTest {
    @TempDir
    Path dir;

    private SeriesFixture fixture;
    private Path block;

    @BeforeEach
    void writeBlock() throws IOException {
        fixture = new SeriesFixture();
        final Random random = new Random(3);
        for (int s = 0; s < 300; s++) {
            final long[] timestamps = new long[100];
            final double[] values = new double[100];
            for (int i = 0; i < 100; i++) {
                timestamps[i] = 1_000_000L + i * 15_000L;
                values[i] = random.nextDouble();
            }
            fixture.add(new String[] {"__name__", "m" + s % 4, "instance", "i" + s}, List.of(new SeriesFixture.Chunk(timestamps, values)));
        }
        // small pages and files: many pages in several chunk files
        block = fixture.write(dir.resolve("blocks"), BlockWriterOptions.defaults().withPageBytes(4096).withChunkFileBytes(64 << 10));
    }

    @org.junit.jupiter.api.AfterEach
    void closeFixture() {
        fixture.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {BlockLayout.SERIES, BlockLayout.SYMBOLS, BlockLayout.SERIES_OFFSETS, BlockLayout.POSTINGS,
        BlockLayout.POSTINGS_TABLE, BlockLayout.LABEL_NAMES, BlockLayout.PAGES})
    void shouldReportFlippedByteInEachIndexSectionWithFileAndSectionOffset(final int section) throws IOException {
        final Path index = block.resolve(BlockLayout.INDEX_FILE);
        final long offset = tocLong(index, section, 0);
        final long length = tocLong(index, section, 8);
        assertThat(length).isPositive();
        flip(index, offset + length / 2);
        assertOpenFails(index, offset, "section " + BlockLayout.SECTION_NAMES[section] + " CRC32C mismatch");
    }

    @Test
    void shouldReportDamagedHeaderTableOfContentsAndMeta() throws IOException {
        final Path index = block.resolve(BlockLayout.INDEX_FILE);
        final long toc = Files.size(index) - BlockLayout.TOC_BYTES;
        flip(index, toc + 3);
        assertOpenFails(index, toc, "table of contents CRC32C mismatch");
        flip(index, toc + 3);
        flip(index, 0);
        assertOpenFails(index, 0, "magic");
        flip(index, 0);
        flip(index, BlockLayout.FILE_VERSION_OFFSET);
        assertOpenFails(index, BlockLayout.FILE_VERSION_OFFSET, "format version");
        flip(index, BlockLayout.FILE_VERSION_OFFSET);

        final Path meta = block.resolve(BlockLayout.META_FILE);
        flip(meta, 30);
        assertOpenFails(meta, Files.size(meta) - 4, "CRC32C mismatch");
        flip(meta, 30);
        try (BlockReader reader = BlockReader.open(fixture.allocator, block)) {
            fixture.assertMatches(reader);
        }
    }

    @Test
    void shouldReportTruncatedFiles() throws IOException {
        final Path index = block.resolve(BlockLayout.INDEX_FILE);
        final byte[] original = Files.readAllBytes(index);
        final long indexSize = original.length;
        truncate(index, indexSize - 10);
        assertOpenFails(index, indexSize - 10, "truncated");
        truncate(index, 0);
        assertOpenFails(index, 0, "truncated");
        Files.write(index, original);

        final Path lastChunkFile = lastChunkFile();
        final long size = Files.size(lastChunkFile);
        truncate(lastChunkFile, size / 2);
        assertOpenFails(lastChunkFile, size / 2, "meta says " + size);

        final Path meta = block.resolve(BlockLayout.META_FILE);
        truncate(meta, 20);
        assertOpenFails(meta, 20, "expected at least");
        assertThat(fixture.allocator.bytesInUse(MemoryTag.MAPPED_FILES)).isZero();
        assertThat(fixture.allocator.bytesInUse(MemoryTag.BLOCKS)).isZero();
    }

    @Test
    void shouldReportMissingFiles() throws IOException {
        final Path chunkFile = lastChunkFile();
        final Path moved = dir.resolve("moved");
        Files.move(chunkFile, moved);
        assertOpenFails(chunkFile, 0, "file is missing");
        Files.move(moved, chunkFile);
        final Path index = block.resolve(BlockLayout.INDEX_FILE);
        Files.move(index, moved);
        assertOpenFails(index, 0, "file is missing");
        Files.move(moved, index);
        try (BlockReader reader = BlockReader.open(fixture.allocator, block)) {
            fixture.assertMatches(reader);
        }
    }

    @Test
    void shouldReportDamagedPageOnReadAndKeepOtherPagesReadable() throws IOException {
        final Path index = block.resolve(BlockLayout.INDEX_FILE);
        final long pagesAt = tocLong(index, BlockLayout.PAGES, 0);
        final int pageCount = (int) (tocLong(index, BlockLayout.PAGES, 8) / BlockLayout.PAGE_ENTRY_BYTES);
        assertThat(pageCount).isGreaterThan(10);
        final int damaged = pageCount / 2;
        final ByteBuffer entry = read(index, pagesAt + (long) damaged * BlockLayout.PAGE_ENTRY_BYTES, BlockLayout.PAGE_ENTRY_BYTES);
        final Path chunkFile = block.resolve(BlockLayout.CHUNKS_DIRECTORY).resolve(BlockLayout.chunkFileName(entry.getInt(0)));
        final long frameOffset = entry.getLong(4);
        flip(chunkFile, frameOffset + FrameLayout.HEADER_BYTES + 5);

        try (BlockReader reader = BlockReader.open(fixture.allocator, block)) {
            final BlockSeries series = new BlockSeries();
            final ChunkDecoder decoder = new ChunkDecoder();
            final long[] timestamps = new long[100];
            final double[] values = new double[100];
            final List<Integer> lost = new ArrayList<>();
            int read = 0;
            for (int id = 0; id < reader.seriesCount(); id++) {
                final long ref = reader.series(id, series).chunkRef(0);
                if (BlockLayout.refPage(ref) == damaged) {
                    assertThatThrownBy(() -> reader.readChunk(ref)).isInstanceOf(CorruptBlockException.class)
                        .satisfies(e -> assertWhere((CorruptBlockException) e, chunkFile, frameOffset))
                        .hasMessageContaining("CRC32C mismatch");
                    lost.add(id);
                } else {
                    assertThat(reader.decodeChunk(ref, decoder, timestamps, values)).isEqualTo(100);
                    assertThat(values[7]).isEqualTo(fixture.series.get(id).chunks().getFirst().values()[7]);
                    read++;
                }
            }
            assertThat(lost).isNotEmpty();
            assertThat(read + lost.size()).isEqualTo(300);
        }
    }

    private void assertOpenFails(final Path file, final long offset, final String problem) {
        assertThatThrownBy(() -> BlockReader.open(fixture.allocator, block).close())
            .isInstanceOf(CorruptBlockException.class)
            .hasMessageContaining(problem)
            .hasMessageContaining(file.toString())
            .satisfies(e -> assertWhere((CorruptBlockException) e, file, offset));
        assertThat(fixture.allocator.bytesInUse(MemoryTag.MAPPED_FILES)).as("mappings released").isZero();
        assertThat(fixture.allocator.bytesInUse(MemoryTag.BLOCKS)).as("buffers released").isZero();
    }

    private static void assertWhere(final CorruptBlockException e, final Path file, final long offset) {
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.offset()).isEqualTo(offset);
    }

    private Path lastChunkFile() throws IOException {
        try (Stream<Path> files = Files.list(block.resolve(BlockLayout.CHUNKS_DIRECTORY))) {
            final List<Path> sorted = files.sorted().toList();
            assertThat(sorted).hasSizeGreaterThan(1);
            return sorted.getLast();
        }
    }

    private static long tocLong(final Path index, final int section, final int field) throws IOException {
        final long at = Files.size(index) - BlockLayout.TOC_BYTES + (long) section * BlockLayout.TOC_ENTRY_BYTES + field;
        return read(index, at, 8).getLong(0);
    }

    private static ByteBuffer read(final Path file, final long offset, final int bytes) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            final byte[] data = new byte[bytes];
            raf.seek(offset);
            raf.readFully(data);
            return ByteBuffer.wrap(data);
        }
    }

    private static void flip(final Path file, final long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            final int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x10);
        }
    }

    private static void truncate(final Path file, final long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
    }
}
