package io.tidemark.bench.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The exporter's own process and Go runtime series: {@code go_goroutines}, {@code go_memstats_alloc_bytes}
 * (a sawtooth: allocation grows the heap, garbage collection cuts it back to the live size),
 * {@code go_memstats_heap_inuse_bytes} (whole 8 KiB spans), {@code process_cpu_seconds_total}
 * (USER_HZ ticks over 100), {@code process_open_fds}, {@code process_resident_memory_bytes} (whole
 * pages) and the constant {@code process_start_time_seconds}.
 */
final class NodeProcessFamily extends NodeSeriesFamily {
    private static final long SPAN_BYTES = 8192;
    private static final long PAGE_BYTES = 4096;

    NodeProcessFamily() {
        super(List.of(
            new SeriesKey("go_goroutines"),
            new SeriesKey("go_memstats_alloc_bytes"),
            new SeriesKey("go_memstats_heap_inuse_bytes"),
            new SeriesKey("process_cpu_seconds_total"),
            new SeriesKey("process_open_fds"),
            new SeriesKey("process_resident_memory_bytes"),
            new SeriesKey("process_start_time_seconds")));
    }

    @Override
    void generate(final NodeTarget target, final SplittableRandom random, final double[][] values) {
        final long startTicks = random.nextLong(500, 6_000);
        final double startTime = target.bootTimeSeconds() + Sampling.userHzTicksToSeconds(startTicks);
        final long uptimeTicks = (target.previousTimestamp(0) - target.bootTimeMs()) / 10 - startTicks;
        long cpuTicks = Math.round(uptimeTicks * 0.0015);
        final long liveBytes = random.nextLong(2_500_000, 4_000_000);
        long allocatedBytes = liveBytes;
        long goroutines = random.nextLong(7, 10);
        long openFiles = random.nextLong(9, 12);
        long residentPages = random.nextLong(4_000, 6_000);
        for (int sample = 0; sample < target.samples(); sample++) {
            // Each scrape allocates a few hundred KiB; the collector runs when the heap doubles.
            allocatedBytes += random.nextLong(200_000, 900_000);
            if (allocatedBytes > 2 * liveBytes) {
                allocatedBytes = liveBytes + random.nextLong(-100_000, 100_000);
            }
            cpuTicks += Sampling.poisson(random, 1.5);
            if (random.nextDouble() < 0.05) {
                goroutines = Math.max(6, goroutines + random.nextLong(-1, 2));
            }
            if (random.nextDouble() < 0.03) {
                openFiles = Math.max(8, openFiles + random.nextLong(-1, 2));
            }
            if (random.nextDouble() < 0.1) {
                residentPages += random.nextLong(-30, 31);
            }
            values[0][sample] = goroutines;
            values[1][sample] = allocatedBytes;
            values[2][sample] = (allocatedBytes / SPAN_BYTES + 40) * SPAN_BYTES;
            values[3][sample] = Sampling.userHzTicksToSeconds(cpuTicks);
            values[4][sample] = openFiles;
            values[5][sample] = residentPages * PAGE_BYTES;
            values[6][sample] = startTime;
        }
    }
}
