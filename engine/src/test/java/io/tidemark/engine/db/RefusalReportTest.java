package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.head.HeadShard;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.ingest.BatchListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefusalReportTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path data;

    private record Refusal(long tag, int series, long timestamp, int reason) {
    }

    /** Collects refusals from every shard thread. */
    private static final class Collector implements BatchListener {
        final List<Refusal> seen = new ArrayList<>();

        @Override
        public synchronized void refused(final long tag, final int seriesId, final long timestamp, final int reason) {
            seen.add(new Refusal(tag, seriesId, timestamp, reason));
        }

        @Override
        public synchronized void applied(final long tag) {
            appliedBatches++;
        }

        int appliedBatches;

        synchronized List<Refusal> taken() {
            return List.copyOf(seen);
        }
    }

    @Test
    void shouldReportEveryRefusedSampleWithItsTagAndReasonBeforeTheBatchIsApplied() throws Exception {
        final TidemarkConfig config = TidemarkConfig.defaults(data)
            .withIngest(new IngestConfig(2, 64, 16, IngestConfig.BackPressure.BLOCK, TIMEOUT, IngestConfig.Idle.BACKOFF));
        try (Tidemark db = Tidemark.open(config)) {
            final TenantAppender appender = db.appender("t");
            final int a = appender.series(LabelSet.of("__name__", "a"));
            final int b = appender.series(LabelSet.of("__name__", "b"));
            final Collector sink = new Collector();
            appender.reportRefusals(sink, 1);
            appender.append(a, 1_000, 1);
            appender.append(b, 1_000, 1);
            appender.commit();
            assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
            assertThat(sink.taken()).isEmpty();

            appender.reportRefusals(sink, 2);
            appender.append(a, 500, 2);      // older than the newest: out of order
            appender.append(b, 1_000, 9);    // same time, other value: duplicate timestamp
            appender.append(a, 1_000, 1);    // same time, same value: identical, not a refusal
            appender.append(b, 2_000, 3);    // stored
            for (int i = 0; i < 40; i++) {   // more than one batch of the shard, all late
                appender.append(a, 100 + i, i);
            }
            appender.commit();
            assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
            final List<Refusal> seen = sink.taken();
            assertThat(seen).contains(new Refusal(2, a, 500, HeadShard.OUT_OF_ORDER),
                new Refusal(2, b, 1_000, HeadShard.DUPLICATE_TIMESTAMP));
            assertThat(seen).hasSize(42).allMatch(r -> r.tag() == 2);
            synchronized (sink) {
                assertThat((long) sink.appliedBatches).as("every batch published was heard of").isEqualTo(appender.batchesPublished());
            }

            appender.reportRefusals(null, 0);
            appender.append(a, 1, 1);
            appender.commit();
            assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
            assertThat(sink.taken()).hasSize(42);
        }
    }
}
