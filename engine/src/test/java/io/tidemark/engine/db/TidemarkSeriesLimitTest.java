package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.engine.head.SeriesCursor;
import io.tidemark.index.SeriesIndex;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-tenant series limit: a new series beyond it is refused, by exception one at a time and by
 * {@link TenantAppender#SERIES_LIMITED} in a batch; the tenant's other series still take samples, other tenants have
 * limits of their own, room comes back as series leave the head, and a restart with a smaller limit loses nothing.
 */
class TidemarkSeriesLimitTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final long HOUR = HourBlocks.HOUR;
    private static final List<LabelMatcher> CPU = List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "cpu"));

    @TempDir
    Path data;

    private TidemarkConfig config(final int limit) {
        return HourBlocks.config(data, 0).withMaxSeriesPerTenant(limit);
    }

    private static LabelSet host(final int i) {
        return LabelSet.of("__name__", "cpu", "instance", "host-" + i);
    }

    private static TidemarkStats.Tenant stats(final Tidemark db, final String tenant) throws IOException {
        return db.stats().tenants().stream().filter(t -> t.name().equals(tenant)).findFirst().orElseThrow();
    }

    private static int samples(final Tidemark db, final String tenant, final int id) {
        return db.read(tenant, id, Long.MIN_VALUE, Long.MAX_VALUE, new SeriesCursor());
    }

    @Test
    void shouldRefuseANewSeriesAtTheLimitAndKeepTakingSamplesOfTheOthers() throws Exception {
        try (Tidemark db = Tidemark.open(config(3))) {
            final TenantAppender a = db.appender("a");
            assertThat(a.seriesLimit()).isEqualTo(3);
            final int[] ids = {a.series(host(0)), a.series(host(1)), a.series(host(2))};
            assertThatThrownBy(() -> a.series(host(3)))
                .isInstanceOf(SeriesLimitException.class)
                .hasMessage("tenant 'a' has reached its limit of 3 series: new series are refused until old ones leave the head")
                .satisfies(e -> {
                    assertThat(((SeriesLimitException) e).tenant()).isEqualTo("a");
                    assertThat(((SeriesLimitException) e).limit()).isEqualTo(3);
                });
            final MemorySegment fourth = host(4).encode();
            assertThatThrownBy(() -> a.series(fourth, 0, (int) fourth.byteSize())).isInstanceOf(SeriesLimitException.class);
            assertThat(a.series(host(1))).as("an existing series is found at the limit").isEqualTo(ids[1]);
            final MemorySegment second = host(2).encode();
            assertThat(a.series(second, 0, (int) second.byteSize())).isEqualTo(ids[2]);
            for (final int id : ids) {
                a.append(id, 1_000, id + 0.5);
                a.append(id, 2_000, id + 1.5);
            }
            a.commit();
            assertThat(a.awaitApplied(TIMEOUT)).isTrue();
            for (final int id : ids) {
                assertThat(samples(db, "a", id)).isEqualTo(2);
            }
            assertThat(db.select("a", CPU)).hasSize(3);

            final TenantAppender b = db.appender("b");
            for (int i = 0; i < 3; i++) {
                b.series(host(i + 10));
            }
            assertThatThrownBy(() -> b.series(host(13))).isInstanceOf(SeriesLimitException.class).hasMessageContaining("'b'");
            assertThat(stats(db, "a").series()).isEqualTo(3);
            assertThat(stats(db, "a").seriesLimited()).isEqualTo(2);
            assertThat(stats(db, "b").seriesLimited()).isEqualTo(1);
        }
    }

    @Test
    void shouldGiveSeriesLimitedToTheNewSeriesOfABatchBeyondTheLimitAndCreateTheRest() throws Exception {
        try (Tidemark db = Tidemark.open(config(3))) {
            final TenantAppender appender = db.appender("default");
            final int existing = appender.series(host(0));
            final LabelSet[] sets = {host(0), host(1), host(2), host(3), host(1), host(4)};
            final MemorySegment bytes = MemorySegment.ofArray(new byte[4096]);
            final long[] offsets = new long[sets.length];
            final int[] lengths = new int[sets.length];
            long at = 0;
            for (int i = 0; i < sets.length; i++) {
                final MemorySegment one = sets[i].encode();
                MemorySegment.copy(one, 0, bytes, at, one.byteSize());
                offsets[i] = at;
                lengths[i] = (int) one.byteSize();
                at += one.byteSize();
            }
            final int[] ids = new int[sets.length];
            appender.seriesAll(bytes, offsets, lengths, sets.length, ids, new int[2 * sets.length + 1]);

            assertThat(ids[0]).isEqualTo(existing);
            assertThat(ids[1]).isNotNegative();
            assertThat(ids[2]).isNotNegative();
            assertThat(ids[3]).isEqualTo(TenantAppender.SERIES_LIMITED);
            assertThat(ids[4]).as("the same labels twice in a batch: created once, then found").isEqualTo(ids[1]);
            assertThat(ids[5]).isEqualTo(TenantAppender.SERIES_LIMITED);
            assertThat(stats(db, "default").series()).isEqualTo(3);
            assertThat(stats(db, "default").seriesLimited()).isEqualTo(2);
            assertThatThrownBy(() -> appender.append(TenantAppender.SERIES_LIMITED, 1_000, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a series id");
            assertThatThrownBy(() -> appender.append(SeriesIndex.NOT_FOUND, 1_000, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldTakeNewSeriesAgainOnceOldOnesLeaveTheHead() throws Exception {
        try (Tidemark db = Tidemark.open(config(2))) {
            final TenantAppender appender = db.appender("default");
            final int stays = appender.series(host(0));
            final int leaves = appender.series(host(1));
            for (long t = 0; t < HOUR; t += 60_000) {
                appender.append(stays, t, 1.0);
                appender.append(leaves, t, 2.0);
            }
            appender.commit();
            assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
            assertThatThrownBy(() -> appender.series(host(2))).isInstanceOf(SeriesLimitException.class);
            db.flush();
            // the next hour of one series: the seal after it takes the other, whose samples are all in blocks, out of the head
            for (long t = HOUR; t < 2 * HOUR; t += 60_000) {
                appender.append(stays, t, 1.0);
            }
            appender.commit();
            assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
            db.flush();
            assertThat(stats(db, "default").seriesRemoved()).isEqualTo(1);
            assertThat(stats(db, "default").series()).isEqualTo(1);

            final int added = appender.series(host(2));
            appender.append(added, 2 * HOUR, 3.0);
            appender.commit();
            assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
            assertThat(samples(db, "default", added)).isEqualTo(1);
            assertThatThrownBy(() -> appender.series(host(3))).isInstanceOf(SeriesLimitException.class);
        }
    }

    @Test
    void shouldReplayEverySeriesAfterARestartWithASmallerLimitAndRefuseNewOnes() throws Exception {
        try (Tidemark db = Tidemark.open(config(0))) {
            final TenantAppender appender = db.appender("default");
            assertThat(appender.seriesLimit()).isZero();
            for (int i = 0; i < 5; i++) {
                appender.append(appender.series(host(i)), 1_000, i);
            }
            appender.commit();
            assertThat(appender.awaitDurable(TIMEOUT)).isTrue();
        }
        HeadSnapshots.deleteAll(data); // replay the WAL, the path that restores series by id
        try (Tidemark db = Tidemark.open(config(2))) {
            assertThat(stats(db, "default").series()).isEqualTo(5);
            final TenantAppender appender = db.appender("default");
            final int[] ids = db.select("default", CPU);
            assertThat(ids).hasSize(5);
            for (final int id : ids) {
                assertThat(samples(db, "default", id)).isEqualTo(1);
            }
            final int known = appender.series(host(4));
            appender.append(known, 2_000, 4.5);
            appender.commit();
            assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
            assertThat(samples(db, "default", known)).isEqualTo(2);
            assertThatThrownBy(() -> appender.series(host(5))).isInstanceOf(SeriesLimitException.class);
        }
    }

    @Test
    void shouldRefuseANegativeLimit() {
        assertThatThrownBy(() -> TidemarkConfig.defaults(data).withMaxSeriesPerTenant(-1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
    }
}
