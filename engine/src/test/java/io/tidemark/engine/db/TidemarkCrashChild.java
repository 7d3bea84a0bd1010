package io.tidemark.engine.db;

import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The writer that {@link TidemarkCrashTest} kills: opens the database, then forever writes batch
 * after batch (one sample per series, timestamp {@code batch * 1000}, value {@link #value}), waits
 * until each batch is durable, and prints {@code ack <batch>}.
 *
 * <p>Arguments: data directory, durability mode, first batch number, and optionally compaction ranges
 * as comma-separated multiples of the block range (the defaults otherwise) and a retention time in ms.
 */
public final class TidemarkCrashChild {
    /** Series the child writes, spread over the shards. */
    static final int SERIES = 40;
    /** Shards of the child's database (and the parent's when it checks). */
    static final int SHARDS = 2;

    private TidemarkCrashChild() {
    }

    static TidemarkConfig config(final Path directory, final Durability mode) {
        return TidemarkConfig.defaults(directory)
            .withIngest(new IngestConfig(SHARDS, 64, 64, IngestConfig.BackPressure.BLOCK, TimeUnit.SECONDS.toNanos(30),
                IngestConfig.Idle.BACKOFF))
            .withWal(WalConfig.defaults().withDurability(mode).withSizes(64 << 10, 32 << 10, 16 << 10))
            // ten-second blocks sealed as soon as they are due, and small WAL segments: kills land while
            // blocks are written, heads truncated and WALs checkpointed
            .withBlockRange(10_000)
            .withSealCheck(2);
    }

    static long[] ranges(final String multiples) {
        final String[] parts = multiples.split(",");
        final long[] ranges = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            ranges[i] = Long.parseLong(parts[i]);
        }
        return ranges;
    }

    static LabelSet series(final int i) {
        return LabelSet.of("__name__", "crash_total", "series", Integer.toString(i));
    }

    static double value(final long batch, final int series) {
        return batch * 100.0 + series;
    }

    public static void main(final String[] args) throws Exception {
        final Path directory = Path.of(args[0]);
        final Durability mode = Durability.valueOf(args[1]);
        long batch = Long.parseLong(args[2]);
        final TidemarkConfig config = args.length > 3 ? config(directory, mode).withCompactionRanges(ranges(args[3]))
            .withRetentionTime(args.length > 4 ? Long.parseLong(args[4]) : 0) : config(directory, mode);
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        try (Tidemark db = Tidemark.open(config)) {
            final TenantAppender appender = db.appender("crash");
            final int[] ids = new int[SERIES];
            for (int i = 0; i < SERIES; i++) {
                ids[i] = appender.series(series(i));
            }
            out.println("ready");
            while (true) {
                for (int i = 0; i < SERIES; i++) {
                    appender.append(ids[i], batch * 1000, value(batch, i));
                }
                appender.commit();
                if (!appender.awaitDurable(TimeUnit.SECONDS.toNanos(30))) {
                    throw new IllegalStateException("batch " + batch + " not durable in 30 s");
                }
                out.println("ack " + batch);
                batch++;
            }
        }
    }
}
