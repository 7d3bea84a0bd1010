package io.tidemark.bench.jmh;

import io.tidemark.engine.head.AppendPrefetch;
import io.tidemark.engine.head.HeadShard;
import io.tidemark.memory.NativeAllocator;
import java.util.SplittableRandom;
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
 * Cost of one sample appended to the head as a shard thread appends a remote-write request's batches: 50,000 series
 * (one shard's half of 100,000), one sample of each per round, in batches of 1,000, with the series' open chunks laid
 * out in an order unrelated to their slots (the first round creates them in a random order). {@code polluteMiB}
 * MiB are written between two rounds, untimed, as the other threads of a server evict the head between two visits of
 * a series; {@code prefetch} reads each group's records and chunks ahead of the appends as the shard does
 * ({@link AppendPrefetch}, records two groups of 16 ahead, chunks one), or not.
 *
 * <p>{@code ./tidemark bench jmh HeadBatchBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
@State(Scope.Thread)
public class HeadBatchBenchmark {
    private static final int SERIES = 50_000;
    private static final int BATCH = 1_000;
    private static final int GROUP = 16;

    @Param({"false", "true"})
    public boolean prefetch;

    @Param({"0", "64"})
    public int polluteMiB;

    private NativeAllocator allocator;
    private HeadShard head;
    private AppendPrefetch ahead;
    private long time;
    private long[] counters;
    private int[] slots;
    private byte[] pollution;
    private long polluted;

    @Setup(Level.Trial)
    public void setUp() {
        allocator = NativeAllocator.withLimit(8L << 30);
        head = new HeadShard(allocator, 256, 120, 7_200_000L, 1 << 15);
        ahead = new AppendPrefetch(head);
        counters = new long[SERIES];
        slots = new int[SERIES];
        for (int i = 0; i < SERIES; i++) {
            slots[i] = i;
        }
        pollution = new byte[polluteMiB << 20];
        final int[] order = slots.clone();
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = order.length - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int swapped = order[i];
            order[i] = order[j];
            order[j] = swapped;
        }
        for (final int slot : order) {
            head.append(slot, time, Double.doubleToRawLongBits(1));
        }
        time += 15_000;
    }

    /** Writes a byte in every cache line of the pollution buffer. */
    @Setup(Level.Invocation)
    public void pollute() {
        long sum = 0;
        for (int i = 0; i < pollution.length; i += 64) {
            sum += ++pollution[i];
        }
        polluted += sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        head.close();
    }

    /** One round: every series once, in batches of {@value #BATCH}. */
    @Benchmark
    @OperationsPerInvocation(SERIES)
    public long round() {
        long refused = 0;
        for (int from = 0; from < SERIES; from += BATCH) {
            refused += batch(from, from + BATCH);
        }
        time += 15_000;
        return refused;
    }

    private long batch(final int from, final int to) {
        long refused = 0;
        if (prefetch) {
            ahead.touchStates(slots, from, Math.min(to, from + 2 * GROUP));
            ahead.touchChunks(slots, from, Math.min(to, from + GROUP));
        }
        for (int i = from; i < to; i++) {
            if (prefetch && (i - from) % GROUP == 0) {
                ahead.touchStates(slots, Math.min(to, i + 2 * GROUP), Math.min(to, i + 3 * GROUP));
                ahead.touchChunks(slots, Math.min(to, i + GROUP), Math.min(to, i + 2 * GROUP));
            }
            final int slot = slots[i];
            counters[slot] += slot % 3 == 0 ? 0 : slot % 7;
            final long bits = Double.doubleToRawLongBits(slot % 2 == 0 ? (double) counters[slot] : slot % 5);
            refused += head.append(slot, time + (slot & 7), bits);
        }
        return refused;
    }
}
