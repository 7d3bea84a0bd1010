package io.tidemark.server.remote;

import static io.tidemark.server.remote.RemoteWriteTestDatabase.START;
import static io.tidemark.server.remote.RemoteWriteTestDatabase.TENANT;
import static io.tidemark.server.remote.RemoteWriteTestDatabase.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.head.SeriesCursor;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.SeriesKeyCache;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote write against a tenant's series limit: the samples of new series beyond it are refused with a 400 that says
 * why, every other series of the request is stored, refused series are never cached, and other tenants are not held.
 */
class RemoteWriteSeriesLimitTest {
    private static final int LIMIT = 3;
    private static final int MAX_LABELS = 8;

    @TempDir
    Path data;

    private Tidemark db;
    private NativeAllocator allocator;
    private RawLabelsCaches caches;
    private RemoteWriteIngest ingest;

    @BeforeEach
    void open() throws Exception {
        db = RemoteWriteTestDatabase.open(data, LIMIT);
        allocator = NativeAllocator.withLimit(NativeAllocator.UNLIMITED);
        caches = new RawLabelsCaches(new SeriesKeyCache.Budget(1 << 20, 64 << 10), MAX_LABELS);
        ingest = new RemoteWriteIngest(db, new RemoteWriteLimits(1 << 20, MAX_LABELS), allocator, null, caches);
    }

    @AfterEach
    void close() throws Exception {
        ingest.close();
        allocator.assertNoLeaks();
        db.close();
    }

    private RemoteWriteResult post(final String tenant, final WriteRequests request) {
        final byte[] body = request.body();
        final RemoteWriteResult result = ingest.ingest(tenant, MemorySegment.ofArray(body), 0, body.length);
        assertThat(ingest.awaitApplied(TIMEOUT)).isTrue();
        return result;
    }

    /** Series {@code up{instance="host-i"}} for {@code count} i, each with 4 samples from step {@code from}. */
    private static WriteRequests round(final int count, final int from) {
        final WriteRequests request = new WriteRequests();
        for (int i = 0; i < count; i++) {
            final WriteRequests.Series series = new WriteRequests.Series().labels("__name__", "up", "instance", "host-" + i);
            for (int t = from; t < from + 4; t++) {
                series.sample(START + t * 15_000L, i + t);
            }
            request.add(series);
        }
        return request;
    }

    private int[] stored(final String tenant) {
        return db.select(tenant, List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "up")));
    }

    @Test
    void shouldStoreTheSeriesWithinTheLimitAndRefuseTheSamplesOfNewOnesBeyondIt() throws Exception {
        final RemoteWriteResult first = post(TENANT, round(5, 0));

        assertThat(first.outcome()).isEqualTo(RemoteWriteResult.Outcome.SERIES_LIMIT);
        assertThat(first.httpStatus()).isEqualTo(400);
        assertThat(first.clientError()).isTrue();
        assertThat(first.samplesStored()).isEqualTo(12);
        assertThat(first.samplesRefused()).isEqualTo(8);
        assertThat(first.seriesSkipped()).isEqualTo(2);
        assertThat(first.error()).isEqualTo("8 samples of 2 new series refused, the rest stored: tenant '" + TENANT
            + "' has reached its limit of 3 series: new series are refused until old ones leave the head");
        final int[] ids = stored(TENANT);
        assertThat(ids).hasSize(LIMIT);
        for (final int id : ids) {
            assertThat(db.labels(TENANT, id).get("instance")).isIn("host-0", "host-1", "host-2");
            assertThat(db.read(TENANT, id, Long.MIN_VALUE, Long.MAX_VALUE, new SeriesCursor())).isEqualTo(4);
        }

        // the next scrape: the three known series by the cache, the other two refused again, never cached
        final long hits = caches.hits();
        final RemoteWriteResult second = post(TENANT, round(5, 4));
        assertThat(second.outcome()).isEqualTo(RemoteWriteResult.Outcome.SERIES_LIMIT);
        assertThat(second.samplesStored()).isEqualTo(12);
        assertThat(second.samplesRefused()).isEqualTo(8);
        assertThat(caches.hits() - hits).isEqualTo(3);
        for (final int id : stored(TENANT)) {
            assertThat(db.read(TENANT, id, Long.MIN_VALUE, Long.MAX_VALUE, new SeriesCursor())).isEqualTo(8);
        }
        assertThat(db.stats().tenants().getFirst().seriesLimited()).isEqualTo(4);

        // the known series alone are stored as usual; another tenant has its own limit
        final RemoteWriteResult known = post(TENANT, round(3, 8));
        assertThat(known.outcome()).isEqualTo(RemoteWriteResult.Outcome.STORED);
        assertThat(known.samplesStored()).isEqualTo(12);
        assertThat(post("team-b", round(2, 0)).outcome()).isEqualTo(RemoteWriteResult.Outcome.STORED);
        assertThat(stored("team-b")).hasSize(2);
    }

    @Test
    void shouldSayWhichErrorCameFirstWhenASeriesIsInvalidAndAnotherIsOverTheLimit() {
        final WriteRequests request = round(4, 0)
            .add(new WriteRequests.Series().labels("__name__", "up", "instance", "host-9", "instance", "twice").sample(START, 1));
        final RemoteWriteResult result = post(TENANT, request);

        assertThat(result.outcome()).as("the invalid series is the first error; the limit's samples are counted too")
            .isEqualTo(RemoteWriteResult.Outcome.INVALID_SERIES);
        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(result.samplesStored()).isEqualTo(12);
        assertThat(result.samplesRefused()).isEqualTo(1 + 4);
        assertThat(result.seriesSkipped()).isEqualTo(2);
        assertThat(stored(TENANT)).hasSize(LIMIT);
    }
}
