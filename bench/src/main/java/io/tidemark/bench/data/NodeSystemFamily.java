package io.tidemark.bench.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Whole-machine series from /proc/stat, cpufreq, uname and the clock: the integer counters
 * {@code node_context_switches_total}, {@code node_intr_total} and {@code node_forks_total}, the
 * small integer gauges {@code node_procs_running} and {@code node_procs_blocked}, the constants
 * {@code node_boot_time_seconds}, {@code node_uname_info} and {@code node_cpu_frequency_max_hertz},
 * the per-CPU {@code node_cpu_scaling_frequency_hertz} (kHz times 1000, following load), and
 * {@code node_time_seconds}, Go's {@code float64(time.Now().UnixNano()) / 1e9} taken a little after
 * the scrape started.
 */
final class NodeSystemFamily extends NodeSeriesFamily {
    private static final long[] MAX_KHZ = {2_400_000, 2_900_000, 3_500_000, 4_200_000};
    private static final long MIN_KHZ = 800_000;
    private static final int BOOT_TIME = 0;
    private static final int CONTEXT_SWITCHES = 1;
    private static final int FIRST_MAX_FREQUENCY = 2;
    private static final int FIRST_SCALING_FREQUENCY = FIRST_MAX_FREQUENCY + NodeTarget.CPUS;
    private static final int FORKS = FIRST_SCALING_FREQUENCY + NodeTarget.CPUS;
    private static final int INTERRUPTS = FORKS + 1;
    private static final int PROCS_BLOCKED = INTERRUPTS + 1;
    private static final int PROCS_RUNNING = PROCS_BLOCKED + 1;
    private static final int TIME = PROCS_RUNNING + 1;
    private static final int UNAME = TIME + 1;

    NodeSystemFamily() {
        super(keys());
    }

    private static List<SeriesKey> keys() {
        final List<SeriesKey> keys = new ArrayList<>();
        keys.add(new SeriesKey("node_boot_time_seconds"));
        keys.add(new SeriesKey("node_context_switches_total"));
        for (int cpu = 0; cpu < NodeTarget.CPUS; cpu++) {
            keys.add(new SeriesKey("node_cpu_frequency_max_hertz", "cpu", Integer.toString(cpu)));
        }
        for (int cpu = 0; cpu < NodeTarget.CPUS; cpu++) {
            keys.add(new SeriesKey("node_cpu_scaling_frequency_hertz", "cpu", Integer.toString(cpu)));
        }
        keys.add(new SeriesKey("node_forks_total"));
        keys.add(new SeriesKey("node_intr_total"));
        keys.add(new SeriesKey("node_procs_blocked"));
        keys.add(new SeriesKey("node_procs_running"));
        keys.add(new SeriesKey("node_time_seconds"));
        keys.add(new SeriesKey("node_uname_info", "domainname", "(none)", "machine", "x86_64",
            "release", "6.1.0-18-amd64", "sysname", "Linux",
            "version", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"));
        return keys;
    }

    @Override
    void putLabels(final int member, final NodeTarget target, final Map<String, String> labels) {
        super.putLabels(member, target, labels);
        if (member == UNAME) {
            labels.put("nodename", target.nodeName());
        }
    }

    @Override
    void generate(final NodeTarget target, final SplittableRandom random, final double[][] values) {
        final double uptimeSeconds = (target.previousTimestamp(0) - target.bootTimeMs()) / 1000.0;
        final long maxKhz = MAX_KHZ[random.nextInt(MAX_KHZ.length)];
        final double switchesPerSecond = Sampling.logNormal(random, 3_000, 0.6);
        final double interruptsPerSecond = Sampling.logNormal(random, 2_000, 0.5);
        final double forksPerSecond = Sampling.logNormal(random, 3, 0.8);
        long switches = Math.round(uptimeSeconds * switchesPerSecond);
        long interrupts = Math.round(uptimeSeconds * interruptsPerSecond);
        long forks = Math.round(uptimeSeconds * forksPerSecond);
        for (int sample = 0; sample < target.samples(); sample++) {
            final long timestamp = target.timestamp(sample);
            final double seconds = (timestamp - target.previousTimestamp(sample)) / 1000.0;
            final double busy = target.busy(sample);
            final double activity = 0.3 + 2 * busy;
            switches += Sampling.poisson(random, Sampling.logNormal(random, switchesPerSecond * activity * seconds, 0.3));
            interrupts += Sampling.poisson(random, Sampling.logNormal(random, interruptsPerSecond * activity * seconds, 0.2));
            final double forkBurst = random.nextDouble() < 0.02 ? 5 + 30 * random.nextDouble() : 1;
            forks += Sampling.poisson(random, forksPerSecond * forkBurst * seconds);
            values[BOOT_TIME][sample] = target.bootTimeSeconds();
            values[CONTEXT_SWITCHES][sample] = switches;
            for (int cpu = 0; cpu < NodeTarget.CPUS; cpu++) {
                values[FIRST_MAX_FREQUENCY + cpu][sample] = maxKhz * 1000.0;
                final double share = Sampling.clamp(busy * 1.5 + 0.15 * random.nextGaussian(), 0, 1);
                final long khz = MIN_KHZ + Math.round((maxKhz - MIN_KHZ) * share);
                values[FIRST_SCALING_FREQUENCY + cpu][sample] = khz * 1000.0;
            }
            values[FORKS][sample] = forks;
            values[INTERRUPTS][sample] = interrupts;
            values[PROCS_BLOCKED][sample] = random.nextDouble() < 0.05 ? random.nextInt(1, 3) : 0;
            values[PROCS_RUNNING][sample] = 1 + Sampling.poisson(random, busy * NodeTarget.CPUS);
            final long unixNanos = timestamp * 1_000_000L + random.nextLong(200_000, 3_000_000);
            values[TIME][sample] = unixNanos / 1e9;
            values[UNAME][sample] = 1;
        }
    }
}
