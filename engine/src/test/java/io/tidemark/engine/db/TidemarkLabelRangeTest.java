package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.query.TenantQueryable;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Label names and values restricted to a time range: head series by their newest sample, blocks by their range. */
class TidemarkLabelRangeTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final long HOUR = 3_600_000;
    private static final long STEP = 15_000;

    @TempDir
    Path data;

    private static void write(final Tidemark db, final LabelSet labels, final long from, final long to) {
        final TenantAppender appender = db.appender("default");
        final int id = appender.series(labels);
        for (long t = from; t < to; t += STEP) {
            appender.append(id, t, 1);
        }
        appender.commit();
        assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
    }

    @Test
    void shouldNameOnlyLabelsOfSeriesThatMayHaveSamplesInTheRange() throws Exception {
        final TidemarkConfig config = TidemarkConfig.defaults(data)
            .withIngest(new IngestConfig(1, 64, 64, IngestConfig.BackPressure.BLOCK, TIMEOUT, IngestConfig.Idle.BACKOFF))
            .withWal(WalConfig.defaults().withDurability(Durability.OS_WRITE_LOST_ON_POWER_FAILURE))
            .withBlockRange(HOUR).withSealCheck(0);
        final LabelSet gone = LabelSet.of("__name__", "old_metric", "job", "batch", "old_label", "x");
        final LabelSet early = LabelSet.of("__name__", "early_metric", "job", "api");
        final LabelSet late = LabelSet.of("__name__", "late_metric", "job", "web", "zone", "a");
        final LabelSet filler = LabelSet.of("__name__", "filler", "job", "filler");
        try (Tidemark db = Tidemark.open(config)) {
            final TenantQueryable labels = new TenantQueryable(db, "default");
            // hour 0: "gone"; a sample at 1 h closes its chunk's window, so the flush takes it out of the head
            write(db, gone, 0, HOUR);
            write(db, filler, HOUR, HOUR + 1);
            assertThat(db.flush()).isEqualTo(2);
            // hours 1-3 in the head: "early" stops at 1.5 h, "late" starts at 2 h
            write(db, early, HOUR, HOUR + HOUR / 2);
            write(db, late, 2 * HOUR, 3 * HOUR);

            assertThat(labels.labelNames(List.of(), Long.MIN_VALUE, Long.MAX_VALUE))
                .containsExactly("__name__", "job", "old_label", "zone");
            assertThat(labels.labelValues("__name__", List.of(), 0, HOUR / 2)).as("only the block overlaps")
                .containsExactly("old_metric");
            assertThat(labels.labelNames(List.of(), 0, HOUR / 2)).containsExactly("__name__", "job", "old_label");
            assertThat(labels.labelValues("__name__", List.of(), 2 * HOUR, 3 * HOUR)).as("early's newest sample is before")
                .containsExactly("late_metric");
            assertThat(labels.labelValues("job", List.of(), HOUR + HOUR / 4, HOUR + HOUR / 3))
                .as("late has no sample before 2 h, but the head's oldest is: a head series counts from the head's start")
                .containsExactly("api", "web");
            assertThat(labels.labelValues("job", List.of(), 4 * HOUR, 5 * HOUR)).as("after everything").isEmpty();

            final List<LabelMatcher> notLate = List.of(LabelMatcher.of(LabelMatcher.Type.REGEX, "__name__", "(old|early)_metric"));
            assertThat(labels.labelValues("job", notLate, 0, 2 * HOUR)).containsExactly("api", "batch");
            assertThat(labels.labelNames(notLate, HOUR, 2 * HOUR)).containsExactly("__name__", "job");
            assertThat(labels.labelNames(notLate, 0, HOUR - 1)).containsExactly("__name__", "job", "old_label");
            // without a range, head and blocks; the head's index no longer holds the series that went into blocks whole
            assertThat(labels.labelValues("job", List.of())).containsExactly("api", "batch", "filler", "web");
            assertThat(labels.labelNames(List.of())).containsExactly("__name__", "job", "old_label", "zone");
            assertThat(db.labelValues("default", "job", List.of())).as("head only: filler's chunk runs past the flush")
                .containsExactly("api", "filler", "web");
        }
    }
}
