package io.tidemark.tiering.block;

import static io.tidemark.tiering.block.CompactionModel.chunk;
import static io.tidemark.tiering.block.CompactionModel.times;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockCompactorTest {
    private static final long HOUR = 3_600_000;
    private static final long STEP = 15_000;

    @TempDir
    Path dir;

    private final NativeAllocator allocator = NativeAllocator.withLimit(1L << 31);
    private final List<BlockReader> open = new ArrayList<>();

    @AfterEach
    void closeAndCheckLeaks() {
        open.forEach(BlockReader::close);
        allocator.assertNoLeaks();
    }

    private BlockReader open(final Path block) throws IOException {
        final BlockReader reader = BlockReader.open(allocator, block);
        open.add(reader);
        return reader;
    }

    private static String[] labels(final int i) {
        return new String[] {"__name__", "up", "instance", "host-" + i};
    }

    @Test
    void shouldCopyTheChunksOfAdjacentBlocksAndKeepEverySample() throws IOException {
        final CompactionModel model = new CompactionModel();
        final List<BlockReader> inputs = new ArrayList<>();
        for (int window = 0; window < 3; window++) {
            final Map<String[], List<SeriesFixture.Chunk>> series = new LinkedHashMap<>();
            for (int s = window; s < 10 + window; s++) { // each window loses one series and gains another
                final long from = window * 2 * HOUR;
                series.put(labels(s), List.of(chunk(times(from, from + HOUR, STEP), s), chunk(times(from + HOUR, from + 2 * HOUR, STEP), s)));
            }
            inputs.add(open(model.addBlock(dir, series, BlockWriterOptions.defaults())));
        }
        final Path compacted;
        try (BlockCompactor compactor = new BlockCompactor(allocator, BlockWriterOptions.defaults(), 480)) {
            compacted = compactor.compact(dir, inputs);
        }
        final BlockReader result = open(compacted);
        CompactionModel.assertSameSamples(CompactionModel.read(result), model.expected, "adjacent");
        assertThat(result.seriesCount()).isEqualTo(12);
        assertThat(result.meta().chunkCount()).as("adjacent: every chunk copied as it is")
            .isEqualTo(inputs.stream().mapToLong(b -> b.meta().chunkCount()).sum());
        assertThat(result.meta().minTime()).isZero();
        assertThat(result.meta().maxTime()).isEqualTo(6 * HOUR - STEP);
        assertThat(BlockParents.read(compacted)).containsExactly(inputs.stream().map(b -> b.meta().id()).toArray(BlockId[]::new));
        assertThat(BlockParents.read(inputs.getFirst().directory())).as("a sealed block has no parents").isEmpty();
    }

    @Test
    void shouldMergeOverlappingBlocksKeepingTheFirstBlocksSampleOfATimestamp() throws IOException {
        final CompactionModel model = new CompactionModel();
        final Map<String[], List<SeriesFixture.Chunk>> first = new LinkedHashMap<>();
        final Map<String[], List<SeriesFixture.Chunk>> second = new LinkedHashMap<>();
        first.put(labels(1), List.of(chunk(times(0, HOUR, STEP), 0.5)));
        first.put(labels(2), List.of(chunk(times(0, HOUR, STEP), 0.5)));
        // series 1: same timestamps and later ones with other values; series 3: only here
        second.put(labels(1), List.of(chunk(times(HOUR / 2, HOUR + HOUR / 2, STEP), 0.75)));
        second.put(labels(3), List.of(chunk(times(7, HOUR, STEP), 0.75)));
        // series 2: interleaved timestamps, none shared
        second.put(labels(2), List.of(chunk(times(STEP / 2, HOUR, STEP), 0.75)));
        final BlockReader a = open(model.addBlock(dir, first, BlockWriterOptions.defaults()));
        final BlockReader b = open(model.addBlock(dir, second, BlockWriterOptions.defaults()));
        final Path compacted;
        try (BlockCompactor compactor = new BlockCompactor(allocator, BlockWriterOptions.defaults(), 100)) {
            compacted = compactor.compact(dir, List.of(a, b));
        }
        final BlockReader result = open(compacted);
        final Map<String, TreeMap<Long, Long>> got = CompactionModel.read(result);
        CompactionModel.assertSameSamples(got, model.expected, "overlapping");
        final TreeMap<Long, Long> one = got.get(CompactionModel.key(labels(1)));
        assertThat(Double.longBitsToDouble(one.get(HOUR / 2 + STEP))).as("the first block's value").isEqualTo((HOUR / 2 + STEP) / 1000.0 + 0.5);
        assertThat(one).hasSize((int) (HOUR / STEP + HOUR / 2 / STEP));
        assertThat(result.meta().sampleCount()).isEqualTo(model.expected.values().stream().mapToLong(TreeMap::size).sum());
    }

    @Test
    void shouldGiveExactlyTheUnionOfRandomBlocksAsTheModelSays() throws IOException {
        final long seed = System.nanoTime();
        System.out.println("BlockCompactorTest seed=" + seed);
        final Random random = new Random(seed);
        for (int round = 0; round < 12; round++) {
            final Path roundDir = dir.resolve("round-" + round);
            final CompactionModel model = new CompactionModel();
            final List<BlockReader> inputs = new ArrayList<>();
            final int blocks = 2 + random.nextInt(4);
            final boolean overlapping = random.nextBoolean();
            for (int b = 0; b < blocks; b++) {
                final Map<String[], List<SeriesFixture.Chunk>> series = new LinkedHashMap<>();
                final long base = overlapping ? random.nextInt(3) * HOUR / 2 : b * 2 * HOUR;
                final int seriesCount = 1 + random.nextInt(60);
                for (int s = 0; s < seriesCount; s++) {
                    final int name = random.nextInt(80);
                    final String[] labels = name % 5 == 0 ? new String[] {"__name__", "m" + name}
                        : new String[] {"__name__", "m" + name % 5, "instance", "i" + name, "zone", "z" + name % 3};
                    if (series.keySet().stream().anyMatch(l -> CompactionModel.key(l).equals(CompactionModel.key(labels)))) {
                        continue;
                    }
                    final List<SeriesFixture.Chunk> chunks = new ArrayList<>();
                    long t = base + random.nextInt(4) * 1000L; // on a shared grid: overlapping blocks share timestamps
                    final long end = base + 2 * HOUR;
                    final long step = overlapping ? 1000 + 1000L * random.nextInt(30) : STEP;
                    while (t < end && chunks.size() < 4) {
                        final int n = 1 + random.nextInt(300);
                        final long[] ts = new long[n];
                        int k = 0;
                        for (; k < n && t < end; k++) {
                            ts[k] = t;
                            t += step;
                        }
                        chunks.add(chunk(java.util.Arrays.copyOf(ts, k), b + random.nextInt(2) * 0.125));
                        t += random.nextInt(3) * step;
                    }
                    series.put(labels, chunks);
                }
                inputs.add(open(model.addBlock(java.nio.file.Files.createDirectories(roundDir), series,
                    BlockWriterOptions.defaults().withPageBytes(512 + random.nextInt(8192)))));
            }
            final Path compacted;
            try (BlockCompactor compactor = new BlockCompactor(allocator, BlockWriterOptions.defaults().withPageBytes(4096),
                1 + random.nextInt(500))) {
                compacted = compactor.compact(roundDir, inputs);
            }
            CompactionModel.assertSameSamples(CompactionModel.read(open(compacted)), model.expected, "round " + round + ", seed " + seed);
        }
    }

    @Test
    void shouldReportCompactionRatesOfCopiedAndMergedChunks() throws IOException {
        final int seriesCount = 2000;
        for (final boolean overlapping : new boolean[] {false, true}) {
            final Path roundDir = java.nio.file.Files.createDirectories(dir.resolve(overlapping ? "merge" : "copy"));
            final List<BlockReader> inputs = new ArrayList<>();
            final int blocks = overlapping ? 2 : 6;
            for (int b = 0; b < blocks; b++) {
                final long from = overlapping ? b * STEP : b * 2 * HOUR;
                final SeriesFixture fixture = new SeriesFixture(); // no model: too many samples to box
                for (int s = 0; s < seriesCount; s++) {
                    final long[] times = times(from, from + 2 * HOUR, overlapping ? 2 * STEP : STEP); // 480 or 240 samples
                    final double[] values = new double[times.length];
                    for (int i = 0; i < times.length; i++) {
                        values[i] = s % 3 == 0 ? Math.round(Math.sin(i / 10.0 + s) * 1000) / 10.0 : s * 1000 + (times[i] / STEP) * 7;
                    }
                    fixture.add(new String[] {"__name__", "node_metric_" + s % 50, "instance", "host-" + s / 50}, List.of(
                        new SeriesFixture.Chunk(times, values)));
                }
                try (fixture) {
                    inputs.add(open(fixture.write(roundDir, BlockWriterOptions.defaults())));
                }
            }
            final long samples = inputs.stream().mapToLong(b -> b.meta().sampleCount()).sum();
            Path compacted = null;
            double seconds = 0;
            for (int run = 0; run < 3; run++) { // the last of three: the JIT has compiled the codecs by then
                if (compacted != null) {
                    BlockDirectory.deleteRecursively(compacted);
                }
                final long started = System.nanoTime();
                try (BlockCompactor compactor = new BlockCompactor(allocator, BlockWriterOptions.defaults(), 480)) {
                    compacted = compactor.compact(roundDir, inputs);
                }
                seconds = (System.nanoTime() - started) / 1e9;
            }
            final BlockReader result = open(compacted);
            assertThat(result.meta().sampleCount()).isEqualTo(samples);
            System.out.printf("compaction kind=%s blocks=%d series=%d samples=%d seconds=%.3f samplesPerSecond=%.0f bytesPerSample=%.3f%n",
                overlapping ? "merge" : "copy", blocks, seriesCount, samples, seconds, samples / seconds,
                result.meta().bytesOnDisk() / (double) samples);
            assertThat(result.seriesCount()).isEqualTo(seriesCount);
        }
    }
}
