package io.tidemark.bench.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code node_cpu_seconds_total{cpu, mode}} of one CPU: the time spent in each of 8 modes, as the
 * kernel counts it in USER_HZ ticks (1/100 s) and procfs divides it by 100.
 *
 * <p>Each scrape interval hands out exactly the ticks that elapsed on the CPU's clock: the busy
 * share (the target's activity scaled for this CPU, with noise) goes mostly to user and system, a
 * little to softirq and irq; nice runs only in rare bursts, steal only on targets that are virtual
 * machines, iowait comes and goes; idle takes the rest, about 15 s times the idle fraction.
 */
final class NodeCpuFamily extends NodeSeriesFamily {
    private static final String[] MODES = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};
    private static final int USER = 0;
    private static final int NICE = 1;
    private static final int SYSTEM = 2;
    private static final int IDLE = 3;
    private static final int IOWAIT = 4;
    private static final int IRQ = 5;
    private static final int SOFTIRQ = 6;
    private static final int STEAL = 7;
    private static final long MS_PER_TICK = 10;

    NodeCpuFamily(final int cpu) {
        super(keys(cpu));
    }

    private static List<SeriesKey> keys(final int cpu) {
        final List<SeriesKey> keys = new ArrayList<>();
        for (final String mode : MODES) {
            keys.add(new SeriesKey("node_cpu_seconds_total", "cpu", Integer.toString(cpu), "mode", mode));
        }
        return keys;
    }

    @Override
    void generate(final NodeTarget target, final SplittableRandom random, final double[][] values) {
        final double stealFraction = target.stealFraction();
        final long bootMs = target.bootTimeMs();
        final double cpuShare = 0.7 + 0.6 * random.nextDouble();
        final long[] ticks = initialTicks(random, target, cpuShare);
        for (int sample = 0; sample < target.samples(); sample++) {
            final long elapsed = Math.floorDiv(target.timestamp(sample) - bootMs, MS_PER_TICK)
                - Math.floorDiv(target.previousTimestamp(sample) - bootMs, MS_PER_TICK);
            advance(random, ticks, elapsed, target.busy(sample) * cpuShare, stealFraction);
            for (int mode = 0; mode < MODES.length; mode++) {
                values[mode][sample] = Sampling.userHzTicksToSeconds(ticks[mode]);
            }
        }
    }

    /** Counters at the scrape before the data: the uptime split by typical shares, varied per CPU. */
    private static long[] initialTicks(final SplittableRandom random, final NodeTarget target, final double cpuShare) {
        final long uptimeTicks = (target.previousTimestamp(0) - target.bootTimeMs()) / MS_PER_TICK;
        final double busy = Sampling.clamp(target.busy(0) * cpuShare, 0.01, 0.9);
        final double[] shares = new double[MODES.length];
        shares[USER] = busy * 0.62;
        shares[NICE] = 0.0007;
        shares[SYSTEM] = busy * 0.27;
        shares[IOWAIT] = 0.003;
        shares[IRQ] = busy * 0.01;
        shares[SOFTIRQ] = busy * 0.05;
        shares[STEAL] = target.stealFraction();
        final long[] ticks = new long[MODES.length];
        long others = 0;
        for (int mode = 0; mode < MODES.length; mode++) {
            if (mode != IDLE) {
                ticks[mode] = Math.round(uptimeTicks * shares[mode] * (0.8 + 0.4 * random.nextDouble()));
                others += ticks[mode];
            }
        }
        ticks[IDLE] = uptimeTicks - others;
        return ticks;
    }

    private static void advance(final SplittableRandom random, final long[] ticks, final long elapsed,
                                final double busy, final double stealFraction) {
        final double busyFraction = Sampling.clamp(busy * (1 + 0.25 * random.nextGaussian()), 0, 0.99);
        final double busyTicks = elapsed * busyFraction;
        long user = Sampling.poisson(random, busyTicks * 0.62);
        long system = Sampling.poisson(random, busyTicks * 0.27);
        final long softirq = Sampling.poisson(random, busyTicks * 0.05);
        final long irq = Sampling.poisson(random, busyTicks * 0.01);
        final long nice = random.nextDouble() < 0.02 ? Sampling.poisson(random, 5 + busyTicks * 0.5) : 0;
        final double iowaitFraction = random.nextDouble() < 0.1 ? 0.02 * random.nextDouble() : 0.001;
        final long iowait = Sampling.poisson(random, elapsed * iowaitFraction);
        final long steal = stealFraction > 0 ? Sampling.poisson(random, elapsed * stealFraction) : 0;
        long excess = user + system + softirq + irq + nice + iowait + steal - elapsed;
        if (excess > 0) {
            final long fromUser = Math.min(user, excess);
            user -= fromUser;
            excess -= fromUser;
            system -= Math.min(system, excess);
        }
        final long busyTotal = user + system + softirq + irq + nice + iowait + steal;
        ticks[USER] += user;
        ticks[NICE] += nice;
        ticks[SYSTEM] += system;
        ticks[IOWAIT] += iowait;
        ticks[IRQ] += irq;
        ticks[SOFTIRQ] += softirq;
        ticks[STEAL] += steal;
        ticks[IDLE] += Math.max(0, elapsed - busyTotal);
    }
}
