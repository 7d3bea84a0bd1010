package io.tidemark.bench.ingest;

import io.tidemark.bench.BenchFiles;
import io.tidemark.bench.BenchOptions;
import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code ./tidemark bench ingest}: the embeddable database end to end. Producer threads append by
 * series handle, scrape after scrape (every series gets a sample 15 s after its last), committing
 * every {@code --batch} samples, and wait for durability at the end. Prints samples/s, the
 * publish→applied and publish→durable latency percentiles from the shards' histograms, and off-heap
 * bytes per active series. Data goes to a new directory under the current one (a real disk), deleted
 * afterwards.
 */
public final class IngestBench {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private IngestBench() {
    }

    public static void run(final BenchOptions options) throws IOException, InterruptedException {
        final long samples = Long.parseLong(options.text("samples", "20000000"));
        final int series = options.integer("series", 100_000);
        final int shards = options.integer("shards", 2);
        final int producers = options.integer("producers", 1);
        final int batch = options.integer("batch", 1_000);
        final Durability durability = switch (options.text("durability", "os_write")) {
            case "fsync" -> Durability.FSYNC;
            case "os_write" -> Durability.OS_WRITE_LOST_ON_POWER_FAILURE;
            default -> throw new IllegalArgumentException("--durability must be fsync or os_write");
        };
        final Path root = options.has("dir") ? Path.of(options.text("dir", ".")) : Path.of("").toAbsolutePath();
        final Path data = Files.createTempDirectory(root, "ingest-bench-");
        final TidemarkConfig config = TidemarkConfig.defaults(data)
            .withIngest(new IngestConfig(shards, 1024, 256, IngestConfig.BackPressure.BLOCK, 60 * SECOND,
                IngestConfig.Idle.BACKOFF))
            .withWal(WalConfig.defaults().withDurability(durability));
        try (Tidemark db = Tidemark.open(config)) {
            final int[][] handles = new int[producers][];
            for (int p = 0; p < producers; p++) {
                final TenantAppender appender = db.appender("bench");
                handles[p] = new int[series / producers];
                for (int s = 0; s < handles[p].length; s++) {
                    final int i = p * (series / producers) + s;
                    handles[p][s] = appender.series(LabelSet.of("__name__", "bench_metric_" + i % 200, "instance",
                        "host-" + i / 200, "job", "bench"));
                }
            }
            db.drainLatencies(new Histogram(3), new Histogram(3)); // nothing yet; resets the interval
            final Thread[] threads = new Thread[producers];
            final long perProducer = samples / producers;
            final long start = System.nanoTime();
            for (int p = 0; p < producers; p++) {
                final int[] ids = handles[p];
                final TenantAppender appender = db.appender("bench");
                threads[p] = Thread.ofPlatform().name("producer-" + p).start(() -> produce(appender, ids, perProducer, batch));
            }
            for (final Thread thread : threads) {
                thread.join();
            }
            final long nanos = System.nanoTime() - start;
            final Histogram applied = new Histogram(3);
            final Histogram durable = new Histogram(3);
            db.drainLatencies(applied, durable);
            final long total = perProducer * producers;
            System.out.printf(Locale.ROOT, "ingest=append samples=%d series=%d shards=%d producers=%d batch=%d durability=%s "
                    + "samples_per_sec=%.0f seconds=%.2f%n", total, series, shards, producers, batch,
                options.text("durability", "os_write"), total / (nanos / 1e9), nanos / 1e9);
            print("publish_to_applied", applied);
            print("publish_to_durable", durable);
            System.out.printf(Locale.ROOT, "ingest=memory series=%d native_bytes=%d native_bytes_per_series=%.0f "
                    + "heap_used_bytes=%d%n", series, db.nativeBytesInUse(), db.nativeBytesInUse() / (double) series,
                Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        } finally {
            BenchFiles.deleteRecursively(data);
        }
    }

    private static void produce(final TenantAppender appender, final int[] ids, final long samples, final int batch) {
        long time = 1_700_000_000_000L;
        long written = 0;
        int next = 0;
        while (written < samples) {
            appender.append(ids[next], time, (double) (written & 0xFFFF));
            written++;
            if (++next == ids.length) {
                next = 0;
                time += 15_000;
            }
            if (written % batch == 0) {
                appender.commit();
            }
        }
        appender.commit();
        if (!appender.awaitDurable(120 * SECOND)) {
            throw new IllegalStateException("not durable within 120 s");
        }
    }

    private static void print(final String name, final Histogram histogram) {
        System.out.printf(Locale.ROOT, "ingest=latency what=%s batches=%d p50_us=%.1f p99_us=%.1f p99_9_us=%.1f max_us=%.1f%n",
            name, histogram.getTotalCount(), histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
            histogram.getValueAtPercentile(99.9) / 1e3, histogram.getMaxValue() / 1e3);
    }
}
