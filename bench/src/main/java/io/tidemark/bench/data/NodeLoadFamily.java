package io.tidemark.bench.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code node_load1}, {@code node_load5} and {@code node_load15}, computed as the Linux kernel does:
 * every {@code LOAD_FREQ} (5 s and one jiffy) the count of runnable and uninterruptible tasks is
 * folded into three 11-bit fixed-point exponential averages, and /proc/loadavg prints them with two
 * decimals, which procfs parses back, so each value is exactly {@code k / 100.0}.
 */
final class NodeLoadFamily extends NodeSeriesFamily {
    private static final int FSHIFT = 11;
    private static final long FIXED_1 = 1L << FSHIFT;
    private static final long[] EXPONENTS = {1884, 2014, 2037};
    /** 5 * HZ + 1 jiffies at HZ=250. */
    private static final long LOAD_FREQ_MS = 5_004;
    private static final int WARM_UP_TICKS = 180;

    NodeLoadFamily() {
        super(List.of(new SeriesKey("node_load1"), new SeriesKey("node_load5"), new SeriesKey("node_load15")));
    }

    @Override
    void generate(final NodeTarget target, final SplittableRandom random, final double[][] values) {
        final long phaseMs = random.nextLong(LOAD_FREQ_MS);
        final long[] averages = new long[EXPONENTS.length];
        final long initialActive = Math.round(target.busy(0) * NodeTarget.CPUS * FIXED_1);
        for (int average = 0; average < averages.length; average++) {
            averages[average] = initialActive;
        }
        for (int tick = 0; tick < WARM_UP_TICKS; tick++) {
            fold(averages, activeTasks(random, target.busy(0)));
        }
        for (int sample = 0; sample < target.samples(); sample++) {
            final long ticks = Sampling.ticksBetween(target.previousTimestamp(sample), target.timestamp(sample),
                LOAD_FREQ_MS, phaseMs);
            for (long tick = 0; tick < ticks; tick++) {
                fold(averages, activeTasks(random, target.busy(sample)));
            }
            for (int average = 0; average < averages.length; average++) {
                values[average][sample] = loadAverageText(averages[average]);
            }
        }
    }

    private static long activeTasks(final SplittableRandom random, final double busy) {
        final double blocked = random.nextDouble() < 0.05 ? 1 + random.nextInt(3) : 0;
        return Sampling.poisson(random, busy * NodeTarget.CPUS * 1.05 + 0.02) + (long) blocked;
    }

    private static void fold(final long[] averages, final long activeTasks) {
        final long active = activeTasks * FIXED_1;
        for (int average = 0; average < averages.length; average++) {
            final long load = averages[average];
            final long exponent = EXPONENTS[average];
            long next = load * exponent + active * (FIXED_1 - exponent);
            if (active >= load) {
                next += FIXED_1 - 1;
            }
            averages[average] = next / FIXED_1;
        }
    }

    /** What /proc/loadavg prints for a fixed-point average, rounded to 1/100, parsed back to a double. */
    static double loadAverageText(final long average) {
        final long rounded = average + FIXED_1 / 200;
        final long whole = rounded >> FSHIFT;
        final long hundredths = ((rounded & (FIXED_1 - 1)) * 100) >> FSHIFT;
        return (whole * 100 + hundredths) / 100.0;
    }
}
