package io.tidemark.server.remote;

import static io.tidemark.server.remote.RemoteWriteTestDatabase.START;
import static io.tidemark.server.remote.RemoteWriteTestDatabase.TENANT;
import static io.tidemark.server.remote.RemoteWriteTestDatabase.TIMEOUT;
import static io.tidemark.server.remote.RemoteWriteTestDatabase.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.head.SeriesCursor;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
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
 * Remote write through the raw-labels cache: a series sent again is found by its bytes and stored in the same series;
 * only series that passed every check are cached; a label set the cache's bytes do not cover whole goes the slow way;
 * tenants do not share; several ingesters share one cache.
 */
class RemoteWriteLabelsCacheTest {
    private static final int MAX_LABELS = 8;
    private static final RemoteWriteLimits LIMITS = new RemoteWriteLimits(1 << 20, MAX_LABELS);

    @TempDir
    Path data;

    private Tidemark db;
    private NativeAllocator allocator;
    private RawLabelsCaches caches;
    private RemoteWriteIngest ingest;

    @BeforeEach
    void open() throws Exception {
        db = RemoteWriteTestDatabase.open(data);
        allocator = NativeAllocator.withLimit(NativeAllocator.UNLIMITED);
        caches = new RawLabelsCaches(new SeriesKeyCache.Budget(1 << 20, 64 << 10), MAX_LABELS);
        ingest = new RemoteWriteIngest(db, LIMITS, allocator, null, caches);
    }

    @AfterEach
    void close() throws Exception {
        ingest.close();
        allocator.assertNoLeaks();
        db.close();
    }

    private RemoteWriteResult post(final RemoteWriteIngest into, final String tenant, final WriteRequests request) {
        final byte[] body = request.body();
        final RemoteWriteResult result = into.ingest(tenant, MemorySegment.ofArray(body), 0, body.length);
        assertThat(into.awaitApplied(TIMEOUT)).isTrue();
        return result;
    }

    /** Round {@code t} of {@code count} series {@code cached{instance="host-i"}}, one sample each. */
    private static WriteRequests round(final int count, final int t) {
        final WriteRequests request = new WriteRequests();
        for (int i = 0; i < count; i++) {
            request.add(new WriteRequests.Series().labels("__name__", "cached", "instance", "host-" + i, "job", "node")
                .sample(START + t * 15_000L, value(i, t)));
        }
        return request;
    }

    private int[] select(final String tenant, final String name) {
        return db.select(tenant, List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", name)));
    }

    /** Every series named {@code name} of {@code tenant} holds samples 0..rounds-1 of its instance, in order. */
    private void assertRoundsStored(final String tenant, final String name, final int count, final int rounds) {
        final int[] ids = select(tenant, name);
        assertThat(ids).hasSize(count);
        final SeriesCursor cursor = new SeriesCursor();
        for (final int id : ids) {
            final int i = Integer.parseInt(db.labels(tenant, id).get("instance").substring("host-".length()));
            assertThat(db.read(tenant, id, Long.MIN_VALUE, Long.MAX_VALUE, cursor)).isEqualTo(rounds);
            for (int t = 0; t < rounds; t++) {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.timestamp()).isEqualTo(START + t * 15_000L);
                assertThat(cursor.value()).isEqualTo(value(i, t));
            }
        }
    }

    /** Series {@code id} of the default tenant holds exactly the values of rounds 0..samples-1 of instance {@code i}. */
    private void assertValues(final int id, final int i, final int samples, final SeriesCursor cursor) {
        assertThat(db.read(TENANT, id, Long.MIN_VALUE, Long.MAX_VALUE, cursor)).as("host-%d", i).isEqualTo(samples);
        for (int t = 0; t < samples; t++) {
            assertThat(cursor.next()).isTrue();
            assertThat(cursor.value()).isEqualTo(value(i, t));
        }
    }

    @Test
    void shouldFindSeriesSentAgainByTheirBytesAndStoreThemInTheSameSeries() {
        assertThat(post(ingest, TENANT, round(300, 0)).samplesStored()).isEqualTo(300);
        assertThat(caches.hits()).isZero();
        assertThat(caches.misses()).isEqualTo(300);
        for (int t = 1; t < 4; t++) {
            assertThat(post(ingest, TENANT, round(300, t)).samplesStored()).isEqualTo(300);
        }
        assertThat(caches.hits()).isEqualTo(900);
        assertThat(caches.misses()).isEqualTo(300);
        assertRoundsStored(TENANT, "cached", 300, 4);
        assertThat(caches.bytes()).isPositive();
    }

    @Test
    void shouldStoreASeriesWhoseLabelsExtendTheGuessedSeriesLabelsInASeriesOfItsOwn() {
        post(ingest, TENANT, round(3, 0));
        // where the guess after host-0 is host-1's entry, host-1's labels and one more: the entry's bytes begin the
        // series, but its labels go on, so it is another series
        final WriteRequests request = new WriteRequests();
        request.add(new WriteRequests.Series().labels("__name__", "cached", "instance", "host-0", "job", "node")
            .sample(START + 15_000L, value(0, 1)));
        request.add(new WriteRequests.Series().labels("__name__", "cached", "instance", "host-1", "job", "node", "zone", "a")
            .sample(START + 15_000L, 42.0));
        request.add(new WriteRequests.Series().labels("__name__", "cached", "instance", "host-2", "job", "node")
            .sample(START + 15_000L, value(2, 1)));
        assertThat(post(ingest, TENANT, request).samplesStored()).isEqualTo(3);
        assertThat(caches.hits()).isEqualTo(2);
        assertThat(caches.misses()).isEqualTo(4);
        final SeriesCursor cursor = new SeriesCursor();
        final int[] ids = select(TENANT, "cached");
        assertThat(ids).hasSize(4);
        for (final int id : ids) {
            final LabelSet labels = db.labels(TENANT, id);
            final int i = Integer.parseInt(labels.get("instance").substring("host-".length()));
            if (!labels.get("zone").isEmpty()) {
                assertThat(db.read(TENANT, id, Long.MIN_VALUE, Long.MAX_VALUE, cursor)).isEqualTo(1);
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.value()).isEqualTo(42.0);
                continue;
            }
            assertValues(id, i, i == 1 ? 1 : 2, cursor);
        }
        // and the next round finds all four by their bytes, the longer one by hash where the guess fails
        final WriteRequests again = new WriteRequests();
        for (int i = 0; i < 3; i++) {
            again.add(new WriteRequests.Series().labels("__name__", "cached", "instance", "host-" + i, "job", "node")
                .sample(START + 30_000L, value(i, 2)));
        }
        again.add(new WriteRequests.Series().labels("__name__", "cached", "instance", "host-1", "job", "node", "zone", "a")
            .sample(START + 30_000L, 43.0));
        assertThat(post(ingest, TENANT, again).samplesStored()).isEqualTo(4);
        assertThat(caches.hits()).isEqualTo(6);
        assertThat(caches.misses()).isEqualTo(4);
    }

    @Test
    void shouldStoreARequestOfKnownAndNewSeriesInterleavedEachInItsOwnSeries() {
        post(ingest, TENANT, round(300, 0));
        // host-0, host-300, host-1, host-301, ...: a hit and a miss in turn, each kind past the first arrays' size
        final WriteRequests request = new WriteRequests();
        for (int i = 0; i < 300; i++) {
            for (final int host : new int[] {i, 300 + i}) {
                request.add(new WriteRequests.Series().labels("__name__", "cached", "instance", "host-" + host, "job", "node")
                    .sample(START + (host < 300 ? 15_000L : 0), value(host, host < 300 ? 1 : 0)));
            }
        }
        assertThat(post(ingest, TENANT, request).samplesStored()).isEqualTo(600);
        assertThat(caches.hits()).isEqualTo(300);
        assertThat(caches.misses()).isEqualTo(600);
        final SeriesCursor cursor = new SeriesCursor();
        final int[] ids = select(TENANT, "cached");
        assertThat(ids).hasSize(600);
        for (final int id : ids) {
            final int i = Integer.parseInt(db.labels(TENANT, id).get("instance").substring("host-".length()));
            assertValues(id, i, i < 300 ? 2 : 1, cursor);
        }
    }

    @Test
    void shouldShareOneCacheBetweenIngestersAndKeepTenantsApart() {
        post(ingest, TENANT, round(50, 0));
        try (RemoteWriteIngest other = new RemoteWriteIngest(db, LIMITS, allocator, null, caches)) {
            assertThat(post(other, TENANT, round(50, 1)).samplesStored()).isEqualTo(50);
            assertThat(caches.hits()).as("the other ingester found what the first cached").isEqualTo(50);
            // the same bytes for another tenant: its own series, not the first tenant's ids
            assertThat(post(other, "team-b", round(50, 0)).samplesStored()).isEqualTo(50);
            assertThat(caches.hits()).isEqualTo(50);
            post(ingest, "team-b", round(50, 1));
            assertThat(caches.hits()).isEqualTo(100);
        }
        assertRoundsStored(TENANT, "cached", 50, 2);
        assertRoundsStored("team-b", "cached", 50, 2);
        assertThatThrownBy(() -> new RemoteWriteIngest(db, LIMITS.withMaxLabelsPerSeries(9), allocator, null, caches))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 labels per series");
    }

    @Test
    void shouldNeverCacheASeriesThatBreaksARule() {
        final WriteRequests.Series unsorted = new WriteRequests.Series().labels("job", "node", "__name__", "unsorted")
            .sample(START, 1);
        for (int t = 0; t < 3; t++) {
            final RemoteWriteResult result = post(ingest, TENANT, round(5, t).add(unsorted));
            assertThat(result.seriesSkipped()).as("round %d", t).isEqualTo(1);
            assertThat(result.error()).contains("unsorted");
            assertThat(result.samplesStored()).isEqualTo(5);
        }
        assertThat(caches.hits()).isEqualTo(10);
        assertThat(select(TENANT, "unsorted")).isEmpty();
    }

    @Test
    void shouldTakeTheSlowWayForLabelsAfterAnotherFieldAndStoreTheWholeLabelSet() {
        post(ingest, TENANT, round(3, 0));
        // host-1's cached labels, then a sample, then one more label: a different series, not host-1's
        final byte[] labelsAfter = new WriteRequests.Series().labels("zone", "eu").encode();
        final byte[] series = concat(new WriteRequests.Series().labels("__name__", "cached", "instance", "host-1", "job", "node")
            .sample(START + 15_000L, value(1, 1)).encode(), labelsAfter);
        final WriteRequests request = new WriteRequests();
        request.addEncoded(series);
        final RemoteWriteResult result = post(ingest, TENANT, request);
        assertThat(result.samplesStored()).isEqualTo(1);
        assertThat(result.seriesSkipped()).isZero();
        final int[] ids = select(TENANT, "cached");
        assertThat(ids).hasSize(4);
        final LabelSet zoned = LabelSet.of("__name__", "cached", "instance", "host-1", "job", "node", "zone", "eu");
        final SeriesCursor cursor = new SeriesCursor();
        boolean seen = false;
        for (final int id : ids) {
            final LabelSet labels = db.labels(TENANT, id);
            final int samples = db.read(TENANT, id, Long.MIN_VALUE, Long.MAX_VALUE, cursor);
            if (labels.equals(zoned)) {
                seen = true;
                assertThat(samples).isEqualTo(1);
            } else {
                assertThat(samples).as("%s", labels).isEqualTo(1);
            }
        }
        assertThat(seen).isTrue();
        // and it is not cached under host-1's bytes: host-1 itself still goes to its own series
        post(ingest, TENANT, round(3, 1));
        assertThat(select(TENANT, "cached")).hasSize(4);
        assertRoundsStoredExcept(zoned);
    }

    @Test
    void shouldStoreASeriesWhoseSamplesComeBeforeItsLabelsAndNotCacheIt() {
        for (int t = 0; t < 2; t++) {
            final byte[] sample = new WriteRequests.Series().sample(START + t * 15_000L, value(0, t)).encode();
            final byte[] labels = new WriteRequests.Series().labels("__name__", "cached", "instance", "host-0", "job", "node").encode();
            final long free = caches.bytes() == 0 ? 0 : caches.of(TENANT, null).remainingBytes();
            final RemoteWriteResult result = post(ingest, TENANT, new WriteRequests().addEncoded(concat(sample, labels)));
            assertThat(result.samplesStored()).isEqualTo(1);
            assertThat(caches.hits()).isZero();
            if (t == 1) {
                assertThat(caches.of(TENANT, null).remainingBytes()).as("nothing added for it").isEqualTo(free);
            }
        }
        assertRoundsStored(TENANT, "cached", 1, 2);
    }

    private void assertRoundsStoredExcept(final LabelSet skipped) {
        final SeriesCursor cursor = new SeriesCursor();
        for (final int id : select(TENANT, "cached")) {
            if (!db.labels(TENANT, id).equals(skipped)) {
                assertThat(db.read(TENANT, id, Long.MIN_VALUE, Long.MAX_VALUE, cursor)).isEqualTo(2);
            }
        }
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        final byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void shouldNotUseTheIdOfASeriesTheIndexRemoved() {
        final byte[] key = new WriteRequests.Series().labels("__name__", "cached", "instance", "host-0", "job", "node").encode();
        final SeriesKeyCache removedOnly = new SeriesKeyCache(new SeriesKeyCache.Budget(1 << 20, 64 << 10), id -> id == 42);
        final SeriesKeyCache liveOnly = new SeriesKeyCache(new SeriesKeyCache.Budget(1 << 20, 64 << 10), id -> false);
        for (final SeriesKeyCache cache : List.of(removedOnly, liveOnly)) {
            cache.add(MemorySegment.ofArray(key), 0, key.length, 42);
        }
        final byte[] raw = round(1, 0).encode();
        try (WriteRequestDecoder decoder = new WriteRequestDecoder(allocator, MAX_LABELS)) {
            decoder.decode(MemorySegment.ofArray(raw), raw.length, liveOnly);
            assertThat(decoder.cacheHits()).isEqualTo(1);
            decoder.decode(MemorySegment.ofArray(raw), raw.length, removedOnly);
            assertThat(decoder.cacheHits()).as("removed: the slow way, which makes a new series").isZero();
            assertThat(decoder.samplesToStore()).isEqualTo(1);
        }
    }
}
