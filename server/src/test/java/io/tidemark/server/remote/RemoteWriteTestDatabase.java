package io.tidemark.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.head.SeriesCursor;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Opens a small database for remote-write tests and reads back what a request stored. */
final class RemoteWriteTestDatabase {
    static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    static final String TENANT = "team-a";
    static final long START = 1_700_000_000_000L;

    private RemoteWriteTestDatabase() {
    }

    static Tidemark open(final Path directory) throws IOException {
        return open(directory, 0);
    }

    /** {@link #open(Path)} with a limit of {@code maxSeriesPerTenant} series per tenant (0: none). */
    static Tidemark open(final Path directory, final int maxSeriesPerTenant) throws IOException {
        return Tidemark.open(TidemarkConfig.defaults(directory)
            .withIngest(new IngestConfig(2, 64, 256, IngestConfig.BackPressure.BLOCK, TIMEOUT, IngestConfig.Idle.BACKOFF))
            .withWal(WalConfig.defaults().withDurability(Durability.OS_WRITE_LOST_ON_POWER_FAILURE).withSegmentBytes(1 << 20))
            .withMaxSeriesPerTenant(maxSeriesPerTenant));
    }

    /** A good series {@code good_metric{instance="host-i", job="node"}} with {@code samples} samples. */
    static WriteRequests.Series good(final int i, final int samples) {
        final WriteRequests.Series series = new WriteRequests.Series()
            .labels("__name__", "good_metric", "instance", "host-" + i, "job", "node");
        for (int t = 0; t < samples; t++) {
            series.sample(START + t * 15_000L, value(i, t));
        }
        return series;
    }

    static double value(final int series, final int t) {
        return series * 1000.0 + t + 0.25;
    }

    /** Checks that exactly {@code count} good series with {@code samples} samples each are stored, with their values. */
    static void assertGoodSeriesStored(final Tidemark db, final int count, final int samples) {
        final int[] ids = db.select(TENANT, List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "good_metric")));
        assertThat(ids).hasSize(count);
        final SeriesCursor cursor = new SeriesCursor();
        for (final int id : ids) {
            final LabelSet labels = db.labels(TENANT, id);
            assertThat(labels.get("job")).isEqualTo("node");
            final int i = Integer.parseInt(labels.get("instance").substring("host-".length()));
            assertThat(db.read(TENANT, id, Long.MIN_VALUE, Long.MAX_VALUE, cursor)).isEqualTo(samples);
            for (int t = 0; t < samples; t++) {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.timestamp()).isEqualTo(START + t * 15_000L);
                assertThat(cursor.value()).isEqualTo(value(i, t));
            }
        }
    }

    /** How many series of {@code tenant} have a {@code __name__}. */
    static int seriesCount(final Tidemark db) {
        return db.select(TENANT, List.of(LabelMatcher.of(LabelMatcher.Type.REGEX, "__name__", ".+"))).length;
    }
}
