package io.tidemark.bench.jmh;

import io.tidemark.bench.index.IndexSelectors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The series index over 1M node series: {@code findExisting} looks up one existing series from its
 * canonical label bytes (the write path's lookup), every series in turn in a seeded random order;
 * {@code select2Matcher} and {@code selectRegex} run the selectors of {@link IndexSelectors}.
 * Nanoseconds per operation.
 *
 * <p>{@code ./tidemark bench jmh SeriesIndexBenchmark.findExisting -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class SeriesIndexBenchmark {

    @Benchmark
    public int findExisting(final SeriesIndexState state) {
        final int i = state.nextLookup();
        return state.index.find(state.lookupBytes, state.lookups.offset(i), state.lookups.length(i));
    }

    @Benchmark
    public int[] select2Matcher(final SeriesIndexState state) {
        return state.index.select(IndexSelectors.TWO_MATCHER);
    }

    @Benchmark
    public int[] selectRegex(final SeriesIndexState state) {
        return state.index.select(IndexSelectors.REGEX);
    }
}
