package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.query.Queryable;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.memory.MemoryTag;
import io.tidemark.tiering.block.BlockReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TidemarkSealTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final long HOUR = 3_600_000;
    private static final long STEP = 15_000;
    private static final List<LabelMatcher> ALL = List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "requests_total"));

    @TempDir
    Path data;

    private TidemarkConfig config(final long sealCheckMillis) {
        return HourBlocks.config(data, sealCheckMillis);
    }

    private static LabelSet series(final int i) {
        return LabelSet.of("__name__", "requests_total", "instance", "host-" + i, "job", i % 2 == 0 ? "even" : "odd");
    }

    private static double value(final int series, final long timestamp) {
        return series * 1_000_000.0 + timestamp / STEP + (timestamp % 7 == 0 ? 0.25 : 0);
    }

    /** Writes samples k in [from, to) of every series, at k * STEP. */
    private static void write(final Tidemark db, final int seriesCount, final long from, final long to) {
        final TenantAppender appender = db.appender("default");
        final int[] ids = new int[seriesCount];
        for (int s = 0; s < seriesCount; s++) {
            ids[s] = appender.series(series(s));
        }
        for (long k = from; k < to; k++) {
            for (int s = 0; s < seriesCount; s++) {
                appender.append(ids[s], k * STEP, value(s, k * STEP));
            }
            appender.commit();
        }
        assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
    }

    /** Every series holds exactly the samples k in [from, to) within [minTime, maxTime]. */
    private static void check(final Tidemark db, final int seriesCount, final long from, final long to, final long minTime,
                              final long maxTime) {
        final Queryable queryable = db.queryable("default");
        final SeriesSet set = queryable.select(ALL, minTime, maxTime);
        assertThat(set.size()).isEqualTo(seriesCount);
        final SampleBuffer buffer = new SampleBuffer(16);
        while (set.next()) {
            final int s = Integer.parseInt(set.labels().get("instance").substring("host-".length()));
            set.samples(buffer);
            final long first = Math.max(from, Math.floorDiv(minTime + STEP - 1, STEP));
            final long last = Math.min(to - 1, Math.floorDiv(maxTime, STEP));
            assertThat(buffer.size()).as("series %d in [%d, %d]", s, minTime, maxTime).isEqualTo((int) Math.max(0, last - first + 1));
            for (int i = 0; i < buffer.size(); i++) {
                final long t = (first + i) * STEP;
                assertThat(buffer.timestamps()[i]).isEqualTo(t);
                assertThat(buffer.values()[i]).isEqualTo(value(s, t));
            }
        }
    }

    @Test
    void shouldSealOnFlushReadHeadAndBlocksAsOneAndReopenFromBlocks() throws Exception {
        final int seriesCount = 50;
        final long samples = 5 * HOUR / STEP + 17; // five windows and a bit
        try (Tidemark db = Tidemark.open(config(0))) {
            write(db, seriesCount, 0, samples);
            final long headBytes = db.nativeBytesByTag().get(MemoryTag.HEAD_CHUNKS);
            assertThat(db.flush()).isEqualTo(6);
            assertThat(db.blocks("default")).hasSize(6);
            assertThat(db.checkpoints()).as("64 KiB segments: some are complete and checkpointed").isPositive();
            assertThat(db.walStatus("default")).hasSize(2).anySatisfy(status -> {
                assertThat(status.checkpoint()).isNotNegative();
                assertThat(status.lastCheckpointMillis()).isPositive();
                assertThat(status.bytesOnDisk()).isPositive();
            });
            for (final BlockReader block : db.blocks("default")) {
                assertThat(block.meta().seriesCount()).isEqualTo(seriesCount);
                assertThat(Math.floorDiv(block.meta().minTime(), HOUR)).as("one window per block")
                    .isEqualTo(Math.floorDiv(block.meta().maxTime(), HOUR));
            }
            check(db, seriesCount, 0, samples, Long.MIN_VALUE, Long.MAX_VALUE);
            check(db, seriesCount, 0, samples, HOUR - 1, 2 * HOUR + 1); // across a block boundary
            final var cache = db.chunkCache();
            final long missesBefore = cache.misses();
            final long hitsBefore = cache.hits();
            check(db, seriesCount, 0, samples, HOUR - 1, 2 * HOUR + 1); // the same again: every chunk from the cache
            assertThat(cache.misses()).as("a repeated query decodes nothing").isEqualTo(missesBefore);
            assertThat(cache.hits() - hitsBefore).as("two or three chunks per series").isBetween(2L * seriesCount, 3L * seriesCount);
            assertThat(db.nativeBytesByTag().get(MemoryTag.HEAD_CHUNKS)).as("the sealed windows' memory is freed")
                .isLessThan(headBytes);
            // older than the newest sample: out of bounds now; newer: taken, and read with the blocks
            write(db, seriesCount, samples - 5, samples + 100);
            assertThat(db.outOfBounds("default")).isEqualTo(5L * seriesCount);
            check(db, seriesCount, 0, samples + 100, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        HeadSnapshots.deleteAll(data); // what replay does with the blocks is what this checks
        try (Tidemark db = Tidemark.open(config(0))) {
            assertThat(db.blocks("default")).hasSize(6);
            final long replayed = db.recoveries().stream().mapToLong(r -> r.samplesReplayed()).sum();
            assertThat(db.recoveries()).anySatisfy(r -> assertThat(r.checkpoint()).isNotNegative());
            assertThat(replayed).as("checkpoints dropped what the blocks hold").isLessThan(samples * seriesCount);
            assertThat(db.outOfBounds("default")).as("replay refuses what the blocks hold and the WAL still has")
                .isEqualTo(replayed - 100L * seriesCount);
            check(db, seriesCount, 0, samples + 100, Long.MIN_VALUE, Long.MAX_VALUE);
            check(db, seriesCount, 0, samples + 100, 3 * HOUR + 1, 5 * HOUR + 100 * STEP);
        }
    }

    @Test
    void shouldSealInTheBackgroundWhileReadersSeeEverySample() throws Exception {
        final int seriesCount = 20;
        final long perHour = HOUR / STEP;
        try (Tidemark db = Tidemark.open(config(5))) {
            final AtomicLong written = new AtomicLong(0);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread reader = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        final long to = written.get();
                        if (to > 0) {
                            checkAtLeast(db, seriesCount, to);
                        }
                    }
                } catch (final Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            try {
                for (long k = 0; k < 6 * perHour; k += perHour / 4) {
                    write(db, seriesCount, k, k + perHour / 4);
                    written.set(k + perHour / 4);
                }
                final long deadline = System.nanoTime() + TIMEOUT;
                while (db.blocksWritten() < 5 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            } finally {
                reader.interrupt();
                reader.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(db.blocksWritten()).as("windows 0..4 end at least half a window before the newest sample").isEqualTo(5);
            check(db, seriesCount, 0, 6 * perHour, Long.MIN_VALUE, Long.MAX_VALUE);
        }
    }

    /** Every series has every sample k < to, whatever is sealed meanwhile. */
    private static void checkAtLeast(final Tidemark db, final int seriesCount, final long to) {
        final SeriesSet set = db.queryable("default").select(ALL, 0, (to - 1) * STEP);
        if (set.size() != seriesCount) {
            throw new AssertionError("series: " + set.size());
        }
        final SampleBuffer buffer = new SampleBuffer(16);
        while (set.next()) {
            set.samples(buffer);
            if (buffer.size() != to) {
                throw new AssertionError(set.labels() + ": " + buffer.size() + " samples, expected " + to + " (blocks "
                    + db.blocks("default").size() + ")");
            }
        }
    }

    @Test
    void shouldLeaveADamagedBlockOutAndReadTheRest() throws Exception {
        final int seriesCount = 10;
        final long samples = 3 * HOUR / STEP;
        try (Tidemark db = Tidemark.open(config(0))) {
            write(db, seriesCount, 0, samples);
            assertThat(db.flush()).isEqualTo(3);
        }
        final Path blocks = data.resolve("tenants/default/blocks");
        final Path damaged;
        try (var listing = Files.list(blocks)) {
            damaged = listing.sorted().toList().get(1); // the middle window
        }
        flipByte(damaged.resolve("index"), 100);
        try (Tidemark db = Tidemark.open(config(0))) {
            assertThat(db.corruptBlocks()).isEqualTo(1);
            assertThat(db.blocks("default")).hasSize(2);
            check(db, seriesCount, 0, HOUR / STEP, Long.MIN_VALUE, HOUR - 1);
            check(db, seriesCount, 2 * HOUR / STEP, samples, 2 * HOUR, Long.MAX_VALUE);
        }
    }

    private static void flipByte(final Path file, final long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.flip();
            one.put(0, (byte) (one.get(0) ^ 0x5A));
            channel.write(one, offset);
        }
    }
}
