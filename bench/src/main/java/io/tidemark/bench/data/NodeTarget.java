package io.tidemark.bench.data;

import java.util.SplittableRandom;

/**
 * What the series of one node target share: its address, its scrape timestamps and the CPU
 * activity that drives its correlated series (CPU time, load, temperature, interrupts).
 *
 * <p>Scrapes follow a 15 s interval from {@link #START_MS} plus a per-target offset in
 * {@code [0, 15000)} ms. Each scrape is a few milliseconds off schedule (a rounded normal with
 * sigma 2 ms, clamped to 10 ms either way), and one scrape in a hundred is 10 to 200 ms late, so
 * consecutive timestamps are always at least 14,790 ms apart.
 */
final class NodeTarget {
    /** Start of the first scrape interval: 2023-11-14T22:13:20Z. */
    static final long START_MS = 1_700_000_000_000L;
    static final long SCRAPE_INTERVAL_MS = 15_000L;
    static final int CPUS = 4;

    private static final long STREAM_TIMESTAMPS = 1;
    private static final long STREAM_PROFILE = 2;
    private static final long STREAM_ACTIVITY = 3;
    private static final double LATE_SCRAPE_PROBABILITY = 0.01;

    private final int index;
    private final long[] timestamps;
    private final double[] busy;
    private final long bootTimeSeconds;
    private final double stealFraction;

    private NodeTarget(final int index, final long[] timestamps, final double[] busy, final long bootTimeSeconds,
                       final double stealFraction) {
        this.index = index;
        this.timestamps = timestamps;
        this.busy = busy;
        this.bootTimeSeconds = bootTimeSeconds;
        this.stealFraction = stealFraction;
    }

    /** Generates target {@code index} of the dataset with {@code seed}, with {@code samples} scrapes. */
    static NodeTarget create(final long seed, final int index, final int samples) {
        final SplittableRandom profile = RandomStreams.of(seed, index, STREAM_PROFILE);
        final long uptimeSeconds = profile.nextLong(86_400L, 90L * 86_400L);
        final double baseBusy = Sampling.clamp(Sampling.logNormal(profile, 0.12, 0.8), 0.02, 0.7);
        // Half of the targets are virtual machines, whose CPUs lose some time to the hypervisor.
        final double stealFraction = profile.nextBoolean() ? 0.001 + 0.01 * profile.nextDouble() : 0;
        return new NodeTarget(index, scrapeTimestamps(RandomStreams.of(seed, index, STREAM_TIMESTAMPS), samples),
            activity(RandomStreams.of(seed, index, STREAM_ACTIVITY), samples, baseBusy),
            START_MS / 1000 - uptimeSeconds, stealFraction);
    }

    private static long[] scrapeTimestamps(final SplittableRandom random, final int samples) {
        final long first = START_MS + random.nextLong(SCRAPE_INTERVAL_MS);
        final long[] timestamps = new long[samples];
        for (int i = 0; i < samples; i++) {
            final long jitter;
            if (random.nextDouble() < LATE_SCRAPE_PROBABILITY) {
                jitter = random.nextLong(10, 201);
            } else {
                jitter = Math.max(-10, Math.min(10, Math.round(random.nextGaussian() * 2.0)));
            }
            timestamps[i] = first + i * SCRAPE_INTERVAL_MS + jitter;
        }
        return timestamps;
    }

    /**
     * Fraction of CPU time busy in each scrape interval: a mean-reverting walk in log space around
     * the target's base load, with occasional bursts of a few minutes (batch jobs, deploys).
     */
    private static double[] activity(final SplittableRandom random, final int samples, final double baseBusy) {
        final double[] busy = new double[samples];
        final double logBase = Math.log(baseBusy);
        double level = logBase;
        int burstRemaining = 0;
        double burstHeight = 0;
        for (int i = 0; i < samples; i++) {
            level = 0.95 * level + 0.05 * logBase + 0.12 * random.nextGaussian();
            if (burstRemaining == 0 && random.nextDouble() < 0.004) {
                burstRemaining = random.nextInt(4, 40);
                burstHeight = 0.2 + 0.6 * random.nextDouble();
            }
            double value = Math.exp(level);
            if (burstRemaining > 0) {
                burstRemaining--;
                value += burstHeight;
            }
            busy[i] = Sampling.clamp(value, 0.005, 0.98);
        }
        return busy;
    }

    int index() {
        return index;
    }

    /** The instance label, {@code 10.0.<index / 256>.<index % 256>:9100}. */
    String instance() {
        return "10.0." + (index >>> 8) + '.' + (index & 0xFF) + ":9100";
    }

    /** The host name that node_uname_info reports. */
    String nodeName() {
        return "node-" + index;
    }

    int samples() {
        return timestamps.length;
    }

    /** Timestamp of scrape {@code sample} in milliseconds; shared, do not modify the array. */
    long timestamp(final int sample) {
        return timestamps[sample];
    }

    /** Timestamp of the scrape before {@code sample}, which for the first scrape lies before the data. */
    long previousTimestamp(final int sample) {
        return sample == 0 ? timestamps[0] - SCRAPE_INTERVAL_MS : timestamps[sample - 1];
    }

    /** A copy of the scrape timestamps, for a series to own. */
    long[] copyTimestamps() {
        return timestamps.clone();
    }

    /** Fraction of CPU time busy, averaged over the CPUs, in the interval ending at scrape {@code sample}. */
    double busy(final int sample) {
        return busy[sample];
    }

    /** Boot time in seconds since the epoch, as node_boot_time_seconds reports it. */
    long bootTimeSeconds() {
        return bootTimeSeconds;
    }

    /** Fraction of each CPU's time stolen by the hypervisor: 0 on bare metal. */
    double stealFraction() {
        return stealFraction;
    }

    long bootTimeMs() {
        return bootTimeSeconds * 1000;
    }
}
