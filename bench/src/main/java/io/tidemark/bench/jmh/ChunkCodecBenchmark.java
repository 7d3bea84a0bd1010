package io.tidemark.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode speed of chunk codecs, in nanoseconds per sample, over 1000 chunks of 240
 * samples of the {@code node} and {@code tsbs} datasets.
 *
 * <p>{@code ./tidemark bench jmh ChunkCodecBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class ChunkCodecBenchmark {

    @Benchmark
    @OperationsPerInvocation(ChunkCodecState.SAMPLES)
    public long encode(final ChunkCodecState state) {
        long bytes = 0;
        final var out = state.encoded.segment();
        for (int i = 0; i < ChunkCodecState.CHUNKS; i++) {
            bytes += state.encode(i, out, state.offsets[i]);
        }
        return bytes;
    }

    @Benchmark
    @OperationsPerInvocation(ChunkCodecState.SAMPLES)
    public long decode(final ChunkCodecState state) {
        long checksum = 0;
        final var in = state.encoded.segment();
        for (int i = 0; i < ChunkCodecState.CHUNKS; i++) {
            final int n = state.decoder.decode(in, state.offsets[i], state.lengths[i], state.timestamps, state.values);
            checksum += state.timestamps[n - 1] ^ Double.doubleToRawLongBits(state.values[n - 1]);
        }
        return checksum;
    }
}
