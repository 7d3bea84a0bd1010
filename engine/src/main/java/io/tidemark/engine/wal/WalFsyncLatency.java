package io.tidemark.engine.wal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The latency of every WAL segment {@code fdatasync} in this process ({@link WalFiles#force}), in
 * fixed buckets, for the self-metrics histogram {@code tidemark_wal_fsync_duration_seconds}. Recording
 * allocates nothing: a few atomic adds per fsync, which itself takes tens of microseconds or more.
 */
public final class WalFsyncLatency {
    /** Upper bounds of the buckets, in seconds; a last bucket (+Inf) follows. */
    private static final double[] BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
    private static final long[] BOUND_NANOS = new long[BOUNDS.length];
    private static final AtomicLongArray COUNTS = new AtomicLongArray(BOUNDS.length + 1);
    private static final LongAdder SUM_NANOS = new LongAdder();

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUND_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
        }
    }

    private WalFsyncLatency() {
    }

    static void record(final long nanos) {
        int bucket = 0;
        while (bucket < BOUND_NANOS.length && nanos > BOUND_NANOS[bucket]) {
            bucket++;
        }
        COUNTS.incrementAndGet(bucket);
        SUM_NANOS.add(nanos);
    }

    /** A copy of the buckets' upper bounds in seconds (without +Inf). */
    public static double[] bounds() {
        return BOUNDS.clone();
    }

    /** The count of each bucket (not cumulative), the last one for above every bound. */
    public static long[] counts() {
        final long[] counts = new long[COUNTS.length()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = COUNTS.get(i);
        }
        return counts;
    }

    /** The sum of all recorded latencies, seconds. */
    public static double sumSeconds() {
        return SUM_NANOS.sum() / 1e9;
    }
}
