package io.tidemark.bench.wal;

import io.tidemark.bench.BenchFiles;
import io.tidemark.bench.BenchOptions;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.ParallelWalRecovery;
import io.tidemark.engine.wal.SamplesEncoding;
import io.tidemark.engine.wal.SamplesRecordView;
import io.tidemark.engine.wal.SeriesRecordView;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.engine.wal.WalRecovery;
import io.tidemark.engine.wal.WalVisitor;
import io.tidemark.engine.wal.WalWriter;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * {@code ./tidemark bench wal}. One shard thread (this one) appends batches of scrape-shaped samples
 * ({@link WalWorkload}) and calls {@code maybeCommit} after each batch, as a shard thread would, in
 * each durability mode and samples encoding; then the WAL it wrote is replayed with the page cache
 * warm and cold, and several shards are replayed in parallel. Lines:
 * <pre>
 * wal=append mode=... encoding=... samples_per_s=... bytes_per_sample=... fsyncs=... fsync_p50_us=... ...
 * wal=fsync_vs_os_write encoding=... ratio=...
 * wal=replay shards=1 cache=warm|cold encoding=... samples_per_s=...
 * wal=replay shards=N threads=T cache=warm|cold encoding=... samples_per_s=...
 * </pre>
 * Throughputs are the median of {@code --rounds} runs (with min and max), each on a fresh directory
 * under {@code --dir} (default: a new directory under the current one), which is deleted at the end.
 * The modes run interleaved round by round, so load from elsewhere on a shared machine hits them alike.
 */
public final class WalBench {
    private WalBench() {
    }

    /** Runs the benchmark with the given options (see {@code ./tidemark bench} usage). */
    public static void run(final BenchOptions options) throws IOException {
        final Settings settings = new Settings(options);
        final Path root = options.has("dir") ? Path.of(options.text("dir", ".")) : Path.of("").toAbsolutePath();
        Files.createDirectories(root);
        final Path base = Files.createTempDirectory(root, "wal-bench-");
        final NativeAllocator allocator = NativeAllocator.withLimit(8L << 30);
        final WalWorkload workload = new WalWorkload(settings.series, settings.batch, 1);
        System.out.printf(Locale.ROOT, "wal=setup dir=%s cores=%d samples=%d batch_samples=%d series=%d commit_records=%d "
                + "commit_micros=%d rounds=%d%n", base, Runtime.getRuntime().availableProcessors(), settings.samples,
            settings.batch, settings.series, settings.commitRecords, settings.commitMicros, settings.rounds);
        try {
            for (final SamplesEncoding encoding : settings.encodings) {
                System.err.println("warming up " + encoding);
                BenchFiles.deleteRecursively(append(base.resolve("warmup"), 0, settings.warmup(), Mode.OS_WRITE, encoding, workload,
                    allocator, settings).directory);
                final double[] medians = measureAppends(base, settings, encoding, workload, allocator);
                final double osWrite = medians[Mode.OS_WRITE.ordinal()];
                System.out.printf(Locale.ROOT, "wal=fsync_vs_os_write encoding=%s os_write_over_fsync=%.2f "
                        + "os_write_over_fsync_inline=%.2f%n", label(encoding), osWrite / medians[Mode.FSYNC.ordinal()],
                    osWrite / medians[Mode.FSYNC_INLINE.ordinal()]);
                final Path kept = base.resolve("kept");
                measureReplay(List.of(new ParallelWalRecovery.Shard(0, kept)), 1, settings, encoding, allocator);
                BenchFiles.deleteRecursively(kept);
            }
            final SamplesEncoding encoding = settings.encodings.getFirst();
            final List<ParallelWalRecovery.Shard> shards = new ArrayList<>();
            for (int shard = 0; shard < settings.shards; shard++) {
                final Path directory = base.resolve("shard-" + shard);
                shards.add(new ParallelWalRecovery.Shard(shard, directory));
                append(directory, shard, settings.samples / settings.shards, Mode.OS_WRITE, encoding, workload, allocator,
                    settings);
            }
            measureReplay(shards, settings.threads, settings, encoding, allocator);
        } finally {
            BenchFiles.deleteRecursively(base);
        }
        allocator.assertNoLeaks();
    }

    /**
     * Runs every mode {@code rounds} times, interleaved (one run of each mode per round), so that a
     * burst of load from elsewhere on the machine hits all modes alike; prints one line per mode and
     * returns the medians by {@link Mode} ordinal. Keeps the last FSYNC run's directory as "kept".
     */
    private static double[] measureAppends(final Path base, final Settings settings, final SamplesEncoding encoding,
                                           final WalWorkload workload, final NativeAllocator allocator) throws IOException {
        final Mode[] modes = Mode.values();
        final double[][] rates = new double[modes.length][settings.rounds];
        final double[][] cpu = new double[modes.length][settings.rounds];
        final Histogram[] fsyncs = new Histogram[modes.length];
        final long[] forces = new long[modes.length];
        final long[] commits = new long[modes.length];
        final double[] bytesPerSample = new double[modes.length];
        for (final Mode mode : modes) {
            fsyncs[mode.ordinal()] = new Histogram(60_000_000L, 3);
        }
        for (int round = 0; round < settings.rounds; round++) {
            for (final Mode mode : modes) {
                System.err.println("appending " + mode + " " + encoding + " round " + round);
                final int m = mode.ordinal();
                final Run run = append(base.resolve("append-" + mode + "-" + round), 0, settings.samples, mode, encoding,
                    workload, allocator, settings);
                rates[m][round] = run.samples * 1e9 / run.nanos;
                cpu[m][round] = (double) run.cpuNanos / run.samples;
                fsyncs[m].add(run.fsyncMicros);
                forces[m] += run.forces;
                commits[m] += run.commits;
                bytesPerSample[m] = (double) run.bytes / run.samples;
                if (mode == Mode.FSYNC && round == settings.rounds - 1) {
                    Files.move(run.directory, base.resolve("kept"));
                } else {
                    BenchFiles.deleteRecursively(run.directory);
                }
            }
        }
        final double[] medians = new double[modes.length];
        for (final Mode mode : modes) {
            final int m = mode.ordinal();
            medians[m] = median(rates[m]);
            System.out.printf(Locale.ROOT, "wal=append mode=%s encoding=%s samples_per_s=%.0f min_samples_per_s=%.0f "
                    + "max_samples_per_s=%.0f shard_thread_cpu_ns_per_sample=%.1f bytes_per_sample=%.2f commits_per_run=%d "
                    + "segment_fsyncs_per_run=%d samples_per_fsync=%.0f all_fsyncs_per_run=%d fsync_p50_us=%d "
                    + "fsync_p99_us=%d fsync_max_us=%d%n",
                label(mode), label(encoding), medians[m], Arrays.stream(rates[m]).min().orElse(0),
                Arrays.stream(rates[m]).max().orElse(0), median(cpu[m]), bytesPerSample[m], commits[m] / settings.rounds,
                forces[m] / settings.rounds, forces[m] == 0 ? 0.0 : (double) settings.samples * settings.rounds / forces[m],
                fsyncs[m].getTotalCount() / settings.rounds, fsyncs[m].getValueAtPercentile(50),
                fsyncs[m].getValueAtPercentile(99), fsyncs[m].getMaxValue());
        }
        return medians;
    }

    private static Run append(final Path directory, final int shard, final long samples, final Mode mode,
                              final SamplesEncoding encoding, final WalWorkload workload, final NativeAllocator allocator,
                              final Settings settings) throws IOException {
        final TimedFiles files = new TimedFiles();
        final WalConfig config = WalConfig.defaults().withDurability(mode.durability).withBackgroundSync(mode.backgroundSync)
            .withSamplesEncoding(encoding).withGroupCommit(settings.commitRecords, settings.commitMicros).withFiles(files);
        final WalRecovery recovery = WalRecovery.recover(directory, shard, new SummingVisitor(), allocator);
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long appended;
        final long nanos;
        final long cpuNanos;
        final long bytes;
        final long forces;
        final long commits;
        Histogram fsyncMicros = null;
        try (WalWriter writer = WalWriter.open(recovery, config, allocator)) {
            for (int id = 0; id < workload.series; id++) {
                writer.appendSeries(id, WalWorkload.labels(id));
            }
            writer.sync();
            files.fsyncMicros.reset();
            final long bytesBefore = writer.bytesWritten();
            final long forcesBefore = writer.forces();
            final long commitsBefore = writer.commits();
            final int[][] ids = workload.seriesIds;
            final long[][] times = workload.timestamps;
            final double[][] values = workload.values;
            final long cpuStart = threads.getCurrentThreadCpuTime();
            final long start = System.nanoTime();
            long count = 0;
            int b = 0;
            while (count < samples) {
                final int n = ids[b].length;
                writer.appendSamples(ids[b], times[b], values[b], 0, n);
                count += n;
                writer.mark(count);
                writer.maybeCommit(System.nanoTime());
                b = b + 1 == workload.batches ? 0 : b + 1;
            }
            if (mode.durability == Durability.FSYNC) {
                writer.sync(); // returns once everything is durable, also with a background syncer
            } else {
                writer.commit();
            }
            nanos = System.nanoTime() - start;
            cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
            appended = count;
            bytes = writer.bytesWritten() - bytesBefore;
            forces = writer.forces() - forcesBefore;
            commits = writer.commits() - commitsBefore;
            if (!mode.backgroundSync) {
                fsyncMicros = files.fsyncMicros.copy(); // before the close's own fsync, which is not part of the run
            }
        }
        if (fsyncMicros == null) {
            fsyncMicros = files.fsyncMicros.copy(); // after close: the syncer thread that records has stopped
        }
        return new Run(directory, appended, nanos, cpuNanos, bytes, forces, commits, fsyncMicros);
    }

    /** Replays {@code rounds} times with the page cache warm and (unless {@code --cold false}) evicted, interleaved. */
    private static void measureReplay(final List<ParallelWalRecovery.Shard> shards, final int threads, final Settings settings,
                                      final SamplesEncoding encoding, final NativeAllocator allocator) throws IOException {
        final List<String> caches = settings.cold ? List.of("warm", "cold") : List.of("warm");
        final double[][] rates = new double[caches.size()][settings.rounds];
        long samples = 0;
        for (int round = 0; round < settings.rounds; round++) {
            for (int c = 0; c < caches.size(); c++) {
                if ("cold".equals(caches.get(c))) {
                    for (final ParallelWalRecovery.Shard shard : shards) {
                        PageCache.evict(shard.directory());
                    }
                }
                final SummingVisitor[] visitors = new SummingVisitor[shards.size()];
                final long start = System.nanoTime();
                final List<WalRecovery> results = ParallelWalRecovery.recoverAll(shards,
                    shard -> visitors[shard] = new SummingVisitor(), allocator, threads);
                final long nanos = System.nanoTime() - start;
                samples = results.stream().mapToLong(WalRecovery::samplesReplayed).sum();
                final long visited = Arrays.stream(visitors).mapToLong(v -> v.samples).sum();
                if (visited != samples || results.stream().anyMatch(r -> r.corruptTailsCut() != 0)) {
                    throw new IllegalStateException("replay mismatch: visited=" + visited + " samples=" + samples);
                }
                rates[c][round] = samples * 1e9 / nanos;
            }
        }
        for (int c = 0; c < caches.size(); c++) {
            System.out.printf(Locale.ROOT, "wal=replay shards=%d threads=%d cache=%s encoding=%s samples=%d samples_per_s=%.0f "
                    + "min_samples_per_s=%.0f max_samples_per_s=%.0f%n", shards.size(), Math.min(threads, shards.size()),
                caches.get(c), label(encoding), samples, median(rates[c]), Arrays.stream(rates[c]).min().orElse(0),
                Arrays.stream(rates[c]).max().orElse(0));
        }
    }

    private static double median(final double[] values) {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String label(final Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** One append run. */
    private record Run(Path directory, long samples, long nanos, long cpuNanos, long bytes, long forces, long commits,
                       Histogram fsyncMicros) {
    }

    /** The durability settings measured. */
    private enum Mode {
        OS_WRITE(Durability.OS_WRITE_LOST_ON_POWER_FAILURE, false),
        FSYNC_INLINE(Durability.FSYNC, false),
        FSYNC(Durability.FSYNC, true);

        final Durability durability;
        final boolean backgroundSync;

        Mode(final Durability durability, final boolean backgroundSync) {
            this.durability = durability;
            this.backgroundSync = backgroundSync;
        }
    }

    /** Options, read once. */
    private static final class Settings {
        final long samples;
        final int batch;
        final int series;
        final int rounds;
        final int shards;
        final int threads;
        final int commitRecords;
        final long commitMicros;
        final boolean cold;
        final List<SamplesEncoding> encodings;

        Settings(final BenchOptions options) {
            samples = options.integer("samples", 20_000_000);
            batch = options.integer("batch", 1000);
            series = options.integer("series", 100_000);
            rounds = options.integer("rounds", 5);
            shards = options.integer("shards", 4);
            threads = options.integer("threads", Runtime.getRuntime().availableProcessors());
            commitRecords = options.integer("commit-records", WalConfig.defaults().commitRecords());
            commitMicros = options.integer("commit-micros", (int) WalConfig.defaults().commitDelayMicros());
            cold = Boolean.parseBoolean(options.text("cold", "true"));
            final String encoding = options.text("encoding", "all");
            encodings = "all".equals(encoding) ? List.of(WalConfig.defaults().samplesEncoding(),
                WalConfig.defaults().samplesEncoding() == SamplesEncoding.FIXED_16 ? SamplesEncoding.DELTA_VARINT
                    : SamplesEncoding.FIXED_16)
                : List.of(SamplesEncoding.valueOf(encoding.toUpperCase(Locale.ROOT)));
        }

        long warmup() {
            return Math.min(samples, 3_000_000);
        }
    }

    /** Reads every sample, so replay cannot skip work. */
    private static final class SummingVisitor implements WalVisitor {
        long samples;
        long checksum;

        @Override
        public void series(final SeriesRecordView series) {
            checksum += series.seriesId() + series.labelsLength();
        }

        @Override
        public void samples(final SamplesRecordView view) {
            long sum = 0;
            long n = 0;
            while (view.next()) {
                sum += view.seriesId() + view.timestamp() + view.valueBits();
                n++;
            }
            checksum += sum;
            samples += n;
        }
    }
}
