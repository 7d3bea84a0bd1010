package io.tidemark.bench.jmh;

import io.tidemark.engine.head.HeadShard;
import io.tidemark.memory.NativeAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one sample appended to the head by its shard thread, in nanoseconds: one scrape round
 * over {@code series} series (15 s apart, node-like values: counters that grow by small integers
 * and gauges that repeat), chunks cut as they fill.
 *
 * <p>{@code ./tidemark bench jmh HeadAppendBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
@State(Scope.Thread)
public class HeadAppendBenchmark {
    private static final int ROUND = 10_000;

    @Param({"10000", "100000"})
    public int series;

    private NativeAllocator allocator;
    private HeadShard head;
    private long time;
    private int next;
    private long[] counters;

    @Setup(Level.Trial)
    public void setUp() {
        allocator = NativeAllocator.withLimit(8L << 30);
        head = new HeadShard(allocator, 256, 120, 7_200_000L, 1 << 15);
        counters = new long[series];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        head.close();
    }

    /** Appends {@value #ROUND} samples, continuing the scrape where the last call stopped. */
    @Benchmark
    @OperationsPerInvocation(ROUND)
    public int append() {
        int refused = 0;
        for (int i = 0; i < ROUND; i++) {
            final int s = next;
            counters[s] += s % 3 == 0 ? 0 : s % 7;
            final long bits = Double.doubleToRawLongBits(s % 2 == 0 ? (double) counters[s] : s % 5);
            refused += head.append(s, time + (s & 7), bits);
            if (++next == series) {
                next = 0;
                time += 15_000;
            }
        }
        return refused;
    }
}
