package io.tidemark.tiering.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.codecs.chunk.ChunkDecoder;
import io.tidemark.codecs.chunk.ChunkEncoder;
import io.tidemark.codecs.chunk.ChunkLayout;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Series with real encoded chunks, written to a block and checked against what a reader returns. */
final class SeriesFixture implements AutoCloseable {
    /** One chunk's samples. */
    record Chunk(long[] timestamps, double[] values) {
        long minTime() {
            return timestamps[0];
        }

        long maxTime() {
            return timestamps[timestamps.length - 1];
        }
    }

    /** One series: labels (names and values alternating) and chunks. */
    record Series(String[] labels, List<Chunk> chunks) {
    }

    final NativeAllocator allocator = NativeAllocator.withLimit(1L << 31);
    private final ChunkEncoder encoder = new ChunkEncoder(allocator, ChunkLayout.MAX_SAMPLES);
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(ChunkEncoder.maxBytes(ChunkLayout.MAX_SAMPLES));
    final List<Series> series = new ArrayList<>();

    /** Adds a series; call in any order, {@link #write} sorts. */
    void add(final String[] labels, final List<Chunk> chunks) {
        series.add(new Series(labels, chunks));
    }

    /** Writes every series in label order into a block under {@code directory}; returns its path. */
    Path write(final Path directory, final BlockWriterOptions options) throws IOException {
        series.sort((a, b) -> LabelOrder.compareLabelSets(a.labels(), b.labels()));
        try (BlockWriter writer = BlockWriter.create(allocator, directory, options)) {
            for (final Series s : series) {
                writer.startSeries(s.labels());
                for (final Chunk chunk : s.chunks()) {
                    final int bytes = encoder.encode(chunk.timestamps(), chunk.values(), chunk.timestamps().length,
                        buffer, 0, buffer.byteSize());
                    writer.addChunk(chunk.minTime(), chunk.maxTime(), buffer, 0, bytes);
                }
            }
            return writer.finish();
        }
    }

    /** Checks every series, chunk and postings list of {@code reader} against the input. */
    void assertMatches(final BlockReader reader) {
        assertThat(reader.seriesCount()).isEqualTo(series.size());
        final Map<String, Map<String, List<Integer>>> postings = new TreeMap<>(LabelOrder::compare);
        final BlockSeries got = new BlockSeries();
        final ChunkDecoder decoder = new ChunkDecoder();
        final long[] timestamps = new long[ChunkLayout.MAX_SAMPLES];
        final double[] values = new double[ChunkLayout.MAX_SAMPLES];
        long samples = 0;
        long chunks = 0;
        for (int id = 0; id < series.size(); id++) {
            final Series expected = series.get(id);
            reader.series(id, got);
            assertThat(got.labels()).as("labels of series %d", id).containsExactly(expected.labels());
            assertThat(got.chunkCount()).as("chunks of series %d", id).isEqualTo(expected.chunks().size());
            for (int c = 0; c < got.chunkCount(); c++) {
                final Chunk chunk = expected.chunks().get(c);
                assertThat(got.chunkMinTime(c)).isEqualTo(chunk.minTime());
                assertThat(got.chunkMaxTime(c)).isEqualTo(chunk.maxTime());
                final int n = reader.decodeChunk(got.chunkRef(c), decoder, timestamps, values);
                assertThat(n).isEqualTo(chunk.timestamps().length);
                if (!Arrays.equals(timestamps, 0, n, chunk.timestamps(), 0, n)) {
                    assertThat(Arrays.copyOf(timestamps, n)).as("timestamps of chunk %d of series %d", c, id)
                        .containsExactly(chunk.timestamps());
                }
                for (int i = 0; i < n; i++) {
                    if (Double.doubleToRawLongBits(values[i]) != Double.doubleToRawLongBits(chunk.values()[i])) {
                        assertThat(Double.doubleToRawLongBits(values[i])).as("value %d of chunk %d of series %d", i, c, id)
                            .isEqualTo(Double.doubleToRawLongBits(chunk.values()[i]));
                    }
                }
                samples += n;
                chunks++;
            }
            for (int l = 0; l < expected.labels().length; l += 2) {
                postings.computeIfAbsent(expected.labels()[l], k -> new TreeMap<>(LabelOrder::compare))
                    .computeIfAbsent(expected.labels()[l + 1], k -> new ArrayList<>()).add(id);
            }
        }
        assertThat(reader.meta().sampleCount()).isEqualTo(samples);
        assertThat(reader.meta().chunkCount()).isEqualTo(chunks);
        assertThat(reader.labelNames()).containsExactlyElementsOf(postings.keySet());
        for (final Map.Entry<String, Map<String, List<Integer>>> name : postings.entrySet()) {
            assertThat(reader.labelValues(name.getKey())).as("values of %s", name.getKey())
                .containsExactlyElementsOf(name.getValue().keySet());
            for (final Map.Entry<String, List<Integer>> value : name.getValue().entrySet()) {
                assertThat(reader.postings(name.getKey(), value.getKey())).as("postings %s=%s", name.getKey(), value.getKey())
                    .containsExactly(value.getValue().stream().mapToInt(Integer::intValue).toArray());
            }
            assertThat(reader.postings(name.getKey(), "\uFFFFnot-a-value")).isEmpty();
        }
        assertThat(reader.postings("not-a-name", "x")).isEmpty();
        assertThat(reader.labelValues("not-a-name")).isEmpty();
    }

    @Override
    public void close() {
        encoder.close();
        arena.close();
        allocator.assertNoLeaks();
    }
}
