package io.tidemark.bench.storage;

import io.tidemark.bench.BenchFiles;
import io.tidemark.bench.BenchOptions;
import io.tidemark.bench.data.Dataset;
import io.tidemark.bench.data.Datasets;
import io.tidemark.bench.data.PrometheusTextWriter;
import io.tidemark.bench.data.SeriesData;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./tidemark bench storage}: for each dataset, loads the same generated series into Tidemark
 * (appender, flush into blocks) and into a VictoriaMetrics 1.79 started for the run (import, flush,
 * force merge), and prints what each stores per sample on disk and their ratio.
 *
 * <p>Options: {@code --dataset node|tsbs|all} (all); {@code --series N} (1000, rounded up to whole node
 * targets of 163 series or tsbs hosts of 10); {@code --hours H} of data per series (26, enough for two
 * complete 12 h compactions of 2 h blocks, so the figures are those of compacted blocks; node samples
 * every 15 s, tsbs every 10 s); {@code --seed S} (1); {@code --shards N} (2); {@code --batch N} samples per
 * commit (1000); {@code --block-range-hours H} (2); {@code --wal-segment-mib N} (8, small enough that the
 * checkpoint after the seal has completed segments to drop); {@code --vm true|false} (true);
 * {@code --keep true|false} keeps the run directory (false); {@code --dir DIR} where it goes (the
 * current directory).
 *
 * <p>Bytes on disk are apparent file sizes: for Tidemark every block's index, chunks and meta; for
 * VictoriaMetrics its {@code data} and {@code indexdb} directories (its whole storage directory is
 * printed too).
 */
public final class StorageBench {
    private static final long HOUR_MILLIS = TimeUnit.HOURS.toMillis(1);
    private static final long DAY_MILLIS = TimeUnit.DAYS.toMillis(1);

    private StorageBench() {
    }

    public static void run(final BenchOptions options) throws IOException {
        final String which = options.text("dataset", "all");
        final List<String> datasets = "all".equals(which) ? List.of(Datasets.NODE, Datasets.TSBS) : List.of(which);
        final int hours = options.integer("hours", 26);
        final TidemarkLoad.Settings settings = new TidemarkLoad.Settings(options.integer("shards", 2),
            options.integer("batch", 1_000), options.integer("block-range-hours", 2) * HOUR_MILLIS,
            options.integer("wal-segment-mib", 8) * (1L << 20));
        final boolean vm = Boolean.parseBoolean(options.text("vm", "true"));
        final boolean keep = Boolean.parseBoolean(options.text("keep", "false"));
        final Path run = BenchFiles.newRunDirectory(options, "storage");
        try {
            for (final String name : datasets) {
                final Dataset dataset = dataset(name, options.integer("seed", 1), options.integer("series", 1_000), hours);
                runDataset(dataset, hours, run.resolve(name), settings, vm);
            }
        } finally {
            if (keep) {
                System.out.println("storage=kept dir=" + run);
            } else {
                BenchFiles.deleteRecursively(run);
            }
        }
    }

    private static Dataset dataset(final String name, final int seed, final int series, final int hours) {
        final long intervalMillis = Datasets.TSBS.equals(name) ? 10_000 : 15_000;
        final int samples = (int) (hours * HOUR_MILLIS / intervalMillis);
        final int perUnit = Datasets.byName(name, seed, 1, 1).seriesCount();
        return Datasets.byName(name, seed, Math.ceilDiv(series, perUnit), samples);
    }

    private static void runDataset(final Dataset dataset, final int hours, final Path directory, final TidemarkLoad.Settings settings,
                                   final boolean vm) throws IOException {
        final long generateStart = System.nanoTime();
        final SeriesData[] series = new SeriesData[dataset.seriesCount()];
        long minTime = Long.MAX_VALUE;
        long maxTime = Long.MIN_VALUE;
        for (int i = 0; i < series.length; i++) {
            series[i] = dataset.series(i);
            minTime = Math.min(minTime, series[i].timestamps()[0]);
            maxTime = Math.max(maxTime, series[i].timestamps()[series[i].size() - 1]);
        }
        System.out.printf(Locale.ROOT, "storage=setup dataset=%s series=%d samples_per_series=%d hours=%d min_time=%d max_time=%d "
                + "generate_seconds=%.2f cores=%d load_average=%.1f%n", dataset.name(), series.length, series[0].size(), hours, minTime,
            maxTime, (System.nanoTime() - generateStart) / 1e9, Runtime.getRuntime().availableProcessors(),
            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        final TidemarkLoad.Result tidemark = TidemarkLoad.run(dataset.name(), series, directory.resolve("tidemark"), settings);
        if (!vm) {
            System.out.printf(Locale.ROOT, "storage=vm dataset=%s vm=skipped reason=--vm_false%n", dataset.name());
            return;
        }
        final long retentionDays = Math.ceilDiv(System.currentTimeMillis() - minTime, DAY_MILLIS) + 31;
        try {
            final double vmBytesPerSample = VictoriaMetricsLoad.run(dataset, tidemark.samples(), directory.resolve("vm"),
                retentionDays);
            System.out.printf(Locale.ROOT, "storage=compare dataset=%s tidemark_bytes_per_sample=%.4f vm_bytes_per_sample=%.4f "
                    + "tidemark_to_vm=%.3f%n", dataset.name(), tidemark.bytesPerSample(), vmBytesPerSample,
                tidemark.bytesPerSample() / vmBytesPerSample);
        } catch (final PeerUnavailableException e) {
            System.out.printf(Locale.ROOT, "storage=vm dataset=%s vm=unavailable reason=%s%n", dataset.name(), e.getMessage());
        }
    }

    /** Writes the dataset as Prometheus text with millisecond timestamps, as {@code ./tidemark bench dataset} does. */
    static void export(final Dataset dataset, final Path file) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            PrometheusTextWriter.write(dataset, writer);
        }
    }
}
