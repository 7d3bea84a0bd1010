package io.tidemark.server.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations with fixed buckets, recorded from any thread without
 * allocating (one {@link LongAdder} per bucket). Buckets in seconds: 0.5 ms to 60 s.
 */
public final class LatencyHistogram {
    static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    private static final long[] BOUND_NANOS = new long[BOUNDS.length];
    private final LongAdder[] counts = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUND_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
        }
    }

    /** An empty histogram. */
    public LatencyHistogram() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Records one duration. */
    public void record(final long nanos) {
        int bucket = 0;
        while (bucket < BOUND_NANOS.length && nanos > BOUND_NANOS[bucket]) {
            bucket++;
        }
        counts[bucket].increment();
        sumNanos.add(nanos);
    }

    /** The count of each bucket (not cumulative); the last one is above every bound. */
    long[] counts() {
        final long[] copy = new long[counts.length];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = counts[i].sum();
        }
        return copy;
    }

    double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
