package io.tidemark.bench.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The /proc/diskstats counters of {@code device="sda"} (system disk, mostly writes: reads are served
 * from the page cache) and {@code device="sdb"} (data disk): operations completed, bytes (512-byte
 * sectors, in whole 4 KiB pages), time spent reading, writing and busy, and the I/Os in flight.
 *
 * <p>Times are kernel milliseconds converted the way node_exporter does it,
 * {@code ms * (1.0 / 1000.0)}, so they carry three decimals and, now and then, the binary
 * rounding of that multiplication.
 */
final class NodeDiskFamily extends NodeSeriesFamily {
    private static final String[] DEVICES = {"sda", "sdb"};
    private static final String[] METRICS = {
        "node_disk_io_now", "node_disk_io_time_seconds_total", "node_disk_read_bytes_total",
        "node_disk_read_time_seconds_total", "node_disk_reads_completed_total",
        "node_disk_write_time_seconds_total", "node_disk_writes_completed_total", "node_disk_written_bytes_total",
    };
    private static final long SECTOR_BYTES = 512;
    private static final int SECTORS_PER_PAGE = 8;

    NodeDiskFamily() {
        super(keys());
    }

    private static List<SeriesKey> keys() {
        final List<SeriesKey> keys = new ArrayList<>();
        for (final String device : DEVICES) {
            for (final String metric : METRICS) {
                keys.add(new SeriesKey(metric, "device", device));
            }
        }
        return keys;
    }

    @Override
    void generate(final NodeTarget target, final SplittableRandom random, final double[][] values) {
        final double uptimeSeconds = (target.previousTimestamp(0) - target.bootTimeMs()) / 1000.0;
        for (int device = 0; device < DEVICES.length; device++) {
            final boolean dataDisk = device == 1;
            final double writesPerSecond = Sampling.logNormal(random, dataDisk ? 40 : 4, 0.8);
            final double readsPerSecond = Sampling.logNormal(random, dataDisk ? 15 : 0.3, 1.0);
            final double readBusyProbability = dataDisk ? 0.9 : 0.15;
            final double serviceMs = Sampling.logNormal(random, dataDisk ? 0.4 : 1.5, 0.4);
            long reads = Math.round(uptimeSeconds * readsPerSecond);
            long writes = Math.round(uptimeSeconds * writesPerSecond);
            long readSectors = reads * 8 * SECTORS_PER_PAGE;
            long writtenSectors = writes * 4 * SECTORS_PER_PAGE;
            long readMs = Math.round(reads * serviceMs);
            long writeMs = Math.round(writes * serviceMs * 1.3);
            long ioMs = Math.round((readMs + writeMs) * 0.7);
            final int base = device * METRICS.length;
            for (int sample = 0; sample < target.samples(); sample++) {
                final long elapsedMs = target.timestamp(sample) - target.previousTimestamp(sample);
                final double seconds = elapsedMs / 1000.0;
                final double load = 0.3 + target.busy(sample);
                final long newReads = random.nextDouble() < readBusyProbability
                    ? Sampling.poisson(random, Sampling.logNormal(random, readsPerSecond * seconds * load, 0.9)) : 0;
                final long newWrites = random.nextDouble() < 0.97
                    ? Sampling.poisson(random, Sampling.logNormal(random, writesPerSecond * seconds * load, 0.7)) : 0;
                reads += newReads;
                writes += newWrites;
                readSectors += SECTORS_PER_PAGE * (newReads + Sampling.poisson(random, newReads * 7.0));
                writtenSectors += SECTORS_PER_PAGE * (newWrites + Sampling.poisson(random, newWrites * 3.0));
                final long newReadMs = Sampling.poisson(random, newReads * serviceMs);
                final long newWriteMs = Sampling.poisson(random, newWrites * serviceMs * 1.3);
                readMs += newReadMs;
                writeMs += newWriteMs;
                // Busy time overlaps across queued requests and cannot exceed the interval.
                ioMs += Math.min(elapsedMs, Math.round((newReadMs + newWriteMs) * (0.5 + 0.4 * random.nextDouble())));
                final long inFlight = random.nextDouble() < 0.9 ? 0 : random.nextLong(1, dataDisk ? 9 : 3);
                values[base][sample] = inFlight;
                values[base + 1][sample] = Sampling.diskMillisToSeconds(ioMs);
                values[base + 2][sample] = readSectors * (double) SECTOR_BYTES;
                values[base + 3][sample] = Sampling.diskMillisToSeconds(readMs);
                values[base + 4][sample] = reads;
                values[base + 5][sample] = Sampling.diskMillisToSeconds(writeMs);
                values[base + 6][sample] = writes;
                values[base + 7][sample] = writtenSectors * (double) SECTOR_BYTES;
            }
        }
    }
}
