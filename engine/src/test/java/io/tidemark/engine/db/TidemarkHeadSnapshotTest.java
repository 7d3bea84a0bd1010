package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A clean close writes head snapshots; the next open rebuilds the heads from them, the same as a replay would. */
class TidemarkHeadSnapshotTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final long HOUR = 3_600_000;
    private static final long STEP = 15_000;
    private static final int SERIES = 40;
    private static final List<LabelMatcher> ALL = List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "up"));

    @TempDir
    Path data;

    private TidemarkConfig config() {
        return HourBlocks.config(data, 0);
    }

    private static void write(final Tidemark db, final long k0, final long k1) {
        final TenantAppender appender = db.appender("default");
        final int[] ids = new int[SERIES];
        for (int s = 0; s < SERIES; s++) {
            ids[s] = appender.series(LabelSet.of("__name__", "up", "instance", "host-" + s));
        }
        for (long k = k0; k < k1; k++) {
            for (int s = 0; s < SERIES; s++) {
                appender.append(ids[s], k * STEP, s % 3 == 0 ? k * 0.5 : Math.sin(k + s));
            }
            appender.commit();
        }
        assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
    }

    /** Every sample of every series, as one list of (series, time, value bits). */
    private static List<long[]> everything(final Tidemark db) {
        final List<long[]> all = new ArrayList<>();
        final SeriesSet set = db.queryable("default").select(ALL, Long.MIN_VALUE, Long.MAX_VALUE);
        final SampleBuffer buffer = new SampleBuffer(16);
        while (set.next()) {
            final long s = Long.parseLong(set.labels().get("instance").substring("host-".length()));
            set.samples(buffer);
            for (int i = 0; i < buffer.size(); i++) {
                all.add(new long[] {s, buffer.timestamps()[i], Double.doubleToRawLongBits(buffer.values()[i])});
            }
        }
        return all;
    }

    private List<Path> snapshots() throws IOException {
        final Path head = data.resolve("tenants/default/head");
        if (!Files.isDirectory(head)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(head)) {
            return files.toList();
        }
    }

    @Test
    void shouldReopenFromSnapshotsAsAReplayWouldAndFallBackToReplayWhenTheWalMoved() throws IOException {
        List<long[]> expected;
        try (Tidemark db = Tidemark.open(config())) {
            write(db, 0, 2 * HOUR / STEP);
            db.flush(); // a block and a truncated head: the snapshot carries the bound
            write(db, 2 * HOUR / STEP, 3 * HOUR / STEP + 7);
            expected = everything(db);
        }
        assertThat(snapshots()).hasSize(2);
        try (Tidemark db = Tidemark.open(config())) {
            assertThat(db.headsRestored()).isEqualTo(2);
            assertThat(snapshots()).as("read and deleted").isEmpty();
            assertThat(everything(db)).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(expected);
            write(db, 3 * HOUR / STEP + 7, 4 * HOUR / STEP); // open chunks resume
            expected = everything(db);
        }
        try (Tidemark db = Tidemark.open(config())) {
            assertThat(db.headsRestored()).isEqualTo(2);
            assertThat(everything(db)).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(expected);
        }
        // the same data replayed from the WAL alone reads the same
        for (final Path snapshot : snapshots()) {
            Files.delete(snapshot);
        }
        try (Tidemark db = Tidemark.open(config())) {
            assertThat(db.headsRestored()).isZero();
            assertThat(everything(db)).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(expected);
        }
        // a WAL that changed after the snapshot (here: a torn tail appended) makes it stale: replayed instead
        final Path wal = data.resolve("tenants/default/wal/shard-000");
        final Path segment;
        try (Stream<Path> files = Files.list(wal)) {
            segment = files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("checkpoint")).sorted().toList().getLast();
        }
        Files.write(segment, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        try (Tidemark db = Tidemark.open(config())) {
            assertThat(db.headsRestored()).as("shard 0 replayed, shard 1 restored").isEqualTo(1);
            assertThat(everything(db)).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(expected);
        }
    }
}
