package io.tidemark.bench.storage;

import io.tidemark.bench.BenchFiles;
import io.tidemark.bench.data.SeriesData;
import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.tiering.block.BlockReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Loads generated series into a {@link Tidemark}, seals them with {@link Tidemark#flush()} and measures
 * what the blocks take. Series are appended in scrape order (one sample of every series, then the next),
 * so the WAL and the heads see what a scraper would send; the background sealer is off during the load
 * ({@code sealCheck 0}) so that the whole seal is the timed flush.
 *
 * <p>Phases, each printed as one {@code storage=<phase>} line: {@code ingest}, {@code seal},
 * {@code wal}, {@code disk phase=sealed}, then {@code compaction} ({@link Tidemark#compact()}: what is due,
 * which needs a whole 12 h range behind the newest block, so at least about 14 h of data) and, if anything was
 * compacted, a second {@code disk phase=compacted} line; the comparison with VictoriaMetrics uses the last
 * {@code disk} line.
 */
final class TidemarkLoad {
    static final String TENANT = "bench";
    private static final long DURABLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

    /** How the database is set up for the load. */
    record Settings(int shards, int batch, long blockRangeMillis, long walSegmentBytes) {
    }

    /** What the comparison needs: samples loaded and the bytes of the blocks after the last phase. */
    record Result(long samples, int series, BlockBytes blocks) {
        double bytesPerSample() {
            return blocks.total() / (double) samples;
        }
    }

    private TidemarkLoad() {
    }

    static Result run(final String dataset, final SeriesData[] series, final Path directory, final Settings settings)
        throws IOException {
        final TidemarkConfig config = TidemarkConfig.defaults(directory)
            .withIngest(new IngestConfig(settings.shards(), 1024, 256, IngestConfig.BackPressure.BLOCK,
                TimeUnit.SECONDS.toNanos(60), IngestConfig.Idle.BACKOFF))
            .withWal(WalConfig.defaults().withSegmentBytes(settings.walSegmentBytes()))
            .withBlockRange(settings.blockRangeMillis())
            .withSealCheck(0);
        final Path tenantDirectory = directory.resolve("tenants").resolve(TENANT);
        try (Tidemark db = Tidemark.open(config)) {
            final TenantAppender appender = db.appender(TENANT);
            final int[] ids = new int[series.length];
            int longest = 0;
            long samples = 0;
            for (int s = 0; s < series.length; s++) {
                ids[s] = appender.series(LabelSet.of(series[s].labels()));
                longest = Math.max(longest, series[s].size());
                samples += series[s].size();
            }
            final long ingestStart = System.nanoTime();
            append(appender, series, ids, longest, settings.batch());
            final long ingestNanos = System.nanoTime() - ingestStart;
            System.out.printf(Locale.ROOT, "storage=ingest dataset=%s samples=%d series=%d shards=%d batch=%d durability=%s "
                    + "seconds=%.2f samples_per_sec=%.0f%n", dataset, samples, series.length, settings.shards(),
                settings.batch(), config.wal().durability().name().toLowerCase(Locale.ROOT), ingestNanos / 1e9,
                samples / (ingestNanos / 1e9));

            final long walBefore = BenchFiles.bytesUnder(tenantDirectory.resolve("wal"));
            final long sealStart = System.nanoTime();
            final int blocks = db.flush();
            final long sealNanos = System.nanoTime() - sealStart;
            final long walAfter = BenchFiles.bytesUnder(tenantDirectory.resolve("wal"));
            final long checkpointBytes = checkpointBytes(tenantDirectory.resolve("wal"));
            long sealed = 0;
            for (final BlockReader block : db.blocks(TENANT)) {
                sealed += block.meta().sampleCount();
            }
            System.out.printf(Locale.ROOT, "storage=seal dataset=%s blocks=%d block_range_ms=%d sealed_samples=%d "
                    + "out_of_bounds=%d seconds=%.3f samples_per_sec=%.0f blocks_per_sec=%.2f%n", dataset, blocks,
                settings.blockRangeMillis(), sealed, db.outOfBounds(TENANT), sealNanos / 1e9, sealed / (sealNanos / 1e9),
                blocks / (sealNanos / 1e9));
            if (sealed != samples) {
                System.out.printf(Locale.ROOT, "storage=warning dataset=%s what=sealed_samples_differ loaded=%d sealed=%d%n",
                    dataset, samples, sealed);
            }
            // The segment being written is never checkpointed: what stays is it plus the checkpoint files.
            System.out.printf(Locale.ROOT, "storage=wal dataset=%s segment_bytes=%d checkpoints=%d bytes_before_checkpoint=%d "
                    + "bytes_after_checkpoint=%d of_which_checkpoint_files=%d%n", dataset, settings.walSegmentBytes(),
                db.checkpoints(), walBefore, walAfter, checkpointBytes);

            BlockBytes measured = BlockBytes.measure(tenantDirectory.resolve("blocks"));
            printDisk(dataset, "sealed", measured, samples);
            // Compaction as the background agent would run it now: the blocks of every aligned larger range that the
            // newest block has passed (2 h -> 12 h -> 3 d), and any that overlap.
            final long compactStart = System.nanoTime();
            final int compactions = db.compact();
            final long compactNanos = System.nanoTime() - compactStart;
            final var counters = db.blockCounters();
            System.out.printf(Locale.ROOT, "storage=compaction dataset=%s compactions=%d blocks_after=%d seconds=%.3f "
                    + "counters=%s%n", dataset, compactions, db.blocks(TENANT).size(), compactNanos / 1e9, counters);
            if (compactions > 0) {
                measured = BlockBytes.measure(tenantDirectory.resolve("blocks"));
                printDisk(dataset, "compacted", measured, samples);
            }
            return new Result(samples, series.length, measured);
        }
    }

    /** Appends sample {@code k} of every series, then {@code k + 1}, committing every {@code batch} samples. */
    private static void append(final TenantAppender appender, final SeriesData[] series, final int[] ids, final int longest,
                               final int batch) {
        int pending = 0;
        for (int k = 0; k < longest; k++) {
            for (int s = 0; s < series.length; s++) {
                final SeriesData one = series[s];
                if (k < one.size()) {
                    appender.append(ids[s], one.timestamps()[k], one.values()[k]);
                    if (++pending == batch) {
                        appender.commit();
                        pending = 0;
                    }
                }
            }
        }
        appender.commit();
        if (!appender.awaitDurable(DURABLE_TIMEOUT_NANOS)) {
            throw new IllegalStateException("samples not durable within " + TimeUnit.NANOSECONDS.toSeconds(DURABLE_TIMEOUT_NANOS)
                + " s");
        }
    }

    /** Bytes of the {@code checkpoint.*} files in every shard directory under {@code wal}. */
    private static long checkpointBytes(final Path wal) throws IOException {
        long bytes = 0;
        try (Stream<Path> files = Files.walk(wal)) {
            for (final Path file : files.filter(Files::isRegularFile).toList()) {
                if (file.getFileName().toString().startsWith("checkpoint.")) {
                    bytes += Files.size(file);
                }
            }
        }
        return bytes;
    }

    static void printDisk(final String dataset, final String phase, final BlockBytes bytes, final long samples) {
        System.out.printf(Locale.ROOT, "storage=disk dataset=%s phase=%s blocks=%d bytes=%d index_bytes=%d chunk_bytes=%d "
                + "meta_bytes=%d bytes_per_sample=%.4f index_bytes_per_sample=%.4f chunk_bytes_per_sample=%.4f%n", dataset, phase,
            bytes.blocks(), bytes.total(), bytes.indexBytes(), bytes.chunkBytes(), bytes.metaBytes(),
            bytes.total() / (double) samples, bytes.indexBytes() / (double) samples, bytes.chunkBytes() / (double) samples);
    }
}
