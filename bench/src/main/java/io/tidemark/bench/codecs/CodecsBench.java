package io.tidemark.bench.codecs;

import io.tidemark.bench.BenchOptions;
import io.tidemark.bench.data.Datasets;
import io.tidemark.memory.NativeAllocator;
import java.util.List;

/**
 * {@code ./tidemark bench codecs}: for every dataset and codec, one line
 * {@code codec=<name> dataset=<name> samples=<n> bytes_per_sample=<x> encode_ns_per_sample=<y> decode_ns_per_sample=<z>}
 * followed by {@code ratio_to_gorilla}. Times are the median of timed rounds over the whole corpus,
 * after warm-up rounds; every codec of a dataset is measured in the same process, one after another,
 * so ratios between them are what to compare on a noisy machine.
 */
public final class CodecsBench {
    private CodecsBench() {
    }

    /** Runs the benchmark with the given options (see {@code ./tidemark bench} usage). */
    public static void run(final BenchOptions options) {
        final String which = options.text("dataset", "all");
        final List<String> datasets = "all".equals(which) ? List.of("node", "tsbs") : List.of(which);
        final int samplesPerSeries = options.integer("samples", 720);
        final int chunkSamples = options.integer("chunk", 240);
        final long seed = options.integer("seed", 1);
        final int rounds = options.integer("rounds", 7);
        final NativeAllocator allocator = NativeAllocator.withLimit(8L << 30);
        for (final String name : datasets) {
            final int scale = options.integer("scale", "tsbs".equals(name) ? 100 : 20);
            final ChunkCorpus corpus = ChunkCorpus.of(Datasets.byName(name, seed, scale, samplesPerSeries), chunkSamples);
            System.err.printf("dataset=%s chunks=%d samples=%d chunk_samples=%d%n", name, corpus.chunks(), corpus.samples(),
                chunkSamples);
            try (CodecRunner runner = new CodecRunner(allocator, corpus)) {
                double gorillaBytes = Double.NaN;
                for (final CodecRunner.Codec codec : CodecRunner.Codec.values()) {
                    final CodecRunner.Result result = runner.measure(codec, rounds);
                    if (codec == CodecRunner.Codec.GORILLA) {
                        gorillaBytes = result.bytes();
                    }
                    System.out.printf("codec=%s dataset=%s samples=%d bytes_per_sample=%.3f encode_ns_per_sample=%.2f "
                            + "decode_ns_per_sample=%.2f ratio_to_gorilla=%.3f%n",
                        codec.label(), name, corpus.samples(), result.bytes() / corpus.samples(),
                        result.encodeNanos() / corpus.samples(), result.decodeNanos() / corpus.samples(),
                        result.bytes() / gorillaBytes);
                }
            }
        }
        allocator.assertNoLeaks();
    }
}
