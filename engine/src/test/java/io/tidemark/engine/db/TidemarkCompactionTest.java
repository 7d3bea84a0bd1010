package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.tiering.block.BlockMeta;
import io.tidemark.tiering.block.BlockReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TidemarkCompactionTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(60);
    private static final long HOUR = 3_600_000;
    private static final long STEP = 60_000;
    private static final long PER_HOUR = HOUR / STEP;
    private static final List<LabelMatcher> ALL = List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "requests_total"));

    @TempDir
    Path data;

    private TidemarkConfig config(final long sealCheckMillis) {
        return TidemarkConfig.defaults(data)
            .withIngest(new IngestConfig(2, 64, 64, IngestConfig.BackPressure.BLOCK, TIMEOUT, IngestConfig.Idle.BACKOFF))
            .withWal(WalConfig.defaults().withDurability(Durability.OS_WRITE_LOST_ON_POWER_FAILURE).withSizes(64 << 10, 32 << 10, 16 << 10))
            .withBlockRange(HOUR)
            .withSealCheck(sealCheckMillis);
    }

    private static LabelSet series(final int i) {
        return LabelSet.of("__name__", "requests_total", "instance", "host-" + i);
    }

    private static double value(final int series, final long timestamp) {
        return series * 1_000_000.0 + timestamp / STEP + 0.5;
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

    /** Every series holds exactly the samples k in [from, to); returns an error message instead of throwing. */
    private static String differences(final Tidemark db, final int seriesCount, final long from, final long to) {
        final SeriesSet set = db.queryable("default").select(ALL, Long.MIN_VALUE, Long.MAX_VALUE);
        if (set.size() != seriesCount) {
            return "series: " + set.size() + ", expected " + seriesCount;
        }
        final SampleBuffer buffer = new SampleBuffer(16);
        while (set.next()) {
            final int s = Integer.parseInt(set.labels().get("instance").substring("host-".length()));
            set.samples(buffer);
            if (buffer.size() != to - from) {
                return set.labels() + ": " + buffer.size() + " samples, expected " + (to - from) + " (blocks " + db.blocks("default").size() + ")";
            }
            for (int i = 0; i < buffer.size(); i++) {
                final long t = (from + i) * STEP;
                if (buffer.timestamps()[i] != t || buffer.values()[i] != value(s, t)) {
                    return set.labels() + " sample " + i + ": " + buffer.timestamps()[i] + "=" + buffer.values()[i] + ", expected " + t;
                }
            }
        }
        return null;
    }

    private static void check(final Tidemark db, final int seriesCount, final long from, final long to) {
        assertThat(differences(db, seriesCount, from, to)).isNull();
    }

    private static Set<String> blockDirectories(final Path data) throws IOException {
        try (Stream<Path> listing = Files.list(data.resolve("tenants/default/blocks"))) {
            return listing.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void shouldCompactSealedBlocksIntoAlignedRangesAndKeepEverySampleAcrossAReopen() throws Exception {
        final int seriesCount = 30;
        final long samples = 10 * PER_HOUR;
        final List<String> compactedIds = new ArrayList<>();
        try (Tidemark db = Tidemark.open(config(0).withCompactionRanges(1, 3))) {
            write(db, seriesCount, 0, samples);
            assertThat(db.flush()).isEqualTo(10);
            check(db, seriesCount, 0, samples);
            final long bytesBefore = db.blocks("default").stream().mapToLong(b -> b.meta().bytesOnDisk()).sum();
            assertThat(db.compact()).as("[0,3h) [3h,6h) [6h,9h); [9h,12h) holds the newest block").isEqualTo(3);
            final List<BlockReader> blocks = db.blocks("default");
            assertThat(blocks).extracting(b -> b.meta().minTime() / HOUR).containsExactly(0L, 3L, 6L, 9L);
            assertThat(blocks).extracting(b -> b.meta().maxTime() / HOUR).containsExactly(2L, 5L, 8L, 9L);
            check(db, seriesCount, 0, samples);
            final BlockCounters counters = db.blockCounters();
            assertThat(counters.compactions()).isEqualTo(3);
            assertThat(counters.blocksCompacted()).isEqualTo(9);
            assertThat(counters.bytesCompacted()).isPositive().isLessThanOrEqualTo(bytesBefore);
            assertThat(counters.bytesWrittenByCompaction()).isPositive();
            assertThat(db.compact()).as("nothing more is due").isZero();
            blocks.forEach(b -> compactedIds.add(b.meta().id().toString()));
            assertThat(blockDirectories(data)).as("the parents are gone from disk").containsExactlyInAnyOrderElementsOf(compactedIds);
            write(db, seriesCount, samples, samples + 3 * PER_HOUR);
            db.flush();
            assertThat(db.compact()).as("[9h, 12h) is complete now").isEqualTo(1);
            check(db, seriesCount, 0, samples + 3 * PER_HOUR);
        }
        try (Tidemark db = Tidemark.open(config(0).withCompactionRanges(1, 3))) {
            check(db, seriesCount, 0, samples + 3 * PER_HOUR);
            assertThat(db.blocks("default")).extracting(b -> b.meta().minTime() / HOUR).containsExactly(0L, 3L, 6L, 9L, 12L);
        }
    }

    @Test
    void shouldOpenToTheMergedBlockAloneWhenTheParentsOutliveACrash() throws Exception {
        final int seriesCount = 10;
        final long samples = 4 * PER_HOUR;
        final Path saved = Files.createDirectories(data.resolveSibling(data.getFileName() + "-saved"));
        try (Tidemark db = Tidemark.open(config(0).withCompactionRanges(1, 3))) {
            write(db, seriesCount, 0, samples);
            db.flush();
            for (final String block : blockDirectories(data)) {
                copyTree(data.resolve("tenants/default/blocks").resolve(block), saved.resolve(block));
            }
            assertThat(db.compact()).isEqualTo(1);
        }
        final Set<String> afterCompaction = blockDirectories(data);
        // as if the process died after renaming the merged block into place, before deleting any parent
        try (Stream<Path> parents = Files.list(saved)) {
            for (final Path parent : parents.toList()) {
                if (!afterCompaction.contains(parent.getFileName().toString())) {
                    copyTree(parent, data.resolve("tenants/default/blocks").resolve(parent.getFileName()));
                }
            }
        }
        assertThat(blockDirectories(data)).hasSize(afterCompaction.size() + 3);
        try (Tidemark db = Tidemark.open(config(0).withCompactionRanges(1, 3))) {
            assertThat(blockDirectories(data)).isEqualTo(afterCompaction);
            assertThat(db.blocks("default")).hasSize(2);
            check(db, seriesCount, 0, samples);
        }
    }

    @Test
    void shouldServeEverySampleWhileBlocksAreSealedCompactedAndExpiredInTheBackground() throws Exception {
        final int seriesCount = 16;
        final long retainedHours = 20;
        try (Tidemark db = Tidemark.open(config(2).withCompactionRanges(1, 2, 4).withRetentionTime(retainedHours * HOUR))) {
            final AtomicLong written = new AtomicLong(0);
            final AtomicLong checks = new AtomicLong();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread reader = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        final long to = written.get();
                        if (to > 0) {
                            checkPrefix(db, seriesCount, to);
                            checks.incrementAndGet();
                        }
                    }
                } catch (final Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            final long hours = 30;
            try {
                for (long k = 0; k < hours * PER_HOUR && failure.get() == null; k += PER_HOUR / 4) {
                    write(db, seriesCount, k, k + PER_HOUR / 4);
                    written.set(k + PER_HOUR / 4);
                    Thread.sleep(20); // let seals, compactions and retention interleave with the writes
                }
                final long deadline = System.nanoTime() + TIMEOUT;
                while ((db.blockCounters().blocksDeletedByRetention() == 0 || db.blockCounters().compactions() == 0)
                    && System.nanoTime() < deadline && failure.get() == null) {
                    Thread.sleep(5);
                }
            } finally {
                reader.interrupt();
                reader.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(checks.get()).as("the reader raced the background work").isPositive();
            final BlockCounters counters = db.blockCounters();
            System.out.println("background: reader checks=" + checks.get() + " " + counters);
            assertThat(counters.compactions()).isPositive();
            assertThat(counters.blocksDeletedByRetention()).isPositive();
            assertThat(counters.compactionFailures()).isZero();
            // windows 0..28 are due (the newest sample is half a window past their end); then retention once more,
            // since each seal moves the newest max time on
            final long sealDeadline = System.nanoTime() + TIMEOUT;
            while (db.blocksWritten() < hours - 1 && System.nanoTime() < sealDeadline) {
                Thread.sleep(5);
            }
            assertThat(db.blocksWritten()).isEqualTo(hours - 1);
            db.compact();
            final List<BlockReader> blocks = db.blocks("default");
            final long newest = blocks.stream().mapToLong(b -> b.meta().maxTime()).max().orElseThrow();
            assertThat(blocks).allSatisfy(b -> assertThat(newest - b.meta().maxTime()).isLessThanOrEqualTo(retainedHours * HOUR));
            final long oldest = blocks.getFirst().meta().minTime();
            check(db, seriesCount, oldest / STEP, hours * PER_HOUR);
        }
    }

    /**
     * Every series has the samples k < to except an old prefix that retention may have deleted:
     * what it returns is one run, from some k0 up to at least to - 1, with the right values.
     */
    private static void checkPrefix(final Tidemark db, final int seriesCount, final long to) {
        final SeriesSet set = db.queryable("default").select(ALL, Long.MIN_VALUE, Long.MAX_VALUE);
        final SampleBuffer buffer = new SampleBuffer(16);
        int seen = 0;
        while (set.next()) {
            seen++;
            final int s = Integer.parseInt(set.labels().get("instance").substring("host-".length()));
            set.samples(buffer);
            if (buffer.size() == 0) {
                throw new AssertionError(set.labels() + ": no samples, expected up to " + to);
            }
            final long first = buffer.timestamps()[0] / STEP;
            for (int i = 0; i < buffer.size(); i++) {
                final long t = (first + i) * STEP;
                if (buffer.timestamps()[i] != t || buffer.values()[i] != value(s, t)) {
                    throw new AssertionError(set.labels() + " sample " + i + ": " + buffer.timestamps()[i] + "=" + buffer.values()[i]
                        + ", expected " + t + "=" + value(s, t) + " (a gap or a wrong value; blocks " + db.blocks("default").size() + ")");
                }
            }
            if (first + buffer.size() < to) {
                throw new AssertionError(set.labels() + ": samples end at " + (first + buffer.size()) + ", expected at least " + to);
            }
            if (first > 0 && to - first < 20 * PER_HOUR - 2 * PER_HOUR) {
                throw new AssertionError(set.labels() + ": starts at " + first + ", retention keeps about 20 h before " + to);
            }
        }
        if (seen != seriesCount) {
            throw new AssertionError("series: " + seen + ", expected " + seriesCount);
        }
    }

    @Test
    void shouldDeleteBlocksOlderThanTheRetentionTime() throws Exception {
        final int seriesCount = 10;
        try (Tidemark db = Tidemark.open(config(0).withCompactionRanges(1).withRetentionTime(3 * HOUR))) {
            write(db, seriesCount, 0, 8 * PER_HOUR);
            assertThat(db.flush()).isEqualTo(8);
            final Set<String> before = blockDirectories(data);
            assertThat(db.compact()).as("no ranges to compact").isZero();
            // newest max time is 8h - STEP; max times more than 3 h before it (windows 0..3) go
            assertThat(db.blocks("default")).extracting(b -> b.meta().minTime() / HOUR).containsExactly(4L, 5L, 6L, 7L);
            assertThat(db.blockCounters().blocksDeletedByRetention()).isEqualTo(4);
            assertThat(blockDirectories(data)).hasSize(4);
            assertThat(before).containsAll(blockDirectories(data));
            check(db, seriesCount, 4 * PER_HOUR, 8 * PER_HOUR);
        }
        try (Tidemark db = Tidemark.open(config(0).withCompactionRanges(1).withRetentionTime(3 * HOUR))) {
            check(db, seriesCount, 4 * PER_HOUR, 8 * PER_HOUR);
        }
    }

    @Test
    void shouldDeleteTheOldestBlocksUntilTheTenantFitsItsSizeLimit() throws Exception {
        final int seriesCount = 10;
        final long limit;
        try (Tidemark db = Tidemark.open(config(0).withCompactionRanges(1))) {
            write(db, seriesCount, 0, 6 * PER_HOUR);
            assertThat(db.flush()).isEqualTo(6);
            final List<BlockMeta> metas = db.blocks("default").stream().map(BlockReader::meta).toList();
            limit = metas.subList(3, 6).stream().mapToLong(BlockMeta::bytesOnDisk).sum();
        }
        try (Tidemark db = Tidemark.open(config(0).withCompactionRanges(1).withRetentionSize(limit))) {
            assertThat(db.compact()).isZero();
            assertThat(db.blocks("default")).extracting(b -> b.meta().minTime() / HOUR).containsExactly(3L, 4L, 5L);
            final BlockCounters counters = db.blockCounters();
            assertThat(counters.blocksDeletedByRetention()).isEqualTo(3);
            assertThat(counters.bytesDeletedByRetention()).isPositive();
            assertThat(db.blocks("default").stream().mapToLong(b -> b.meta().bytesOnDisk()).sum()).isLessThanOrEqualTo(limit);
            check(db, seriesCount, 3 * PER_HOUR, 6 * PER_HOUR);
        }
    }

    @Test
    void shouldKeepAReplacedBlockOpenUntilTheSnapshotThatHoldsItCloses() throws Exception {
        try (Tidemark db = Tidemark.open(config(0).withCompactionRanges(1, 3))) {
            write(db, 5, 0, 4 * PER_HOUR);
            db.flush();
            try (BlockSnapshot held = db.acquireBlocks("default")) {
                assertThat(db.compact()).isEqualTo(1);
                assertThat(db.blocks("default")).hasSize(2);
                final BlockReader parent = held.blocks().getFirst();
                assertThat(parent.seriesCount()).isEqualTo(5);
                assertThat(parent.readChunk(parent.series(0, new io.tidemark.tiering.block.BlockSeries()).chunkRef(0)).byteSize())
                    .as("its files are deleted but still mapped: it reads").isPositive();
            }
            check(db, 5, 0, 4 * PER_HOUR);
        }
    }

    @Test
    void shouldRefuseCompactionRangesThatAreNotIncreasingMultiplesOfTheBlockRange() {
        final TidemarkConfig config = config(0);
        assertThat(config.compactionRangesMillis()).containsExactly(HOUR, 6 * HOUR, 36 * HOUR);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.withCompactionRanges(2, 4))
            .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.withCompactionRanges(1, 4, 6))
            .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.withRetentionTime(-1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(config.withCompactionRanges(1).compactionRangesMillis()).containsExactly(HOUR);
    }

    private static void copyTree(final Path from, final Path to) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (final Path source : tree.toList()) {
                final Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
