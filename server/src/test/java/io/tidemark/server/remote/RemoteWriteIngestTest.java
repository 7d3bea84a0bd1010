package io.tidemark.server.remote;

import static io.tidemark.server.remote.RemoteWriteTestDatabase.START;
import static io.tidemark.server.remote.RemoteWriteTestDatabase.TENANT;
import static io.tidemark.server.remote.RemoteWriteTestDatabase.TIMEOUT;
import static io.tidemark.server.remote.RemoteWriteTestDatabase.assertGoodSeriesStored;
import static io.tidemark.server.remote.RemoteWriteTestDatabase.good;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.head.SeriesCursor;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteWriteIngestTest {
    private static final int MAX_LABELS = 8;

    @TempDir
    Path data;

    private Tidemark db;
    private NativeAllocator allocator;
    private RemoteWriteIngest ingest;
    private final List<String> metadata = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        db = RemoteWriteTestDatabase.open(data);
        allocator = NativeAllocator.withLimit(NativeAllocator.UNLIMITED);
        ingest = new RemoteWriteIngest(db, new RemoteWriteLimits(1 << 20, MAX_LABELS), allocator,
            (tenant, type, family, help, unit) -> metadata.add(tenant + "|" + type + "|" + family + "|" + help + "|" + unit));
    }

    @AfterEach
    void close() throws Exception {
        ingest.close();
        allocator.assertNoLeaks();
        db.close();
    }

    private RemoteWriteResult post(final byte[] body) {
        final RemoteWriteResult result = ingest.ingest(TENANT, MemorySegment.ofArray(body), 0, body.length);
        assertThat(ingest.awaitApplied(TIMEOUT)).isTrue();
        return result;
    }

    /** Three good series of four samples around {@code bad}, so a test shows the good ones are still stored. */
    private RemoteWriteResult postAmongGoodSeries(final WriteRequests.Series bad) {
        return post(new WriteRequests().add(good(0, 4)).add(bad).add(good(1, 4)).add(good(2, 4)).body());
    }

    private static WriteRequests.Series withSamples(final WriteRequests.Series series, final int samples) {
        for (int t = 0; t < samples; t++) {
            series.sample(START + t, t);
        }
        return series;
    }

    @Test
    void shouldStoreEverySeriesAndSampleOfAValidRequest() {
        final WriteRequests request = new WriteRequests();
        for (int i = 0; i < 50; i++) {
            request.add(good(i, 10));
        }
        final RemoteWriteResult result = post(request.body());

        assertThat(result.outcome()).isEqualTo(RemoteWriteResult.Outcome.STORED);
        assertThat(result.httpStatus()).isEqualTo(204);
        assertThat(result.samplesStored()).isEqualTo(500);
        assertThat(result.seriesSkipped()).isZero();
        assertThat(result.error()).isNull();
        assertGoodSeriesStored(db, 50, 10);
    }

    @Test
    void shouldFreeTheBuffersOfAnUnusuallyLargeRequestAndKeepThoseOfOrdinaryOnes() {
        try (RemoteWriteIngest large = new RemoteWriteIngest(db, RemoteWriteLimits.DEFAULT, allocator, null)) {
            assertThat(large.ingest(TENANT, ByteBuffer.wrap(new WriteRequests().add(good(0, 4)).body())).outcome())
                .isEqualTo(RemoteWriteResult.Outcome.STORED);
            final long ordinary = allocator.bytesInUse(io.tidemark.memory.MemoryTag.NETWORK);
            assertThat(ordinary).as("an ordinary request's buffers are kept").isPositive();
            // over KEEP_SERIES series and over KEEP_BUFFER_BYTES of labels once decompressed
            final WriteRequests request = new WriteRequests();
            final String padding = "p".repeat(120);
            final int series = RemoteWriteIngest.KEEP_SERIES + 1_000;
            for (int i = 0; i < series; i++) {
                request.add(new WriteRequests.Series().labels("__name__", "wide", "i", Integer.toString(i), "pad", padding)
                    .sample(START, i));
            }
            final byte[] body = request.body();
            final RemoteWriteResult result = large.ingest(TENANT, ByteBuffer.wrap(body));
            assertThat(result.outcome()).isEqualTo(RemoteWriteResult.Outcome.STORED);
            assertThat(result.samplesStored()).isEqualTo(series);
            assertThat(allocator.bytesInUse(io.tidemark.memory.MemoryTag.NETWORK)).as("freed after the large request")
                .isLessThanOrEqualTo(ordinary);
            assertThat(large.awaitApplied(TIMEOUT)).isTrue();
            assertThat(db.select(TENANT, List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "wide")))).hasSize(series);
            // and the next request grows them again as needed
            assertThat(large.ingest(TENANT, ByteBuffer.wrap(new WriteRequests().add(good(1, 4)).body())).samplesStored())
                .isEqualTo(4);
        }
    }

    @Test
    void shouldDropLabelsWithEmptyValuesAndKeepNaNBitsExactly() {
        final long staleMarker = 0x7ff0000000000002L;
        final RemoteWriteResult result = post(new WriteRequests().add(new WriteRequests.Series()
            .labels("__name__", "up", "empty", "", "job", "node").sample(START, Double.longBitsToDouble(staleMarker))).body());

        assertThat(result.outcome()).isEqualTo(RemoteWriteResult.Outcome.STORED);
        final int[] ids = db.select(TENANT, List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "up")));
        assertThat(ids).hasSize(1);
        assertThat(db.labels(TENANT, ids[0])).isEqualTo(LabelSet.of("__name__", "up", "job", "node"));
        final SeriesCursor cursor = new SeriesCursor();
        assertThat(db.read(TENANT, ids[0], Long.MIN_VALUE, Long.MAX_VALUE, cursor)).isEqualTo(1);
        assertThat(cursor.next()).isTrue();
        assertThat(Double.doubleToRawLongBits(cursor.value())).isEqualTo(staleMarker);
    }

    @Test
    void shouldReadARequestFromADirectBufferAndFromANativeAddress() {
        final byte[] body = new WriteRequests().add(good(0, 3)).add(good(1, 3)).body();
        final ByteBuffer direct = ByteBuffer.allocateDirect(body.length + 10).position(10);
        direct.put(body).position(10);
        assertThat(ingest.ingest(TENANT, direct.slice()).samplesStored()).isEqualTo(6);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment native0 = arena.allocate(body.length + 3);
            MemorySegment.copy(body, 0, native0, ValueLayout.JAVA_BYTE, 3, body.length);
            final RemoteWriteResult result = ingest.ingestAt(TENANT, native0.address() + 3, body.length);
            assertThat(result.outcome()).isEqualTo(RemoteWriteResult.Outcome.STORED);
            assertThat(result.samplesStored()).isEqualTo(6);
        }
        assertThat(ingest.awaitDurable(TIMEOUT)).isTrue();
        // The second request repeats the first's samples: duplicates with equal values are not stored twice.
        assertGoodSeriesStored(db, 2, 3);
    }

    @Test
    void shouldSkipAndCountExemplarsAndNativeHistogramsAndSkipUnknownFields() {
        final RemoteWriteResult result = post(new WriteRequests()
            .add(good(0, 2).exemplar(START, 1.5).exemplar(START + 1, 2.5).histogram(START).unknownFields())
            .add(new WriteRequests.Series().labels("__name__", "histogram_only").histogram(START).histogram(START + 1))
            .body());

        assertThat(result.outcome()).isEqualTo(RemoteWriteResult.Outcome.STORED);
        assertThat(result.samplesStored()).isEqualTo(2);
        assertThat(result.exemplarsSkipped()).isEqualTo(2);
        assertThat(result.histogramsSkipped()).isEqualTo(3);
        assertGoodSeriesStored(db, 1, 2);
        assertThat(db.select(TENANT, List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "histogram_only")))).isEmpty();
    }

    @Test
    void shouldHandMetadataToTheSink() {
        final RemoteWriteResult result = post(new WriteRequests().add(good(0, 1))
            .metadata(1, "http_requests_total", "Requests served.", "")
            .metadata(2, "temperature", "Room temperature.", "celsius").body());

        assertThat(result.outcome()).isEqualTo(RemoteWriteResult.Outcome.STORED);
        assertThat(result.metadata()).isEqualTo(2);
        assertThat(metadata).containsExactly(TENANT + "|1|http_requests_total|Requests served.|",
            TENANT + "|2|temperature|Room temperature.|celsius");
    }

    @Test
    void shouldSkipASeriesWithAnEmptyLabelSetAndStoreTheOthers() {
        final RemoteWriteResult result = postAmongGoodSeries(withSamples(new WriteRequests.Series(), 5));

        assertInvalidSeries(result, 5, "invalid metric name or labels, got {}");
    }

    @Test
    void shouldSkipASeriesWithAnEmptyLabelNameAndStoreTheOthers() {
        final RemoteWriteResult result = postAmongGoodSeries(withSamples(new WriteRequests.Series()
            .labels("__name__", "bad", "", "x"), 2));

        assertInvalidSeries(result, 2, "invalid metric name or labels, got {__name__=\"bad\", =\"x\"}: empty label name");
    }

    @Test
    void shouldSkipASeriesWithoutAMetricNameAndStoreTheOthers() {
        final RemoteWriteResult result = postAmongGoodSeries(withSamples(new WriteRequests.Series()
            .labels("__name__", "", "job", "x"), 1));

        assertInvalidSeries(result, 1, "no __name__ label");
    }

    @Test
    void shouldSkipASeriesWithUnsortedLabelsAndStoreTheOthers() {
        final RemoteWriteResult result = postAmongGoodSeries(withSamples(new WriteRequests.Series()
            .labels("__name__", "bad", "zone", "a", "job", "x"), 3));

        assertInvalidSeries(result, 3, "labels not sorted by name: \"zone\" before \"job\"");
    }

    @Test
    void shouldSkipASeriesWithDuplicateLabelNamesAndStoreTheOthers() {
        final RemoteWriteResult result = postAmongGoodSeries(withSamples(new WriteRequests.Series()
            .labels("__name__", "bad", "job", "a", "job", "b"), 3));

        assertInvalidSeries(result, 3,
            "invalid labels for series, labels {__name__=\"bad\", job=\"a\", job=\"b\"}, duplicated label job");
    }

    @Test
    void shouldSkipASeriesWithInvalidUtf8AndStoreTheOthers() {
        final RemoteWriteResult result = postAmongGoodSeries(withSamples(new WriteRequests.Series()
            .label("__name__", "bad").labelBytes("job".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                new byte[] {'a', (byte) 0xC0, (byte) 0xAF}), 3));

        assertInvalidSeries(result, 3, "not valid UTF-8");
    }

    @Test
    void shouldSkipASeriesWithMoreLabelsThanTheLimitAndStoreTheOthers() {
        final WriteRequests.Series many = new WriteRequests.Series().label("__name__", "bad");
        for (int i = 0; i < 10_000; i++) {
            many.label(String.format("l%05d", i), "v");
        }
        final RemoteWriteResult result = postAmongGoodSeries(withSamples(many, 2));

        assertInvalidSeries(result, 2, "10001 labels, more than the limit of " + MAX_LABELS + " per series");
        assertThat(result.error()).hasSizeLessThan(1200);
    }

    @Test
    void shouldAcceptASeriesWithExactlyTheLabelLimit() {
        final WriteRequests.Series series = new WriteRequests.Series().label("__name__", "wide");
        for (int i = 1; i < MAX_LABELS; i++) {
            series.label("l" + i, "v");
        }
        assertThat(post(new WriteRequests().add(withSamples(series, 1)).body()).outcome())
            .isEqualTo(RemoteWriteResult.Outcome.STORED);
    }

    @Test
    void shouldReportTheFirstBadSeriesAndCountEvery() {
        final RemoteWriteResult result = post(new WriteRequests().add(good(0, 4))
            .add(withSamples(new WriteRequests.Series().labels("__name__", "bad", "b", "1", "a", "2"), 2))
            .add(withSamples(new WriteRequests.Series().labels("__name__", "bad", "", "1"), 3))
            .add(good(1, 4)).body());

        assertThat(result.outcome()).isEqualTo(RemoteWriteResult.Outcome.INVALID_SERIES);
        assertThat(result.seriesSkipped()).isEqualTo(2);
        assertThat(result.samplesRefused()).isEqualTo(5);
        assertThat(result.error()).contains("not sorted");
        assertGoodSeriesStored(db, 2, 4);
    }

    private void assertInvalidSeries(final RemoteWriteResult result, final long refusedSamples, final String message) {
        assertThat(result.outcome()).isEqualTo(RemoteWriteResult.Outcome.INVALID_SERIES);
        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(result.clientError()).isTrue();
        assertThat(result.seriesSkipped()).isEqualTo(1);
        assertThat(result.samplesRefused()).isEqualTo(refusedSamples);
        assertThat(result.samplesStored()).isEqualTo(12);
        assertThat(result.error()).contains(message);
        assertGoodSeriesStored(db, 3, 4);
        assertThat(RemoteWriteTestDatabase.seriesCount(db)).isEqualTo(3);
    }
}
