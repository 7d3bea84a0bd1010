package io.tidemark.tiering.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.codecs.chunk.ChunkDecoder;
import io.tidemark.codecs.chunk.ChunkLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Blocks built from samples, and the model of what compacting them must give: per label set, every
 * timestamp once with the value of the first block (in the order they were added) that has it.
 */
final class CompactionModel {
    /** Per label set (names and values joined), timestamp → value bits. */
    final Map<String, TreeMap<Long, Long>> expected = new TreeMap<>();

    /**
     * Writes a block of {@code series} (label set → chunks) into {@code dir} and adds it to the
     * model after the blocks added before, which win duplicate timestamps.
     */
    Path addBlock(final Path dir, final Map<String[], List<SeriesFixture.Chunk>> series, final BlockWriterOptions options)
        throws IOException {
        try (SeriesFixture fixture = new SeriesFixture()) {
            for (final Map.Entry<String[], List<SeriesFixture.Chunk>> entry : series.entrySet()) {
                fixture.add(entry.getKey(), entry.getValue());
                final TreeMap<Long, Long> samples = expected.computeIfAbsent(key(entry.getKey()), k -> new TreeMap<>());
                for (final SeriesFixture.Chunk chunk : entry.getValue()) {
                    for (int i = 0; i < chunk.timestamps().length; i++) {
                        samples.putIfAbsent(chunk.timestamps()[i], Double.doubleToRawLongBits(chunk.values()[i]));
                    }
                }
            }
            return fixture.write(dir, options);
        }
    }

    static String key(final String[] labels) {
        return String.join("\u0000", labels);
    }

    /** One chunk of samples at {@code times} with values {@code f(t)}. */
    static SeriesFixture.Chunk chunk(final long[] times, final double salt) {
        final double[] values = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            values[i] = times[i] % 97 == 0 ? Double.longBitsToDouble(0x7ff0000000000002L) : times[i] / 1000.0 + salt;
        }
        return new SeriesFixture.Chunk(times, values);
    }

    /** Every sample of every block in {@code blocks}, merged as the model says a compaction must. */
    static Map<String, TreeMap<Long, Long>> read(final List<BlockReader> blocks) {
        final Map<String, TreeMap<Long, Long>> found = new TreeMap<>();
        for (final BlockReader block : blocks) {
            read(block, found);
        }
        return found;
    }

    /**
     * Adds {@code block}'s samples to {@code into}, checking that series come in label order and
     * that each series' chunks and samples are in strictly increasing time without overlap.
     */
    static void read(final BlockReader block, final Map<String, TreeMap<Long, Long>> into) {
        final BlockSeries series = new BlockSeries();
        final ChunkDecoder decoder = new ChunkDecoder();
        final long[] times = new long[ChunkLayout.MAX_SAMPLES];
        final double[] values = new double[ChunkLayout.MAX_SAMPLES];
        String[] previous = null;
        long samples = 0;
        try (BlockChunkReader chunks = block.newChunkReader()) {
            for (int id = 0; id < block.seriesCount(); id++) {
                block.series(id, series);
                final String[] labels = series.labels();
                if (previous != null) {
                    assertThat(LabelOrder.compareLabelSets(previous, labels)).as("series in label order").isNegative();
                }
                previous = labels;
                final TreeMap<Long, Long> target = into.computeIfAbsent(key(labels), k -> new TreeMap<>());
                long last = Long.MIN_VALUE;
                for (int c = 0; c < series.chunkCount(); c++) {
                    final int n = chunks.decodeChunk(series.chunkRef(c), decoder, times, values);
                    assertThat(times[0]).as("chunk min time of %s", Arrays.toString(labels)).isEqualTo(series.chunkMinTime(c));
                    assertThat(times[n - 1]).as("chunk max time").isEqualTo(series.chunkMaxTime(c));
                    for (int i = 0; i < n; i++) {
                        assertThat(times[i]).as("strictly increasing times in %s", Arrays.toString(labels)).isGreaterThan(last);
                        last = times[i];
                        target.putIfAbsent(times[i], Double.doubleToRawLongBits(values[i]));
                    }
                    samples += n;
                }
            }
        }
        assertThat(block.meta().sampleCount()).isEqualTo(samples);
    }

    /** The samples of one block only. */
    static Map<String, TreeMap<Long, Long>> read(final BlockReader block) {
        final Map<String, TreeMap<Long, Long>> found = new TreeMap<>();
        read(block, found);
        return found;
    }

    /** Fails at the first series or sample that differs, naming it (the whole maps are too large to print). */
    static void assertSameSamples(final Map<String, TreeMap<Long, Long>> actual, final Map<String, TreeMap<Long, Long>> expected,
                                  final String what) {
        assertThat(actual.keySet()).as("%s: series", what).containsExactlyElementsOf(expected.keySet());
        for (final Map.Entry<String, TreeMap<Long, Long>> series : expected.entrySet()) {
            final TreeMap<Long, Long> got = actual.get(series.getKey());
            for (final Map.Entry<Long, Long> sample : series.getValue().entrySet()) {
                assertThat(got.get(sample.getKey())).as("%s: series %s at %d", what, series.getKey(), sample.getKey())
                    .isEqualTo(sample.getValue());
            }
            assertThat(got.size()).as("%s: samples of %s", what, series.getKey()).isEqualTo(series.getValue().size());
        }
    }

    /** Times {@code from, from + step, ...} below {@code to}. */
    static long[] times(final long from, final long to, final long step) {
        final List<Long> list = new ArrayList<>();
        for (long t = from; t < to; t += step) {
            list.add(t);
        }
        return list.stream().mapToLong(Long::longValue).toArray();
    }
}
