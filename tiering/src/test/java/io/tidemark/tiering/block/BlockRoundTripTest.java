package io.tidemark.tiering.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.memory.MemoryTag;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockRoundTripTest {
    private static final double[] EDGE_VALUES = {Double.longBitsToDouble(0x7ff0000000000002L), Double.NaN, -0.0, 0.0,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE,
        Double.longBitsToDouble(0x7ff8dead_beef0001L)};

    @TempDir
    Path dir;

    @Test
    void shouldRoundTripThousandsOfSeriesWithRealChunks() throws IOException {
        try (SeriesFixture fixture = new SeriesFixture()) {
            final Random random = new Random(42);
            for (int s = 0; s < 3000; s++) {
                final String[] labels = {"__name__", "metric_" + s % 7, "instance", "host-" + s / 7 + ":9100",
                    "job", s % 3 == 0 ? "node" : "ünïcode-𝄞", "mode", "m" + s % 5};
                final List<SeriesFixture.Chunk> chunks = new ArrayList<>();
                long t = s % 11 == 0 ? Long.MIN_VALUE / 2 : 1_700_000_000_000L;
                for (int c = 0; c < 1 + s % 3; c++) {
                    final int n = s == 5 ? 65_535 : 1 + random.nextInt(240);
                    final long[] timestamps = new long[n];
                    final double[] values = new double[n];
                    for (int i = 0; i < n; i++) {
                        timestamps[i] = t;
                        t += 15_000 + (random.nextInt(10) == 0 ? random.nextInt(1000) : 0);
                        values[i] = s % 4 == 0 ? EDGE_VALUES[(i + s) % EDGE_VALUES.length]
                            : s % 4 == 1 ? Math.round(random.nextDouble() * 1000) / 100.0 : (double) (s + i);
                    }
                    chunks.add(new SeriesFixture.Chunk(timestamps, values));
                }
                fixture.add(labels, chunks);
            }
            final Path block = fixture.write(dir, BlockWriterOptions.defaults());
            assertThat(block.getFileName().toString()).hasSize(BlockId.CHARS);
            assertThat(dir.resolve(block.getFileName() + BlockLayout.TEMPORARY_SUFFIX)).doesNotExist();
            try (BlockReader reader = BlockReader.open(fixture.allocator, block)) {
                assertThat(reader.meta().id().toString()).isEqualTo(block.getFileName().toString());
                assertThat(reader.meta().minTime()).isEqualTo(Long.MIN_VALUE / 2);
                assertThat(reader.pageCount()).isGreaterThan(1);
                fixture.assertMatches(reader);
                assertThat(fixture.allocator.bytesInUse(MemoryTag.MAPPED_FILES)).isPositive();
            }
            assertThat(fixture.allocator.bytesInUse(MemoryTag.MAPPED_FILES)).isZero();
            assertThat(fixture.allocator.bytesInUse(MemoryTag.BLOCKS)).isZero();
        }
    }

    @Test
    void shouldMatchEveryPostingsListAndSeriesOfRandomBlocks() throws IOException {
        final long seed = System.nanoTime();
        System.out.println("BlockRoundTripTest random seed=" + seed);
        final Random random = new Random(seed);
        for (int round = 0; round < 4; round++) {
            try (SeriesFixture fixture = new SeriesFixture()) {
                final java.util.Set<String> seen = new java.util.HashSet<>();
                final int seriesCount = 1 + random.nextInt(1500);
                while (fixture.series.size() < seriesCount) {
                    final java.util.TreeMap<String, String> labels = new java.util.TreeMap<>(LabelOrder::compare);
                    final int labelCount = 1 + random.nextInt(6);
                    while (labels.size() < labelCount) {
                        labels.put("l" + random.nextInt(12), "v" + random.nextInt(1 + random.nextInt(400)));
                    }
                    final String[] pairs = labels.entrySet().stream()
                        .flatMap(e -> Stream.of(e.getKey(), e.getValue())).toArray(String[]::new);
                    if (!seen.add(String.join("\u0000", pairs))) {
                        continue;
                    }
                    final List<SeriesFixture.Chunk> chunks = new ArrayList<>();
                    long t = random.nextLong() >> 8;
                    for (int c = 0; c < 1 + random.nextInt(4); c++) {
                        final int n = 1 + random.nextInt(300);
                        final long[] timestamps = new long[n];
                        final double[] values = new double[n];
                        for (int i = 0; i < n; i++) {
                            timestamps[i] = t;
                            t += 1 + random.nextInt(60_000);
                            values[i] = random.nextBoolean() ? random.nextInt(100) : Double.longBitsToDouble(random.nextLong());
                        }
                        chunks.add(new SeriesFixture.Chunk(timestamps, values));
                    }
                    fixture.add(pairs, chunks);
                }
                final BlockWriterOptions options = BlockWriterOptions.defaults()
                    .withPageBytes(64 + random.nextInt(32 << 10)).withChunkFileBytes(4096 + random.nextInt(256 << 10));
                final Path block = fixture.write(dir, options);
                try (BlockReader reader = BlockReader.open(fixture.allocator, block)) {
                    fixture.assertMatches(reader);
                }
            }
        }
    }

    @Test
    void shouldReadChunksFromSeveralThreadsEachWithItsOwnChunkReader() throws Exception {
        try (SeriesFixture fixture = new SeriesFixture()) {
            final Random random = new Random(11);
            for (int s = 0; s < 800; s++) {
                fixture.add(new String[] {"__name__", "m", "id", Integer.toString(s)}, nodeChunks(random, s % 2 == 0));
            }
            final Path block = fixture.write(dir, BlockWriterOptions.defaults().withPageBytes(8192));
            try (BlockReader reader = BlockReader.open(fixture.allocator, block)) {
                final int threads = 4;
                final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
                try {
                    final List<java.util.concurrent.Future<Long>> results = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        final int first = t;
                        results.add(pool.submit(() -> {
                            long checked = 0;
                            try (BlockChunkReader chunks = reader.newChunkReader()) {
                                final io.tidemark.codecs.chunk.ChunkDecoder decoder = new io.tidemark.codecs.chunk.ChunkDecoder();
                                final BlockSeries series = new BlockSeries();
                                final long[] timestamps = new long[120];
                                final double[] values = new double[120];
                                for (int round = 0; round < 3; round++) {
                                    for (int id = (first + round) % threads; id < reader.seriesCount(); id += 1 + round) {
                                        reader.series(id, series);
                                        for (int c = 0; c < series.chunkCount(); c++) {
                                            final SeriesFixture.Chunk expected = fixture.series.get(id).chunks().get(c);
                                            assertThat(chunks.decodeChunk(series.chunkRef(c), decoder, timestamps, values)).isEqualTo(120);
                                            assertThat(values).containsExactly(expected.values());
                                            assertThat(timestamps).containsExactly(expected.timestamps());
                                            checked++;
                                        }
                                    }
                                }
                            }
                            return checked;
                        }));
                    }
                    for (final java.util.concurrent.Future<Long> result : results) {
                        assertThat(result.get()).isPositive();
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void shouldPrintBlockSizeOfNodeLikeInput() throws IOException {
        try (SeriesFixture fixture = new SeriesFixture()) {
            final Random random = new Random(7);
            final String[] modes = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
            // 50 hosts x (8 cpus x 8 modes counters + 20 gauges), 2 h at 15 s: 480 samples in 4 chunks of 120
            for (int host = 0; host < 50; host++) {
                for (int cpu = 0; cpu < 8; cpu++) {
                    for (final String mode : modes) {
                        fixture.add(new String[] {"__name__", "node_cpu_seconds_total", "cpu", Integer.toString(cpu),
                            "instance", "host-" + host + ":9100", "job", "node", "mode", mode}, nodeChunks(random, true));
                    }
                }
                for (int gauge = 0; gauge < 20; gauge++) {
                    fixture.add(new String[] {"__name__", "node_gauge_" + gauge, "instance", "host-" + host + ":9100",
                        "job", "node"}, nodeChunks(random, false));
                }
            }
            final Path block = fixture.write(dir, BlockWriterOptions.defaults());
            final long indexBytes = Files.size(block.resolve(BlockLayout.INDEX_FILE));
            long chunkBytes = 0;
            try (Stream<Path> files = Files.list(block.resolve(BlockLayout.CHUNKS_DIRECTORY))) {
                for (final Path file : files.toList()) {
                    chunkBytes += Files.size(file);
                }
            }
            try (BlockReader reader = BlockReader.open(fixture.allocator, block)) {
                final long samples = reader.meta().sampleCount();
                System.out.printf("node-like block: series=%d samples=%d indexBytes=%d chunkFileBytes=%d pages=%d"
                        + " bytesPerSample=%.3f chunkBytesPerSample=%.3f%n", reader.seriesCount(), samples, indexBytes,
                    chunkBytes, reader.pageCount(), (double) (indexBytes + chunkBytes) / samples, (double) chunkBytes / samples);
                fixture.assertMatches(reader);
            }
        }
    }

    private static List<SeriesFixture.Chunk> nodeChunks(final Random random, final boolean counter) {
        final List<SeriesFixture.Chunk> chunks = new ArrayList<>();
        long t = 1_700_000_000_000L + random.nextInt(15_000);
        double value = counter ? random.nextInt(100_000) : random.nextInt(1000);
        for (int c = 0; c < 4; c++) {
            final long[] timestamps = new long[120];
            final double[] values = new double[120];
            for (int i = 0; i < 120; i++) {
                timestamps[i] = t;
                t += 15_000 + random.nextInt(3) - 1;
                value = counter ? Math.round((value + random.nextDouble() * 15) * 100) / 100.0
                    : Math.max(0, value + random.nextInt(21) - 10);
                values[i] = value;
            }
            chunks.add(new SeriesFixture.Chunk(timestamps, values));
        }
        return chunks;
    }

    @Test
    void shouldRejectMisuse() throws IOException {
        try (SeriesFixture fixture = new SeriesFixture();
             Arena arena = Arena.ofConfined();
             BlockWriter writer = BlockWriter.create(fixture.allocator, dir, BlockWriterOptions.defaults())) {
            final MemorySegment notAChunk = arena.allocate(2);
            assertThatThrownBy(() -> writer.startSeries("b", "1", "a", "2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not sorted");
            assertThatThrownBy(() -> writer.startSeries("a", "")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.addChunk(0, 1, notAChunk, 0, 2)).isInstanceOf(IllegalStateException.class);
            writer.startSeries("a", "2");
            assertThatThrownBy(() -> writer.addChunk(0, 1, notAChunk, 0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a chunk");
            assertThatThrownBy(() -> writer.startSeries("a", "1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of order");
            assertThatThrownBy(() -> writer.startSeries("a", "3")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without chunks");
        }
        assertThat(dir).isEmptyDirectory();
    }
}
