package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.engine.head.SeriesCursor;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalRecovery;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TidemarkTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path data;

    private TidemarkConfig config(final Durability durability) {
        return TidemarkConfig.defaults(data)
            .withIngest(new IngestConfig(3, 64, 64, IngestConfig.BackPressure.BLOCK, TIMEOUT, IngestConfig.Idle.BACKOFF))
            .withWal(io.tidemark.engine.wal.WalConfig.defaults().withDurability(durability).withSegmentBytes(1 << 20));
    }

    private static LabelSet series(final String tenant, final int i) {
        return LabelSet.of("__name__", "requests_total", "tenant_label", tenant, "instance", "host-" + i);
    }

    private static double value(final int series, final long timestamp) {
        return series * 1_000_000.0 + timestamp / 15_000;
    }

    private static void write(final Tidemark db, final String tenant, final int seriesCount, final int samples, final long start) {
        final TenantAppender appender = db.appender(tenant);
        final int[] ids = new int[seriesCount];
        for (int s = 0; s < seriesCount; s++) {
            ids[s] = appender.series(series(tenant, s));
        }
        for (int t = 0; t < samples; t++) {
            for (int s = 0; s < seriesCount; s++) {
                appender.append(ids[s], start + t * 15_000L, value(s, start + t * 15_000L));
            }
            appender.commit();
        }
        assertThat(appender.awaitDurable(TIMEOUT)).isTrue();
    }

    private static void check(final Tidemark db, final String tenant, final int seriesCount, final int samples, final long start) {
        final int[] ids = db.select(tenant, List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "requests_total")));
        assertThat(ids).hasSize(seriesCount);
        final SeriesCursor cursor = new SeriesCursor();
        for (final int id : ids) {
            final LabelSet labels = db.labels(tenant, id);
            assertThat(labels.get("tenant_label")).isEqualTo(tenant);
            final int s = Integer.parseInt(labels.get("instance").substring("host-".length()));
            assertThat(db.read(tenant, id, Long.MIN_VALUE, Long.MAX_VALUE, cursor)).isEqualTo(samples);
            for (int t = 0; t < samples; t++) {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.timestamp()).isEqualTo(start + t * 15_000L);
                assertThat(cursor.value()).isEqualTo(value(s, start + t * 15_000L));
            }
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedSampleAcrossARestartPerTenant() throws Exception {
        try (Tidemark db = Tidemark.open(config(Durability.FSYNC))) {
            write(db, "alpha", 200, 130, 1_000_000);
            write(db, "beta", 50, 10, 2_000_000);
            check(db, "alpha", 200, 130, 1_000_000);
            check(db, "beta", 50, 10, 2_000_000);
        }
        HeadSnapshots.deleteAll(data); // this reopen replays the WALs; the last one reads snapshots
        try (Tidemark db = Tidemark.open(config(Durability.FSYNC))) {
            assertThat(db.headsRestored()).isZero();
            long replayed = 0;
            for (final WalRecovery recovery : db.recoveries()) {
                replayed += recovery.samplesReplayed();
                assertThat(recovery.corruptTailsCut()).isZero();
            }
            assertThat(replayed).isEqualTo(200 * 130 + 50 * 10);
            check(db, "alpha", 200, 130, 1_000_000);
            check(db, "beta", 50, 10, 2_000_000);
            // Known series keep their ids; new ones come after; writing continues where it stopped.
            final TenantAppender appender = db.appender("alpha");
            final int existing = appender.series(series("alpha", 7));
            assertThat(db.labels("alpha", existing)).isEqualTo(series("alpha", 7));
            final int fresh = appender.series(series("alpha", 999));
            assertThat(fresh).isGreaterThanOrEqualTo(200);
            appender.series(series("alpha", 998)); // never gets a sample, so it is never logged
            appender.append(fresh, 5_000_000, 1);
            appender.commit();
            assertThat(appender.awaitDurable(TIMEOUT)).isTrue();
            write(db, "beta", 50, 5, 2_000_000 + 10 * 15_000L);
        }
        try (Tidemark db = Tidemark.open(config(Durability.OS_WRITE_LOST_ON_POWER_FAILURE))) {
            assertThat(db.headsRestored()).as("two tenants, every shard").isEqualTo(2L * config(Durability.FSYNC).ingest().shards());
            check(db, "beta", 50, 15, 2_000_000);
            assertThat(db.select("alpha", List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "instance", "host-999")))).hasSize(1);
            assertThat(db.select("alpha", List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "instance", "host-998")))).isEmpty();
        }
    }

    @Test
    void shouldRefuseOutOfOrderSamplesAndCountThemWithoutLoggingThem() throws Exception {
        try (Tidemark db = Tidemark.open(config(Durability.OS_WRITE_LOST_ON_POWER_FAILURE))) {
            final TenantAppender appender = db.appender("default");
            final int id = appender.series(series("default", 1));
            appender.append(id, 2_000, 1);
            appender.append(id, 1_000, 2);
            appender.append(id, 2_000, 3);
            appender.append(id, 3_000, 4);
            appender.commit();
            assertThat(appender.awaitDurable(TIMEOUT)).isTrue();
            assertThat(db.refused("default")).containsExactly(1, 1);
            assertThat(db.read("default", id, 0, Long.MAX_VALUE, new SeriesCursor())).isEqualTo(2);
        }
        try (Tidemark db = Tidemark.open(config(Durability.OS_WRITE_LOST_ON_POWER_FAILURE))) {
            assertThat(db.refused("default")).containsExactly(0, 0);
            assertThat(db.read("default", 0, 0, Long.MAX_VALUE, new SeriesCursor())).isEqualTo(2);
        }
    }

    @Test
    void shouldTakeLateSamplesInTheOutOfOrderWindowAndReplayThemExactly() throws Exception {
        final TidemarkConfig withWindow = config(Durability.FSYNC).withOutOfOrderWindow(60_000);
        try (Tidemark db = Tidemark.open(withWindow)) {
            final TenantAppender appender = db.appender("default");
            final int id = appender.series(series("default", 1));
            // On-time samples every 2 s, each followed by one 1 s late, and one far too late.
            for (int i = 1; i <= 20; i++) {
                appender.append(id, i * 2_000L, i * 2_000L);
                appender.append(id, i * 2_000L - 1_000, i * 2_000L - 1_000);
            }
            appender.append(id, 500, 500); // 39.5 s behind the newest: inside the 60 s window
            appender.append(id, -30_000, 0); // 70 s behind: refused
            appender.commit();
            assertThat(appender.awaitDurable(TIMEOUT)).isTrue();
            assertThat(db.refused("default")).containsExactly(1, 0);
        }
        try (Tidemark db = Tidemark.open(withWindow)) {
            final SeriesCursor cursor = new SeriesCursor();
            assertThat(db.read("default", 0, Long.MIN_VALUE, Long.MAX_VALUE, cursor)).as("after replay").isEqualTo(41);
            assertThat(cursor.next()).isTrue();
            assertThat(cursor.timestamp()).isEqualTo(500);
            for (int i = 1; i <= 40; i++) {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.timestamp()).isEqualTo(i * 1_000L);
                assertThat(cursor.value()).isEqualTo(i * 1_000.0);
            }
        }
    }

    @Test
    void shouldKeepTenantsApartAndRefuseBadTenantNames() throws Exception {
        try (Tidemark db = Tidemark.open(config(Durability.OS_WRITE_LOST_ON_POWER_FAILURE))) {
            write(db, "a", 3, 2, 0);
            assertThat(db.select("b", List.of(LabelMatcher.of(LabelMatcher.Type.REGEX, "__name__", ".+")))).isEmpty();
            assertThatThrownBy(() -> db.appender("../etc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid tenant name");
            assertThatThrownBy(() -> Tidemark.open(config(Durability.FSYNC))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is in use by another database");
        }
    }

    @Test
    void shouldTakeHeadMemoryAheadOfTheShardAndStopTheReserveThreadOnClose() throws Exception {
        final TidemarkConfig oneShard = TidemarkConfig.defaults(data)
            .withIngest(new IngestConfig(1, 64, 1024, IngestConfig.BackPressure.BLOCK, TIMEOUT, IngestConfig.Idle.BACKOFF));
        try (Tidemark db = Tidemark.open(oneShard)) {
            // 30,000 open chunks of 64 bytes fill 30 pages of 64 KiB: below the reserve an eighth of that asks for.
            write(db, "alpha", 30_000, 1, 1_000_000);
            final long deadline = System.nanoTime() + TIMEOUT;
            // the first block of the next window's closed-chunk arena (taken at the first pass), then the slab
            while (db.slabsTakenAhead() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(db.slabsTakenAhead()).as("the next window's block, and one or two slabs: the reserve may also beat the "
                + "shard to its second").isBetween(2L, 3L);
            assertThat(reserveThreads()).isEqualTo(1);
        }
        assertThat(reserveThreads()).as("close stops the reserve thread").isZero();
    }

    private static long reserveThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().equals("tidemark-memory-reserve") && thread.isAlive()).count();
    }
}
