package io.tidemark.bench.promql;

import io.tidemark.bench.BenchFiles;
import io.tidemark.bench.BenchOptions;
import io.tidemark.bench.data.Dataset;
import io.tidemark.bench.data.Datasets;
import io.tidemark.bench.data.SeriesData;
import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.index.series.LabelSet;
import io.tidemark.promql.eval.EngineOptions;
import io.tidemark.promql.eval.PromQlEngine;
import io.tidemark.promql.eval.QueryResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * {@code ./tidemark bench promql}: the latency of a dashboard's range queries (1 h at a 15 s step) over node-like
 * series in an embedded Tidemark, per query p50/p99, the samples each query reads from storage and how many per
 * second, and the bytes the query thread allocates per query (HotSpot's per-thread allocation counter).
 *
 * <p>Options: {@code --series N} (1000, the first N series of the node dataset, 163 per target),
 * {@code --samples N} per series (360: 90 min at 15 s, so the hour queried has 30 min of history before it),
 * {@code --warmup N} runs of each query before timing (50), {@code --runs N} timed runs (200), {@code --seed S}
 * (1), {@code --source head|blocks} (head: the data stays in the head; blocks: it is all sealed into blocks by
 * {@code flush()} before the queries, which then decode block chunks), {@code --chunk-cache MiB} (256; 0 turns
 * the decoded chunk cache off, so every query decodes). Each query is checked to return data once before timing.
 * With blocks, the chunk cache's hit rate over the timed runs is printed too. {@code --parallelism P[,P...]} (the
 * available processors) measures the dashboard once per value in the same process, one after the other, so the
 * values compare within one run; {@code --parallel-threshold N} (the engine's default) is the least series times
 * steps a range function splits at. Allocation counts the query's thread only, not the pool threads.
 */
public final class PromQlBench {
    private static final String TENANT = "bench";
    private static final long STEP_MILLIS = 15_000;
    private static final long HOUR_MILLIS = 3_600_000;

    /** One panel of the dashboard. */
    record DashboardQuery(String name, String expr) {
    }

    static final List<DashboardQuery> DASHBOARD = List.of(
        new DashboardQuery("cpu_busy_by_instance",
            "sum by (instance) (rate(node_cpu_seconds_total{mode!=\"idle\"}[5m]))"),
        new DashboardQuery("cpu_by_mode", "avg by (mode) (rate(node_cpu_seconds_total[5m]))"),
        new DashboardQuery("memory_used_ratio",
            "1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes"),
        new DashboardQuery("network_rx_top5", "topk(5, rate(node_network_receive_bytes_total[5m]))"),
        new DashboardQuery("http_latency_p90", "histogram_quantile(0.9, sum by (le) "
            + "(rate(prometheus_http_request_duration_seconds_bucket[5m])))"),
        new DashboardQuery("disk_io_bytes", "sum by (instance, device) (rate(node_disk_read_bytes_total[5m]) "
            + "+ rate(node_disk_written_bytes_total[5m]))"),
        new DashboardQuery("network_tx_irate", "sum by (instance) (irate(node_network_transmit_bytes_total[5m]))"),
        new DashboardQuery("load1_avg_10m", "avg_over_time(node_load1[10m])"),
        new DashboardQuery("load_per_cpu", "node_load1 / on(instance) group_left "
            + "count by (instance) (node_cpu_seconds_total{mode=\"idle\"})"),
        new DashboardQuery("filesystem_used_max", "max by (instance) "
            + "(1 - node_filesystem_avail_bytes / node_filesystem_size_bytes)"));

    private PromQlBench() {
    }

    /** Runs the benchmark and prints its {@code key=value} lines. */
    public static void run(final BenchOptions options) throws IOException {
        final int seriesCount = options.integer("series", 1000);
        final int samples = options.integer("samples", 360);
        final int warmup = options.integer("warmup", 50);
        final int runs = options.integer("runs", 200);
        final long seed = options.integer("seed", 1);
        final String source = options.text("source", "head");
        if (!source.equals("head") && !source.equals("blocks")) {
            throw new IllegalArgumentException("--source must be head or blocks: " + source);
        }
        final long cacheBytes = (long) options.integer("chunk-cache", 256) << 20;
        final String[] parallelisms = options.text("parallelism",
            Integer.toString(Runtime.getRuntime().availableProcessors())).split(",");
        final long threshold = options.integer("parallel-threshold", (int) EngineOptions.DEFAULT_PARALLEL_THRESHOLD);
        if (samples * STEP_MILLIS < HOUR_MILLIS + 10 * 60_000) {
            throw new IllegalArgumentException("samples=" + samples + " is less than 1 h + 10 m at 15 s");
        }
        final int targets = (seriesCount + 162) / 163;
        final Dataset dataset = Datasets.node(seed, targets, samples);
        final Path dir = Files.createTempDirectory("tidemark-bench-promql");
        try (Tidemark db = Tidemark.open(TidemarkConfig.defaults(dir).withSealCheck(0).withChunkCache(cacheBytes))) {
            final long[] span = load(db, dataset, seriesCount);
            if (source.equals("blocks")) {
                final long t0 = System.nanoTime();
                final int blocks = db.flush();
                System.out.printf(Locale.ROOT, "promql=seal blocks=%d seconds=%.2f%n", blocks, (System.nanoTime() - t0) / 1e9);
            }
            // The last full hour of data, on a 15 s grid.
            final long end = span[1] - span[1] % STEP_MILLIS;
            final long start = end - HOUR_MILLIS;
            System.out.printf(Locale.ROOT, "promql=setup series=%d targets=%d samples_per_series=%d step_s=15 "
                + "range_h=1 warmup=%d runs=%d source=%s chunk_cache_mib=%d%n", seriesCount, targets, samples, warmup, runs,
                source, cacheBytes >> 20);
            final var cache = db.chunkCache();
            rawRead(db, start, end, warmup, runs);
            for (final String parallelism : parallelisms) {
                final EngineOptions engine = EngineOptions.DEFAULT.withParallelism(Integer.parseInt(parallelism.strip()))
                    .withParallelThreshold(threshold);
                measure(engine, new CountingQueryable(db.queryable(TENANT)), start, end, warmup, runs, () -> {
                    if (cache != null && source.equals("blocks")) {
                        final long hits = cache.hits();
                        final long misses = cache.misses();
                        return new long[] {hits, misses};
                    }
                    return null;
                });
            }
        } finally {
            BenchFiles.deleteRecursively(dir);
        }
    }

    private static long[] load(final Tidemark db, final Dataset dataset, final int seriesCount) throws IOException {
        final TenantAppender appender = db.appender(TENANT);
        long minT = Long.MAX_VALUE;
        long maxT = Long.MIN_VALUE;
        final long started = System.nanoTime();
        long total = 0;
        for (int i = 0; i < seriesCount; i++) {
            final SeriesData s = dataset.series(i);
            final int id = appender.series(LabelSet.of(s.labels()));
            final long[] ts = s.timestamps();
            final double[] vs = s.values();
            for (int k = 0; k < ts.length; k++) {
                appender.append(id, ts[k], vs[k]);
            }
            appender.commit();
            total += ts.length;
            minT = Math.min(minT, ts[0]);
            maxT = Math.max(maxT, ts[ts.length - 1]);
        }
        if (!appender.awaitApplied(120_000_000_000L)) {
            throw new IOException("samples not applied within 120 s");
        }
        System.err.printf(Locale.ROOT, "loaded %d samples in %.1f s%n", total, (System.nanoTime() - started) / 1e9);
        return new long[] {minT, maxT};
    }

    /**
     * The storage read alone: every series of the tenant, its samples in the hour, through the queryable the
     * engine uses (select by a matcher on every name, then each series' samples), timed per pass.
     */
    private static void rawRead(final Tidemark db, final long start, final long end, final int warmup, final int runs) {
        final var all = List.of(io.tidemark.index.matchers.LabelMatcher.of(io.tidemark.index.matchers.LabelMatcher.Type.REGEX,
            "__name__", ".+"));
        final io.tidemark.engine.query.SampleBuffer buffer = new io.tidemark.engine.query.SampleBuffer(1024);
        final Histogram latency = new Histogram(3);
        long samples = 0;
        long nanos = 0;
        for (int r = -warmup; r < runs; r++) {
            final long t0 = System.nanoTime();
            long read = 0;
            final io.tidemark.engine.query.SeriesSet set = db.queryable(TENANT).select(all, start, end);
            while (set.next()) {
                read += set.samples(buffer);
            }
            final long elapsed = System.nanoTime() - t0;
            if (r >= 0) {
                latency.recordValue(elapsed);
                samples += read;
                nanos += elapsed;
            }
        }
        System.out.printf(Locale.ROOT, "promql=raw_read series_samples=%d p50_ms=%.2f p99_ms=%.2f samples_per_sec=%.0f%n",
            samples / runs, latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6, samples / (nanos / 1e9));
    }

    private static void measure(final EngineOptions options, final CountingQueryable data, final long start, final long end, final int warmup,
                                final int runs, final java.util.function.Supplier<long[]> cacheCounts) {
        final PromQlEngine engine = new PromQlEngine(options);
        final String p = "parallelism=" + options.parallelism() + " ";
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        for (final DashboardQuery q : DASHBOARD) {
            final QueryResult first = engine.rangeQuery(data, q.expr(), start, end, STEP_MILLIS);
            if (((QueryResult.Matrix) first).series().isEmpty()) {
                throw new IllegalStateException("query returned nothing: " + q.expr());
            }
        }
        // Warm up every query before timing any, so the JIT has seen the whole dashboard.
        for (int i = 0; i < warmup; i++) {
            for (final DashboardQuery q : DASHBOARD) {
                engine.rangeQuery(data, q.expr(), start, end, STEP_MILLIS);
            }
        }
        data.takeSamples();
        final long[] cacheBefore = cacheCounts.get();
        long totalSamples = 0;
        long totalNanos = 0;
        long totalBytes = 0;
        double sumP50 = 0;
        for (final DashboardQuery q : DASHBOARD) {
            final Histogram latency = new Histogram(3);
            final long[] allocated = new long[runs];
            long samples = 0;
            long nanos = 0;
            for (int r = 0; r < runs; r++) {
                final long bytesBefore = threads.getThreadAllocatedBytes(thread);
                final long t0 = System.nanoTime();
                engine.rangeQuery(data, q.expr(), start, end, STEP_MILLIS);
                final long elapsed = System.nanoTime() - t0;
                allocated[r] = threads.getThreadAllocatedBytes(thread) - bytesBefore;
                latency.recordValue(elapsed);
                nanos += elapsed;
                samples = data.takeSamples();
            }
            Arrays.sort(allocated);
            final double p50 = latency.getValueAtPercentile(50) / 1e6;
            sumP50 += p50;
            totalSamples += samples * runs;
            totalNanos += nanos;
            totalBytes += allocated[runs / 2];
            System.out.printf(Locale.ROOT, "promql=latency " + p + "query=%s p50_ms=%.2f p99_ms=%.2f max_ms=%.2f samples=%d "
                    + "samples_per_sec=%.0f alloc_bytes_per_query=%d%n", q.name(), p50,
                latency.getValueAtPercentile(99) / 1e6, latency.getMaxValue() / 1e6, samples,
                samples * runs / (nanos / 1e9), allocated[runs / 2]);
        }
        System.out.printf(Locale.ROOT, "promql=total " + p + "queries=%d runs=%d dashboard_p50_ms=%.2f samples=%d "
                + "samples_per_sec=%.0f alloc_bytes_per_dashboard=%d%n", DASHBOARD.size(), runs, sumP50,
            totalSamples / runs, totalSamples / (totalNanos / 1e9), totalBytes);
        final long[] cacheAfter = cacheCounts.get();
        if (cacheBefore != null) {
            final long hits = cacheAfter[0] - cacheBefore[0];
            final long misses = cacheAfter[1] - cacheBefore[1];
            System.out.printf(Locale.ROOT, "promql=chunk_cache " + p + "hits=%d misses=%d hit_rate=%.4f%n", hits, misses,
                hits + misses == 0 ? 0.0 : (double) hits / (hits + misses));
        }
    }
}
