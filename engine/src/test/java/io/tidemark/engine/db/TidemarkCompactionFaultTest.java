package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.tiering.block.BlockFileSystem;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compaction through {@link Tidemark} whose file operations fail at each step in turn (as a full
 * disk or a failing device would): the database keeps serving every sample, and reopened it holds
 * the parents or the merged block, every sample once, nothing half-written.
 */
class TidemarkCompactionFaultTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final long HOUR = 3_600_000;
    private static final long STEP = 60_000;
    private static final int SERIES = 8;
    private static final long SAMPLES = 4 * HOUR / STEP;
    private static final List<LabelMatcher> ALL = List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "up"));

    @TempDir
    Path root;

    /** Passes operations through until armed; then fails the {@code failAt}-th one (1-based) and only it. */
    private static final class FailingFileSystem implements BlockFileSystem {
        private final int failAt;
        private volatile boolean armed;
        private int operations;
        private final List<String> log = new ArrayList<>();

        FailingFileSystem(final int failAt) {
            this.failAt = failAt;
        }

        private synchronized void step(final String what) throws IOException {
            if (!armed) {
                return;
            }
            operations++;
            log.add(what);
            if (operations == failAt) {
                throw new IOException("injected failure at operation " + failAt + " (" + what + ")");
            }
        }

        @Override
        public FileChannel create(final Path file) throws IOException {
            step("create " + file.getFileName());
            return BlockFileSystem.super.create(file);
        }

        @Override
        public void sync(final FileChannel channel) throws IOException {
            step("sync");
            BlockFileSystem.super.sync(channel);
        }

        @Override
        public void syncDirectory(final Path directory) throws IOException {
            step("sync directory " + directory.getFileName());
            BlockFileSystem.super.syncDirectory(directory);
        }

        @Override
        public void moveAtomically(final Path from, final Path to) throws IOException {
            step("rename " + from.getFileName() + " " + to.getFileName());
            BlockFileSystem.super.moveAtomically(from, to);
        }

        @Override
        public void deleteTree(final Path tree) throws IOException {
            step("delete " + tree.getFileName());
            BlockFileSystem.super.deleteTree(tree);
        }
    }

    private static TidemarkConfig config(final Path data) {
        return TidemarkConfig.defaults(data)
            .withIngest(new IngestConfig(2, 64, 64, IngestConfig.BackPressure.BLOCK, TIMEOUT, IngestConfig.Idle.BACKOFF))
            .withWal(WalConfig.defaults().withDurability(Durability.OS_WRITE_LOST_ON_POWER_FAILURE).withSizes(64 << 10, 32 << 10, 16 << 10))
            .withBlockRange(HOUR).withSealCheck(0).withCompactionRanges(1, 3);
    }

    private static double value(final int series, final long t) {
        return series * 1e6 + t / STEP;
    }

    /** Writes four hours and seals them into four blocks; returns after the flush. */
    private static void fill(final Tidemark db) throws IOException {
        final TenantAppender appender = db.appender("default");
        final int[] ids = new int[SERIES];
        for (int s = 0; s < SERIES; s++) {
            ids[s] = appender.series(LabelSet.of("__name__", "up", "instance", "host-" + s));
        }
        for (long k = 0; k < SAMPLES; k++) {
            for (int s = 0; s < SERIES; s++) {
                appender.append(ids[s], k * STEP, value(s, k * STEP));
            }
            appender.commit();
        }
        assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
        assertThat(db.flush()).isEqualTo(4);
    }

    private static void checkEverySample(final Tidemark db, final String when) {
        final SeriesSet set = db.queryable("default").select(ALL, Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(set.size()).as(when).isEqualTo(SERIES);
        final SampleBuffer buffer = new SampleBuffer(16);
        while (set.next()) {
            final int s = Integer.parseInt(set.labels().get("instance").substring("host-".length()));
            set.samples(buffer);
            assertThat(buffer.size()).as("%s: samples of %s", when, set.labels()).isEqualTo((int) SAMPLES);
            for (int i = 0; i < buffer.size(); i++) {
                if (buffer.timestamps()[i] != i * STEP || buffer.values()[i] != value(s, i * STEP)) {
                    throw new AssertionError(when + ": " + set.labels() + " sample " + i + " is " + buffer.timestamps()[i]);
                }
            }
        }
    }

    private static List<String> entries(final Path data) throws IOException {
        try (Stream<Path> listing = Files.list(data.resolve("tenants/default/blocks"))) {
            return listing.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void shouldServeAndReopenToEverySampleWhenACompactionFailsAtAnyStep() throws Exception {
        final FailingFileSystem counting = new FailingFileSystem(Integer.MAX_VALUE);
        try (Tidemark db = Tidemark.open(config(root.resolve("clean")), counting)) {
            fill(db);
            counting.armed = true;
            assertThat(db.compact()).isEqualTo(1);
        }
        final int steps = counting.operations;
        System.out.println("TidemarkCompactionFaultTest steps=" + steps + " " + counting.log);
        int failedBeforePublishing = 0;
        for (int failAt = 1; failAt <= steps; failAt++) {
            final Path data = root.resolve("fail-" + failAt);
            final FailingFileSystem failing = new FailingFileSystem(failAt);
            final String when = "failure at step " + failAt + " (" + counting.log.get(failAt - 1) + ")";
            boolean failed = false;
            try (Tidemark db = Tidemark.open(config(data), failing)) {
                fill(db);
                failing.armed = true;
                try {
                    db.compact();
                } catch (final IOException e) {
                    assertThat(e).hasMessageContaining("injected");
                    failed = true;
                }
                final BlockCounters counters = db.blockCounters();
                if (failed) {
                    failedBeforePublishing++;
                    assertThat(counters.compactionFailures()).as(when).isEqualTo(1);
                    assertThat(db.blocks("default")).as(when + ": the parents stay published").hasSize(4);
                    assertThat(db.compact()).as(when + ": backing off, no retry at once").isZero();
                } else {
                    assertThat(counters.compactions()).as(when + ": a failed parent deletion only logs").isEqualTo(1);
                    assertThat(db.blocks("default")).as(when).hasSize(2);
                }
                checkEverySample(db, when);
            }
            try (Tidemark db = Tidemark.open(config(data))) {
                assertThat(db.blocks("default")).as(when + ", reopened: what the failed compaction left published")
                    .hasSize(failed ? 4 : 2);
                assertThat(entries(data)).as(when + ": nothing temporary left").allMatch(name -> !name.contains("."));
                checkEverySample(db, when + ", reopened");
            }
        }
        assertThat(failedBeforePublishing).as("failures before the merged block is published").isPositive().isLessThan(steps);
    }
}
