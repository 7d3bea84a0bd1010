package io.tidemark.bench.data;

import java.util.SplittableRandom;

/**
 * Random draws and the number conversions that exporters apply, shared by the node families.
 *
 * <p>The conversions reproduce the arithmetic of the programs that produce real data, so that a
 * codec sees the same bit patterns as in production: a decimal quantity is an integer count of
 * units divided by a power of ten, never a sum of rounded doubles.
 */
final class Sampling {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final double SECONDS_PER_DISK_TICK = 1.0 / 1000.0;

    private Sampling() {
    }

    /** A Poisson draw: exact below a mean of 40, a rounded normal approximation above. */
    static long poisson(final SplittableRandom random, final double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean < 40) {
            final double limit = Math.exp(-mean);
            long count = 0;
            double product = random.nextDouble();
            while (product > limit) {
                count++;
                product *= random.nextDouble();
            }
            return count;
        }
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }

    /** A log-normal draw with the given median and shape {@code sigma}. */
    static double logNormal(final SplittableRandom random, final double median, final double sigma) {
        return median * Math.exp(sigma * random.nextGaussian());
    }

    /** {@code value} clamped to {@code [low, high]}. */
    static double clamp(final double value, final double low, final double high) {
        return Math.max(low, Math.min(high, value));
    }

    /** Go's {@code time.Duration.Seconds()}: whole seconds plus the nanosecond remainder over 1e9. */
    static double goSeconds(final long nanos) {
        final long seconds = nanos / NANOS_PER_SECOND;
        final long remainder = nanos % NANOS_PER_SECOND;
        return seconds + remainder / 1e9;
    }

    /** A count of USER_HZ (1/100 s) ticks in seconds, as procfs computes it: {@code ticks / 100}. */
    static double userHzTicksToSeconds(final long ticks) {
        return ticks / 100.0;
    }

    /**
     * A count of /proc/diskstats milliseconds in seconds, as node_exporter computes it: multiplied by
     * the constant {@code 1.0 / 1000.0}, which is not always the double nearest to {@code ms / 1000}.
     */
    static double diskMillisToSeconds(final long millis) {
        return millis * SECONDS_PER_DISK_TICK;
    }

    /** Number of boundaries of a {@code periodMs} clock with phase {@code phaseMs} in {@code (from, to]}. */
    static long ticksBetween(final long fromMs, final long toMs, final long periodMs, final long phaseMs) {
        return Math.floorDiv(toMs - phaseMs, periodMs) - Math.floorDiv(fromMs - phaseMs, periodMs);
    }
}
