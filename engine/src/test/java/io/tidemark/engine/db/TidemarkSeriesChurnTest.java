package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Series churn: series that stop leave the head's index once blocks hold everything they had, so the index,
 * the series count and the WAL stay bounded by the live series while every sample stays readable; a writer that
 * kept the id of a removed series still writes to its labels.
 */
class TidemarkSeriesChurnTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final long HOUR = 3_600_000;
    private static final long STEP = 60_000;
    private static final int STEADY = 8;
    private static final int PER_GENERATION = 150;
    private static final int GENERATIONS = 6;

    @TempDir
    Path data;

    private TidemarkConfig config() {
        return HourBlocks.config(data, 0);
    }

    private static LabelSet steady(final int i) {
        return LabelSet.of("__name__", "steady", "instance", "host-" + i);
    }

    /** A pod of generation {@code generation}: its labels are never seen again once the generation ends. */
    private static LabelSet pod(final int generation, final int i) {
        return LabelSet.of("__name__", "pod_cpu", "generation", Integer.toString(generation), "pod", "pod-" + generation + "-" + i);
    }

    private static final LabelSet FLAPPER = LabelSet.of("__name__", "flapper", "instance", "host-f");
    private static final List<LabelMatcher> FLAPPER_ONLY = List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "flapper"));

    private static double value(final LabelSet labels, final long timestamp) {
        return labels.hashCode() % 1000 + timestamp / STEP;
    }

    @Test
    void shouldRemoveStoppedSeriesFromTheHeadAndKeepEverySampleReadable() throws Exception {
        final List<LabelMatcher> pods = List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "pod_cpu"));
        int flapperHandle;
        try (Tidemark db = Tidemark.open(config())) {
            final TenantAppender appender = db.appender("default");
            flapperHandle = appender.series(FLAPPER);
            appender.append(flapperHandle, 0, value(FLAPPER, 0));
            long mostSeries = 0;
            for (int generation = 0; generation < GENERATIONS; generation++) {
                final int[] ids = new int[PER_GENERATION + STEADY];
                for (int i = 0; i < PER_GENERATION; i++) {
                    ids[i] = appender.series(pod(generation, i));
                }
                for (int i = 0; i < STEADY; i++) {
                    ids[PER_GENERATION + i] = appender.series(steady(i));
                }
                final long from = generation * HOUR;
                for (long t = from; t < from + HOUR; t += STEP) {
                    for (int i = 0; i < ids.length; i++) {
                        final LabelSet labels = i < PER_GENERATION ? pod(generation, i) : steady(i - PER_GENERATION);
                        appender.append(ids[i], t, value(labels, t));
                    }
                    appender.commit();
                }
                if (generation == 3) {
                    // the id taken in hour 0: that series left the head at the second flush
                    appender.append(flapperHandle, from + 1, value(FLAPPER, from + 1));
                    appender.commit();
                }
                assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
                mostSeries = Math.max(mostSeries, db.stats().tenants().getFirst().series());
                db.flush(); // seals everything: what is in blocks whole leaves the head
            }
            // One more hour of the steady series alone: a flush keeps the chunks whose window runs past its boundary,
            // so the last generation leaves the head at the flush after it, as every generation did.
            final int[] steadyIds = new int[STEADY];
            for (int i = 0; i < STEADY; i++) {
                steadyIds[i] = appender.series(steady(i));
            }
            for (long t = GENERATIONS * HOUR; t < (GENERATIONS + 1) * HOUR; t += STEP) {
                for (int i = 0; i < STEADY; i++) {
                    appender.append(steadyIds[i], t, value(steady(i), t));
                }
                appender.commit();
            }
            assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
            db.flush();
            final TidemarkStats.Tenant stats = db.stats().tenants().getFirst();
            assertThat(mostSeries).as("series in the head at the peak: two generations, the steady ones, the flapper")
                .isLessThanOrEqualTo(2 * PER_GENERATION + STEADY + 1);
            assertThat(stats.series()).isEqualTo(STEADY);
            assertThat(stats.seriesRemoved()).as("every pod, and the flapper twice").isEqualTo((long) GENERATIONS * PER_GENERATION + 2);
            assertThat(db.select("default", pods)).isEmpty();
            checkEverySample(db, pods);

            // The flapper's labels come back under a new id on the same shard; a sample sent with the id taken in hour 0
            // goes to that series too.
            final long after = (GENERATIONS + 1) * HOUR;
            final int again = appender.series(FLAPPER);
            assertThat(again).isNotEqualTo(flapperHandle);
            assertThat(again % 2).as("the same shard").isEqualTo(flapperHandle % 2);
            appender.append(flapperHandle, after, 1.5);
            appender.append(again, after + STEP, 2.5);
            appender.commit();
            assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
            assertThat(db.select("default", FLAPPER_ONLY)).containsExactly(again);
            final SeriesSet head = db.queryable("default").select(FLAPPER_ONLY, after, Long.MAX_VALUE);
            assertThat(head.next()).isTrue();
            final SampleBuffer buffer = new SampleBuffer(4);
            head.samples(buffer);
            assertThat(buffer.size()).isEqualTo(2);
            assertThat(buffer.values()[0]).isEqualTo(1.5);
            assertThat(buffer.values()[1]).isEqualTo(2.5);
            assertThat(head.next()).isFalse();
        }
        HeadSnapshots.deleteAll(data); // the next open replays the WAL: removed series must not come back
        try (Tidemark db = Tidemark.open(config())) {
            assertThat(db.stats().tenants().getFirst().series())
                .as("the flapper only: the steady series' samples are all in blocks, so the replay leaves them nothing")
                .isEqualTo(1);
            checkEverySample(db, pods);
            final SeriesSet flapper = db.queryable("default").select(FLAPPER_ONLY, Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(flapper.size()).as("one series for its labels, whatever ids it had").isEqualTo(1);
            final SampleBuffer buffer = new SampleBuffer(4);
            assertThat(flapper.next()).isTrue();
            flapper.samples(buffer);
            assertThat(buffer.size()).isEqualTo(4);
            assertThat(buffer.timestamps()[0]).isZero();
            assertThat(buffer.timestamps()[1]).isEqualTo(3 * HOUR + 1);
            assertThat(buffer.values()[1]).isEqualTo(value(FLAPPER, 3 * HOUR + 1));
            assertThat(buffer.timestamps()[2]).isEqualTo((GENERATIONS + 1) * HOUR);
            assertThat(buffer.values()[3]).isEqualTo(2.5);
        }
    }

    /** Every pod of every generation holds its hour of samples, read from the blocks. */
    private static void checkEverySample(final Tidemark db, final List<LabelMatcher> pods) {
        final SeriesSet set = db.queryable("default").select(pods, Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(set.size()).isEqualTo(GENERATIONS * PER_GENERATION);
        final SampleBuffer buffer = new SampleBuffer(64);
        while (set.next()) {
            final LabelSet labels = set.labels();
            final long from = Long.parseLong(labels.get("generation")) * HOUR;
            set.samples(buffer);
            assertThat(buffer.size()).as("%s", labels).isEqualTo((int) (HOUR / STEP));
            for (int i = 0; i < buffer.size(); i++) {
                assertThat(buffer.timestamps()[i]).isEqualTo(from + i * STEP);
                assertThat(buffer.values()[i]).isEqualTo(value(labels, from + i * STEP));
            }
        }
    }
}
