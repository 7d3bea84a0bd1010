package io.tidemark.bench.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code node_memory_*_bytes} from /proc/meminfo, which the kernel reports in KiB and node_exporter
 * multiplies by 1024; every quantity is a whole number of 4 KiB pages.
 *
 * <p>MemTotal and SwapTotal never change. Application memory wanders around a level, the page
 * cache fills slowly and is now and then reclaimed in a chunk, dirty pages come in bursts and get
 * written back; MemFree is what the others leave, MemAvailable adds back the reclaimable cache.
 * SwapFree drops by a few pages in rare intervals.
 */
final class NodeMemoryFamily extends NodeSeriesFamily {
    private static final long PAGE_BYTES = 4096;
    private static final long GIB_PAGES = (1L << 30) / PAGE_BYTES;

    NodeMemoryFamily() {
        super(List.of(
            new SeriesKey("node_memory_Active_bytes"),
            new SeriesKey("node_memory_Buffers_bytes"),
            new SeriesKey("node_memory_Cached_bytes"),
            new SeriesKey("node_memory_Dirty_bytes"),
            new SeriesKey("node_memory_Inactive_bytes"),
            new SeriesKey("node_memory_MemAvailable_bytes"),
            new SeriesKey("node_memory_MemFree_bytes"),
            new SeriesKey("node_memory_MemTotal_bytes"),
            new SeriesKey("node_memory_SwapFree_bytes"),
            new SeriesKey("node_memory_SwapTotal_bytes")));
    }

    @Override
    void generate(final NodeTarget target, final SplittableRandom random, final double[][] values) {
        // MemTotal is a little under the installed size: the kernel keeps some for itself.
        final long totalPages = GIB_PAGES * (8L << random.nextInt(4)) - random.nextLong(20_000, 120_000);
        final long swapTotalPages = random.nextBoolean() ? 2 * GIB_PAGES : 0;
        long swapFreePages = swapTotalPages - (swapTotalPages == 0 ? 0 : random.nextLong(0, GIB_PAGES / 8));
        final double applicationLevel = totalPages * (0.15 + 0.4 * random.nextDouble());
        double application = applicationLevel;
        long cachedPages = Math.round(totalPages * (0.1 + 0.3 * random.nextDouble()));
        long buffersPages = random.nextLong(5_000, 60_000);
        long dirtyPages = 0;
        for (int sample = 0; sample < target.samples(); sample++) {
            application += 0.05 * (applicationLevel - application) + totalPages * 0.002 * random.nextGaussian();
            final long applicationPages = Math.max(GIB_PAGES / 4, Math.round(application));
            cachedPages += Sampling.poisson(random, 40 + 400 * target.busy(sample));
            if (random.nextDouble() < 0.01 || applicationPages + cachedPages + buffersPages > totalPages * 0.95) {
                cachedPages -= Math.round(cachedPages * (0.05 + 0.25 * random.nextDouble()));
            }
            buffersPages = Math.max(1_000, buffersPages + Math.round(random.nextGaussian() * 20));
            cachedPages = Math.max(0, Math.min(cachedPages, totalPages * 97 / 100 - applicationPages - buffersPages));
            dirtyPages = random.nextDouble() < 0.3 ? Sampling.poisson(random, 2_000 * random.nextDouble()) : dirtyPages / 4;
            if (swapFreePages > 0 && random.nextDouble() < 0.002) {
                swapFreePages -= Math.min(swapFreePages, random.nextLong(1, 64));
            }
            final long freePages = totalPages - applicationPages - cachedPages - buffersPages;
            final long availablePages = freePages + cachedPages * 4 / 5 + buffersPages;
            final long activePages = applicationPages * 7 / 10 + cachedPages / 2;
            final long inactivePages = applicationPages - applicationPages * 7 / 10 + cachedPages - cachedPages / 2;
            final long[] pages = {activePages, buffersPages, cachedPages, dirtyPages, inactivePages, availablePages,
                freePages, totalPages, swapFreePages, swapTotalPages};
            for (int member = 0; member < pages.length; member++) {
                values[member][sample] = pages[member] * PAGE_BYTES;
            }
        }
    }
}
