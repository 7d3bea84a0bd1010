package io.tidemark.bench.ingest;

import io.tidemark.bench.BenchFiles;
import io.tidemark.bench.BenchOptions;
import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.engine.wal.WalRecovery;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * {@code ./tidemark bench ingest}: the embeddable database end to end. Producer threads append
 * scrape after scrape (every series gets a node-like sample 15 s after its last: counters that grow
 * by small steps, gauges that repeat), committing every {@code --batch} samples, and wait for
 * durability at the end. Then the database is closed and reopened, and the WAL replay is timed.
 *
 * <p>Options: {@code --samples --series --shards --producers --batch}; {@code --durability os_write|fsync|both}
 * ({@code both} alternates the two modes in this JVM for {@code --rounds} rounds, 3 by default, and prints the
 * ratio of their medians);
 * {@code --by handle|labels|labels_batch} (a kept series id; a lookup of the canonical label bytes per
 * sample, as a remote-write request brings them; or one batched lookup per commit);
 * {@code --rate} samples/s in total (0: as fast as possible; a rate below saturation is what makes the
 * latency figures mean something rather than the time spent queued in a full ring);
 * {@code --idle backoff|yield|busy_spin|sleep}; {@code --replay true|false}; {@code --dir}.
 *
 * <p>With {@code --rate}, a 2-second spin first measures how often the machine itself stops a running
 * thread ({@code ingest=machine_hiccups}), the floor under the latency tail. A paced producer sleeps
 * ({@code parkNanos}) until its next batch is due, as a network thread waits for its next request: a
 * producer spinning on the second of two cores leaves nothing for the JIT, the kernel and the
 * database's helper threads, which then take the shard's core by whole scheduler ticks (measured:
 * publish→applied p99 4 ms with a spinning producer, 15 µs with a sleeping one).
 *
 * <p>Before the measured run every producer writes one warm-up scrape, one sample per series: the
 * batches that carry a series' first sample also log its labels to the WAL and take its head state, so
 * their latency is printed on its own line ({@code what=first_scrape_applied}); the percentiles of the
 * run are those of a steady scrape.
 *
 * <p>Prints samples/s, the publish→applied and publish→durable latency percentiles (per ring slot)
 * from the shards' histograms, off-heap bytes and heap per active series, and replay samples/s. Data
 * goes to a new directory under the current one (a real disk), deleted afterwards.
 */
public final class IngestBench {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long SCRAPE_MILLIS = 15_000;
    private static final long START_MILLIS = 1_700_000_000_000L;

    private IngestBench() {
    }

    /** How producers name the series of a sample. */
    enum By { HANDLE, LABELS, LABELS_BATCH }

    /** One run's settings. */
    record Settings(long samples, int series, int shards, int producers, int batch, By by, long rate,
                    IngestConfig.Idle idle, boolean replay, Path root) {
    }

    public static void run(final BenchOptions options) throws IOException, InterruptedException {
        final Settings settings = new Settings(
            Long.parseLong(options.text("samples", "20000000")),
            options.integer("series", 100_000),
            options.integer("shards", 2),
            options.integer("producers", 1),
            options.integer("batch", 1_000),
            By.valueOf(options.text("by", "handle").toUpperCase(Locale.ROOT)),
            Long.parseLong(options.text("rate", "0")),
            IngestConfig.Idle.valueOf(options.text("idle", "backoff").toUpperCase(Locale.ROOT)),
            Boolean.parseBoolean(options.text("replay", "true")),
            options.has("dir") ? Path.of(options.text("dir", ".")) : Path.of("").toAbsolutePath());
        if (settings.rate() > 0) {
            hiccups(2 * SECOND);
        }
        final String modes = options.text("durability", "os_write");
        final List<String> names = modes.equals("both") ? List.of("os_write", "fsync") : List.of(modes);
        final int rounds = options.integer("rounds", names.size() == 2 ? 3 : 1);
        final double[][] rates = new double[names.size()][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int m = 0; m < names.size(); m++) {
                final Durability durability = switch (names.get(m)) {
                    case "fsync" -> Durability.FSYNC;
                    case "os_write" -> Durability.OS_WRITE_LOST_ON_POWER_FAILURE;
                    default -> throw new IllegalArgumentException("--durability must be fsync, os_write or both");
                };
                rates[m][round] = runOnce(settings, names.get(m), durability);
            }
        }
        if (names.size() == 2) {
            // The first round also warms the JIT, so the modes are compared by their medians over the rounds.
            final double osWrite = median(rates[0]);
            final double fsync = median(rates[1]);
            System.out.printf(Locale.ROOT, "ingest=durability_ratio rounds=%d os_write_median_samples_per_sec=%.0f "
                + "fsync_median_samples_per_sec=%.0f os_write_over_fsync=%.2f%n", rounds, osWrite, fsync, osWrite / fsync);
        }
    }

    /**
     * What the machine does to a thread that only reads the clock, before a latency run: gaps between
     * consecutive reads are time the thread did not run (other processes, interrupts, the hypervisor).
     * On a shared 2-core machine these set a floor under any p99.9 the bench reports.
     */
    static void hiccups(final long nanos) {
        final Histogram gaps = new Histogram(3);
        final long end = System.nanoTime() + nanos;
        long last = System.nanoTime();
        long now;
        while ((now = System.nanoTime()) < end) {
            if (now - last > 1_000) {
                gaps.recordValue(now - last);
            }
            last = now;
        }
        System.out.printf(Locale.ROOT, "ingest=machine_hiccups seconds=%.1f gaps_over_10us=%d gaps_over_100us=%d gaps_over_1ms=%d "
                + "max_gap_us=%.1f%n", nanos / 1e9, count(gaps, 10_000), count(gaps, 100_000), count(gaps, 1_000_000),
            gaps.getMaxValue() / 1e3);
    }

    private static long count(final Histogram gaps, final long above) {
        return gaps.getTotalCount() - gaps.getCountBetweenValues(0, above);
    }

    private static double median(final double[] values) {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
            : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static double runOnce(final Settings settings, final String durabilityName, final Durability durability)
        throws IOException, InterruptedException {
        final Path data = Files.createTempDirectory(settings.root(), "ingest-bench-");
        final TidemarkConfig config = TidemarkConfig.defaults(data)
            .withIngest(new IngestConfig(settings.shards(), 1024, 256, IngestConfig.BackPressure.BLOCK, 60 * SECOND,
                settings.idle()))
            .withWal(WalConfig.defaults().withDurability(durability));
        final int perProducerSeries = settings.series() / settings.producers();
        final long total = settings.samples() / settings.producers() * settings.producers();
        try (Arena arena = Arena.ofShared()) {
            final Producer[] producers = new Producer[settings.producers()];
            for (int p = 0; p < producers.length; p++) {
                producers[p] = new Producer(settings, arena, p * perProducerSeries, perProducerSeries);
            }
            final long heapBefore = heapAfterGc();
            final double samplesPerSecond;
            try (Tidemark db = Tidemark.open(config)) {
                for (final Producer producer : producers) {
                    producer.resolve(db.appender("bench"));
                }
                db.drainLatencies(new Histogram(3), new Histogram(3)); // series creation is not part of the figures
                for (final Producer producer : producers) {
                    producer.warmUpScrape();
                }
                final Histogram firstScrape = new Histogram(3);
                db.drainLatencies(firstScrape, new Histogram(3));
                final Thread[] threads = new Thread[producers.length];
                final long start = System.nanoTime();
                for (int p = 0; p < producers.length; p++) {
                    threads[p] = Thread.ofPlatform().name("producer-" + p).start(producers[p]::produce);
                }
                for (final Thread thread : threads) {
                    thread.join();
                }
                final long nanos = System.nanoTime() - start;
                for (final Producer producer : producers) {
                    if (producer.failure != null) {
                        throw new IllegalStateException("producer failed", producer.failure);
                    }
                }
                samplesPerSecond = total / (nanos / 1e9);
                final Histogram applied = new Histogram(3);
                final Histogram durable = new Histogram(3);
                db.drainLatencies(applied, durable);
                System.out.printf(Locale.ROOT, "ingest=append samples=%d series=%d shards=%d producers=%d batch=%d by=%s "
                        + "durability=%s rate=%d idle=%s samples_per_sec=%.0f seconds=%.2f%n", total, settings.series(),
                    settings.shards(), settings.producers(), settings.batch(), settings.by().name().toLowerCase(Locale.ROOT),
                    durabilityName, settings.rate(), settings.idle().name().toLowerCase(Locale.ROOT), samplesPerSecond,
                    nanos / 1e9);
                print("publish_to_applied", applied);
                print("publish_to_durable", durable);
                print("first_scrape_applied", firstScrape);
                final Runtime runtime = Runtime.getRuntime();
                final long heapUsed = runtime.totalMemory() - runtime.freeMemory();
                final long heapDatabase = heapAfterGc() - heapBefore;
                final long nativeBytes = db.nativeBytesInUse();
                System.out.printf(Locale.ROOT, "ingest=memory series=%d samples_per_series=%d native_bytes=%d "
                        + "native_bytes_per_series=%.0f heap_used_bytes=%d database_heap_bytes_after_gc=%d "
                        + "database_heap_bytes_per_series=%.0f bytes_per_active_series=%.0f%n", settings.series(),
                    total / settings.series(), nativeBytes, nativeBytes / (double) settings.series(), heapUsed, heapDatabase,
                    heapDatabase / (double) settings.series(), (nativeBytes + heapDatabase) / (double) settings.series());
                final StringBuilder tags = new StringBuilder("ingest=native_by_tag");
                db.nativeBytesByTag().forEach((tag, bytes) -> tags.append(' ').append(tag.name().toLowerCase(Locale.ROOT))
                    .append('=').append(bytes));
                System.out.println(tags);
            }
            if (settings.replay()) {
                replay(config);
            }
            return samplesPerSecond;
        } finally {
            BenchFiles.deleteRecursively(data);
        }
    }

    /** Reopens the database: the WAL replay of every shard, in parallel, then the index restored. */
    private static void replay(final TidemarkConfig config) throws IOException {
        final long bytes;
        try (var files = Files.walk(config.dataDirectory())) {
            bytes = files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
        final long start = System.nanoTime();
        try (Tidemark db = Tidemark.open(config)) {
            final long nanos = System.nanoTime() - start;
            long samples = 0;
            for (final WalRecovery recovery : db.recoveries()) {
                samples += recovery.samplesReplayed();
            }
            System.out.printf(Locale.ROOT, "ingest=replay samples=%d data_bytes=%d open_seconds=%.2f samples_per_sec=%.0f%n",
                samples, bytes, nanos / 1e9, samples / (nanos / 1e9));
        }
    }

    /**
     * Heap in use after a full collection: the difference before and after the database is opened and
     * filled is what the database keeps on the heap (rings, arrays, tenant state), not garbage. Under
     * Epsilon nothing is collected and this is simply the heap used.
     */
    private static long heapAfterGc() {
        System.gc();
        final Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    static void print(final String name, final Histogram histogram) {
        System.out.printf(Locale.ROOT, "ingest=latency what=%s batches=%d p50_us=%.1f p99_us=%.1f p99_9_us=%.1f max_us=%.1f%n",
            name, histogram.getTotalCount(), histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
            histogram.getValueAtPercentile(99.9) / 1e3, histogram.getMaxValue() / 1e3);
    }

    /** One producer thread's series, label bytes and loop. */
    static final class Producer {
        private final Settings settings;
        private TenantAppender appender;
        private final int[] ids;
        private final long[] counters;
        private final MemorySegment labels;
        private final long[] offsets;
        private final int[] lengths;
        private final long[] batchOffsets;
        private final int[] batchLengths;
        private final int[] batchIds;
        private final int[] scratch;
        volatile Throwable failure;

        Producer(final Settings settings, final Arena arena, final int first, final int count) {
            this.settings = settings;
            this.ids = new int[count];
            this.counters = new long[count];
            this.offsets = new long[count];
            this.lengths = new int[count];
            final LabelSet[] sets = new LabelSet[count];
            long bytes = 0;
            for (int s = 0; s < count; s++) {
                final int i = first + s;
                sets[s] = LabelSet.of("__name__", "bench_metric_" + i % 200, "instance", "host-" + i / 200, "job", "bench");
                bytes += sets[s].encodedBytes();
            }
            this.labels = arena.allocate(Math.max(1, bytes));
            long at = 0;
            for (int s = 0; s < count; s++) {
                offsets[s] = at;
                lengths[s] = sets[s].encode(labels, at);
                at += lengths[s];
            }
            this.batchOffsets = new long[settings.batch()];
            this.batchLengths = new int[settings.batch()];
            this.batchIds = new int[settings.batch()];
            this.scratch = new int[2 * settings.batch() + 1];
        }

        /** Creates this producer's series in the database and keeps their ids (the handles). */
        void resolve(final TenantAppender into) {
            this.appender = into;
            for (int s = 0; s < ids.length; s++) {
                ids[s] = into.series(labels, offsets[s], lengths[s]);
            }
        }

        /** One sample per series, a scrape before the run's first; returns when durable. */
        void warmUpScrape() {
            for (int s = 0; s < ids.length; s++) {
                appender.append(ids[s], START_MILLIS - SCRAPE_MILLIS, 0);
                if ((s + 1) % settings.batch() == 0) {
                    appender.commit();
                }
            }
            appender.commit();
            if (!appender.awaitDurable(120 * SECOND)) {
                throw new IllegalStateException("warm-up scrape not durable within 120 s");
            }
        }

        void produce() {
            try {
                loop();
            } catch (final Throwable t) {
                failure = t;
            }
        }

        private void loop() {
            final long samples = settings.samples() / settings.producers();
            final long nanosPerSample = settings.rate() == 0 ? 0 : settings.producers() * SECOND / settings.rate();
            final long start = System.nanoTime();
            long time = START_MILLIS;
            long written = 0;
            int next = 0;
            while (written < samples) {
                final int size = (int) Math.min(settings.batch(), samples - written);
                if (settings.by() == By.LABELS_BATCH) {
                    resolveBatch(next, size);
                }
                for (int k = 0; k < size; k++) {
                    final int s = next;
                    final int id = switch (settings.by()) {
                        case HANDLE -> ids[s];
                        case LABELS -> appender.series(labels, offsets[s], lengths[s]);
                        case LABELS_BATCH -> batchIds[k];
                    };
                    counters[s] += s % 3 == 0 ? 0 : s % 7;
                    appender.append(id, time + (s & 7), s % 2 == 0 ? (double) counters[s] : s % 5);
                    if (++next == ids.length) {
                        next = 0;
                        time += SCRAPE_MILLIS;
                    }
                }
                written += size;
                appender.commit();
                if (nanosPerSample != 0) {
                    pace(start + written * nanosPerSample);
                }
            }
            if (!appender.awaitDurable(120 * SECOND)) {
                throw new IllegalStateException("not durable within 120 s");
            }
        }

        /** Resolves the next {@code size} samples' series (consecutive, wrapping) with one batched lookup. */
        private void resolveBatch(final int next, final int size) {
            int s = next;
            for (int k = 0; k < size; k++) {
                batchOffsets[k] = offsets[s];
                batchLengths[k] = lengths[s];
                if (++s == ids.length) {
                    s = 0;
                }
            }
            appender.seriesAll(labels, batchOffsets, batchLengths, size, batchIds, scratch);
        }

        /**
         * Sleeps until {@code deadline}. A wake-up comes late by the timer slack (about 50 µs); the
         * schedule is absolute, so the next batches catch up.
         */
        static void pace(final long deadline) {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }
    }
}
