package io.tidemark.bench.restart;

import io.tidemark.bench.BenchFiles;
import io.tidemark.bench.BenchOptions;
import io.tidemark.bench.index.NodeLabelSets;
import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.engine.wal.WalRecovery;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./tidemark bench restart}: writes {@code --series} node series (the {@code node} dataset's
 * labels) with {@code --hours} of samples every 15 s into the head, never sealing ({@code sealCheck 0}
 * and a one-day block range that holds the whole run), closes the database, and times
 * {@link Tidemark#open}: every shard's WAL replayed in parallel, the head rebuilt and the index restored.
 *
 * <p>Samples go in scrape order (one per series, then the next), with node-like values: integer and
 * decimal counters growing by small steps, a gauge that changes every five minutes, a constant.
 *
 * <p>Options: {@code --series N} (100000); {@code --hours H} (2); {@code --shards N} (2);
 * {@code --batch N} samples per commit (1000); {@code --durability os_write|fsync} (os_write: the
 * write phase is set-up here, replay reads the same WAL either way); {@code --seed S} (1);
 * {@code --keep true|false} (false); {@code --dir DIR} (the current directory).
 */
public final class RestartBench {
    private static final String TENANT = "bench";
    private static final long INTERVAL_MILLIS = 15_000;
    private static final long BLOCK_RANGE_MILLIS = TimeUnit.DAYS.toMillis(1);
    /** The first sample: a minute into a block range, so two hours of data stay in one window. */
    private static final long START_MILLIS = Math.floorDiv(1_700_000_000_000L, BLOCK_RANGE_MILLIS) * BLOCK_RANGE_MILLIS + 60_000;
    private static final long DURABLE_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(5);

    private RestartBench() {
    }

    public static void run(final BenchOptions options) throws IOException {
        final int seriesCount = options.integer("series", 100_000);
        final int samplesPerSeries = (int) (options.integer("hours", 2) * TimeUnit.HOURS.toMillis(1) / INTERVAL_MILLIS);
        final Durability durability = switch (options.text("durability", "os_write")) {
            case "os_write" -> Durability.OS_WRITE_LOST_ON_POWER_FAILURE;
            case "fsync" -> Durability.FSYNC;
            default -> throw new IllegalArgumentException("--durability must be os_write or fsync");
        };
        final Path directory = BenchFiles.newRunDirectory(options, "restart");
        final TidemarkConfig config = TidemarkConfig.defaults(directory)
            .withIngest(new IngestConfig(options.integer("shards", 2), 1024, 256, IngestConfig.BackPressure.BLOCK,
                TimeUnit.SECONDS.toNanos(60), IngestConfig.Idle.BACKOFF))
            .withWal(WalConfig.defaults().withDurability(durability))
            .withBlockRange(BLOCK_RANGE_MILLIS)
            .withSealCheck(0);
        final NativeAllocator labelsAllocator = NativeAllocator.withLimit(4L << 30);
        try {
            final long written;
            try (NodeLabelSets labels = NodeLabelSets.generate(labelsAllocator, options.integer("seed", 1), seriesCount)) {
                written = write(config, labels, samplesPerSeries, options.integer("batch", 1_000), durability);
            }
            // from the head snapshots the clean close wrote, then again with them deleted: a WAL replay
            reopen(config, seriesCount, written, directory, "snapshot");
            BenchFiles.deleteRecursively(directory.resolve("tenants").resolve(TENANT).resolve("head"));
            reopen(config, seriesCount, written, directory, "replay");
        } finally {
            if (Boolean.parseBoolean(options.text("keep", "false"))) {
                System.out.println("restart=kept dir=" + directory);
            } else {
                BenchFiles.deleteRecursively(directory);
            }
        }
    }

    /** Writes every series' samples in scrape order and closes the database; returns the samples written. */
    private static long write(final TidemarkConfig config, final NodeLabelSets labels, final int samplesPerSeries, final int batch,
                              final Durability durability) throws IOException {
        final int count = labels.size();
        final int[] ids = new int[count];
        final long[] counters = new long[count];
        final long[] offsets = new long[count];
        final int perTarget = NodeLabelSets.seriesPerTarget();
        final long start = System.nanoTime();
        final long appendStart;
        final long nativeBytes;
        final String tags;
        final long closeStart;
        try (Tidemark db = Tidemark.open(config)) {
            final TenantAppender appender = db.appender(TENANT);
            for (int s = 0; s < count; s++) {
                ids[s] = appender.series(labels.bytes(), labels.offset(s), labels.length(s));
                offsets[s] = (s / perTarget) * 7_919L % INTERVAL_MILLIS; // each target scrapes at its own offset
            }
            appendStart = System.nanoTime();
            int pending = 0;
            for (int k = 0; k < samplesPerSeries; k++) {
                final long scrape = START_MILLIS + k * INTERVAL_MILLIS;
                for (int s = 0; s < count; s++) {
                    appender.append(ids[s], scrape + offsets[s], value(s, k, counters));
                    if (++pending == batch) {
                        appender.commit();
                        pending = 0;
                    }
                }
            }
            appender.commit();
            if (!appender.awaitDurable(DURABLE_TIMEOUT_NANOS)) {
                throw new IllegalStateException("samples not durable within " + TimeUnit.NANOSECONDS.toSeconds(DURABLE_TIMEOUT_NANOS)
                    + " s");
            }
            nativeBytes = db.nativeBytesInUse();
            tags = byTag("restart=native_by_tag_before_close", db);
            closeStart = System.nanoTime();
        }
        final long end = System.nanoTime();
        final long samples = (long) count * samplesPerSeries;
        System.out.printf(Locale.ROOT, "restart=write series=%d samples_per_series=%d samples=%d shards=%d durability=%s "
                + "append_seconds=%.2f samples_per_sec=%.0f total_seconds_with_close=%.2f native_bytes_before_close=%d "
                + "native_bytes_per_series_before_close=%.0f close_seconds=%.2f%n", count, samplesPerSeries, samples,
            config.ingest().shards(), durability.name().toLowerCase(Locale.ROOT), (end - appendStart) / 1e9,
            samples / ((end - appendStart) / 1e9), (end - start) / 1e9, nativeBytes, nativeBytes / (double) count,
            (end - closeStart) / 1e9);
        System.out.println(tags);
        return samples;
    }

    private static String byTag(final String prefix, final Tidemark db) {
        final StringBuilder line = new StringBuilder(prefix);
        db.nativeBytesByTag().forEach((tag, bytes) -> line.append(' ').append(tag.name().toLowerCase(Locale.ROOT))
            .append('=').append(bytes));
        return line.toString();
    }

    /** Node-like values: series {@code s mod 4} is an integer counter, a decimal counter, a 5-minute gauge or a constant. */
    private static double value(final int s, final int k, final long[] counters) {
        return switch (s & 3) {
            case 0 -> counters[s] += 1 + ((s + k) & 7);
            case 1 -> (counters[s] += 1 + (s * 7 + k) % 50) / 100.0;
            case 2 -> 1_000 + (k / 20 + s) % 5;
            default -> s;
        };
    }

    /** Opens and closes the database, timing the open; {@code how} names the way the heads are expected to come back. */
    private static void reopen(final TidemarkConfig config, final int seriesCount, final long written, final Path directory,
                               final String how) throws IOException {
        final long walBytes = BenchFiles.bytesUnder(directory.resolve("tenants"));
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        final double loadAverage = os.getSystemLoadAverage();
        final long cpuStart = os.getProcessCpuTime();
        final long start = System.nanoTime();
        try (Tidemark db = Tidemark.open(config)) {
            final long nanos = System.nanoTime() - start;
            // CPU time of the whole process while it opened: well under cores x wall time means other work had the cores.
            final long cpuNanos = os.getProcessCpuTime() - cpuStart;
            long samples = 0;
            long series = 0;
            long segments = 0;
            for (final WalRecovery recovery : db.recoveries()) {
                samples += recovery.samplesReplayed();
                series += recovery.seriesReplayed();
                segments += recovery.segmentsReplayed();
            }
            if (db.headsRestored() > 0) {
                series = db.select(TENANT, java.util.List.of()).length; // the WAL was not read: the index has them
                samples = written; // checked by the engine's tests; here the native bytes are compared with the replay's
            }
            final long nativeBytes = db.nativeBytesInUse();
            System.out.printf(Locale.ROOT, "restart=open from=%s heads_restored=%d series=%d samples=%d disk_bytes=%d segments=%d "
                    + "open_seconds=%.2f samples_per_sec=%.0f process_cpu_seconds=%.2f cores=%d load_average_before=%.1f native_bytes=%d "
                    + "native_bytes_per_series=%.0f%n", how, db.headsRestored(), series, samples, walBytes, segments, nanos / 1e9,
                samples / (nanos / 1e9), cpuNanos / 1e9, os.getAvailableProcessors(), loadAverage, nativeBytes,
                nativeBytes / (double) seriesCount);
            System.out.println(byTag("restart=native_by_tag", db));
            if (samples != written || series != seriesCount) {
                System.out.printf(Locale.ROOT, "restart=warning what=replay_differs written_samples=%d replayed_samples=%d "
                    + "series=%d replayed_series=%d%n", written, samples, seriesCount, series);
            }
        }
    }
}
