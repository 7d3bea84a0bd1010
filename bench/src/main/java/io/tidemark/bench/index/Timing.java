package io.tidemark.bench.index;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Times for the index benchmark, read from one clock: wall time ({@code wall}, the default) or the
 * benchmark thread's CPU time ({@code cpu}), which leaves out the time other processes take the CPU
 * from it, for a shared machine; it also leaves out work of other threads, such as the collector's.
 *
 * <p>{@link #medianNanos} calls an operation for a warm-up period, sizes a round to take about
 * {@value #ROUND_NANOS} ns (or the warm-up's length, if shorter), and returns the median over timed
 * rounds. Results of the operation are summed into a sink that is published, so the JIT cannot drop
 * the calls.
 */
final class Timing {
    private static final long ROUND_NANOS = 50_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static volatile long sink;

    private final boolean cpu;

    private Timing(final boolean cpu) {
        this.cpu = cpu;
    }

    /** The clock called {@code name}: {@code wall} or {@code cpu}. */
    static Timing named(final String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "wall" -> new Timing(false);
            case "cpu" -> {
                if (!THREADS.isCurrentThreadCpuTimeSupported()) {
                    throw new IllegalArgumentException("--clock cpu: this JVM cannot read a thread's CPU time");
                }
                yield new Timing(true);
            }
            default -> throw new IllegalArgumentException("--clock must be wall or cpu, got '" + name + "'");
        };
    }

    /** The clock's name. */
    String name() {
        return cpu ? "cpu" : "wall";
    }

    /** Now, in nanoseconds of this clock. */
    long now() {
        return cpu ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /**
     * Median nanoseconds per call of {@code operation} over {@code rounds} timed rounds, after
     * {@code warmupNanos} of calls; the fastest and slowest round go to standard error under {@code what}.
     */
    double medianNanos(final String what, final LongSupplier operation, final int rounds, final long warmupNanos) {
        long consumed = 0;
        long calls = 0;
        final long warmupStart = now();
        long elapsed;
        do {
            consumed += operation.getAsLong();
            calls++;
            elapsed = now() - warmupStart;
        } while (elapsed < warmupNanos);
        final long perRound = Math.max(1, Math.min(ROUND_NANOS, warmupNanos) * calls / Math.max(1, elapsed));
        final double[] nanos = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            final long start = now();
            for (long i = 0; i < perRound; i++) {
                consumed += operation.getAsLong();
            }
            nanos[r] = (double) (now() - start) / perRound;
        }
        sink += consumed;
        return median(what, nanos);
    }

    /**
     * The median of {@code values} (the mean of the middle two for an even count); the smallest and
     * largest go to standard error under {@code what}, to show how much the machine disturbed the rounds.
     */
    static double median(final String what, final double[] values) {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        final double median = sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        System.err.printf(Locale.ROOT, "index: %s: median %.4g, rounds %.4g to %.4g%n", what, median, sorted[0],
            sorted[sorted.length - 1]);
        return median;
    }
}
