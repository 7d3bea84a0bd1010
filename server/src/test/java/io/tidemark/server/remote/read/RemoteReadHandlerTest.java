package io.tidemark.server.remote.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.engine.query.Queryable;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.server.remote.read.RemoteReadProtos.Frame;
import io.tidemark.server.remote.read.RemoteReadProtos.Matcher;
import io.tidemark.server.remote.read.RemoteReadProtos.Query;
import io.tidemark.server.remote.read.RemoteReadProtos.Series;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteReadHandlerTest {
    private static final long STALE_MARKER = 0x7ff0000000000002L;
    private static final int EQ = 0;
    private static final int NEQ = 1;
    private static final int RE = 2;
    private static final int NRE = 3;
    private static final int SAMPLES = 0;
    private static final int STREAMED = 1;

    private final ResponseBuffer out = new ResponseBuffer(64);

    /** Series i of job j has 250 samples every 15 s from 1_000_000 + i; value i * 1000 + k, the last a stale marker. */
    private static InMemoryQueryable fixture() {
        final InMemoryQueryable queryable = new InMemoryQueryable();
        for (final String job : List.of("api", "db")) {
            for (int i = 0; i < 3; i++) {
                final long[] timestamps = new long[250];
                final double[] values = new double[250];
                for (int k = 0; k < 250; k++) {
                    timestamps[k] = 1_000_000 + i + k * 15_000L;
                    values[k] = k == 249 ? Double.longBitsToDouble(STALE_MARKER) : i * 1000 + k + 0.5;
                }
                queryable.add(LabelSet.of("__name__", "up", "instance", "host-" + i, "job", job), timestamps, values);
            }
        }
        return queryable;
    }

    private static List<long[]> expected(final int i, final long start, final long end) {
        final List<long[]> samples = new ArrayList<>();
        for (int k = 0; k < 250; k++) {
            final long t = 1_000_000 + i + k * 15_000L;
            if (t >= start && t <= end) {
                samples.add(new long[] {t, k == 249 ? STALE_MARKER : Double.doubleToRawLongBits(i * 1000 + k + 0.5)});
            }
        }
        return samples;
    }

    private RemoteReadResponseType handle(final RemoteReadHandler handler, final Queryable queryable,
                                          final byte[] request) throws IOException {
        final byte[] body = RemoteReadProtos.snappy(request);
        final byte[] padded = new byte[body.length + 7];
        System.arraycopy(body, 0, padded, 3, body.length);
        return handler.handle(padded, 3, body.length, queryable, out);
    }

    private static Query query(final long start, final long end, final Matcher... matchers) {
        return new Query(start, end, List.of(matchers));
    }

    @Test
    void shouldAnswerSamplesForEveryQueryWithEverySampleAndStaleMarkers() throws IOException {
        final RemoteReadHandler handler = new RemoteReadHandler(RemoteReadLimits.DEFAULTS);
        final byte[] request = RemoteReadProtos.request(List.of(
            query(0, Long.MAX_VALUE, new Matcher(EQ, "job", "api")),
            query(1_000_000 + 15_000L * 10, 1_000_000 + 15_000L * 20, new Matcher(EQ, "__name__", "up"),
                new Matcher(RE, "instance", "host-[12]"), new Matcher(NEQ, "job", "api"))));
        final RemoteReadResponseType type = handle(handler, fixture(), request);
        assertThat(type).isEqualTo(RemoteReadResponseType.SAMPLES);
        assertThat(type.contentType()).isEqualTo("application/x-protobuf");
        assertThat(type.contentEncoding()).isEqualTo("snappy");
        final List<List<Series>> results = RemoteReadProtos.readSamples(out.toByteArray());
        assertThat(results).hasSize(2);
        assertThat(results.get(0)).hasSize(3);
        for (int i = 0; i < 3; i++) {
            final Series series = results.get(0).get(i);
            assertThat(series.labels()).containsExactly(Map.entry("__name__", "up"), Map.entry("instance", "host-" + i),
                Map.entry("job", "api"));
            assertThat(RemoteReadProtos.describe(series.samples()))
                .isEqualTo(RemoteReadProtos.describe(expected(i, 0, Long.MAX_VALUE)));
        }
        assertThat(results.get(1)).hasSize(2);
        for (int i = 1; i < 3; i++) {
            final Series series = results.get(1).get(i - 1);
            assertThat(series.labels()).containsEntry("instance", "host-" + i).containsEntry("job", "db");
            // Series i starts i ms late: the range keeps samples 10..19 for i > 0.
            assertThat(RemoteReadProtos.describe(series.samples())).isEqualTo(RemoteReadProtos.describe(
                expected(i, 1_000_000 + 15_000L * 10, 1_000_000 + 15_000L * 20)));
            assertThat(series.samples()).hasSize(10);
        }
    }

    @Test
    void shouldStreamXorChunksOfAtMost120SamplesOneSeriesPerFrameWithQueryIndex() throws IOException {
        final RemoteReadHandler handler = new RemoteReadHandler(RemoteReadLimits.DEFAULTS);
        final byte[] request = RemoteReadProtos.request(List.of(
            query(0, Long.MAX_VALUE, new Matcher(EQ, "instance", "host-0")),
            query(0, Long.MAX_VALUE, new Matcher(EQ, "job", "db"), new Matcher(NRE, "instance", "host-[01]"))),
            STREAMED);
        final RemoteReadResponseType type = handle(handler, fixture(), request);
        assertThat(type).isEqualTo(RemoteReadResponseType.STREAMED_XOR_CHUNKS);
        assertThat(type.contentType()).isEqualTo("application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse");
        assertThat(type.contentEncoding()).isNull();
        final List<Frame> frames = RemoteReadProtos.readFrames(out.toByteArray());
        assertThat(frames).hasSize(3);
        assertThat(frames.get(0).queryIndex()).isZero();
        assertThat(frames.get(0).labels()).containsEntry("job", "api").containsEntry("instance", "host-0");
        assertThat(frames.get(1).queryIndex()).isZero();
        assertThat(frames.get(1).labels()).containsEntry("job", "db").containsEntry("instance", "host-0");
        assertThat(frames.get(2).queryIndex()).isEqualTo(1);
        assertThat(frames.get(2).labels()).containsEntry("job", "db").containsEntry("instance", "host-2");
        for (final Frame frame : frames) {
            final int i = Integer.parseInt(frame.labels().get("instance").substring(5));
            assertThat(frame.chunkRanges()).extracting(r -> r[2]).containsExactly(120L, 120L, 10L);
            assertThat(RemoteReadProtos.describe(frame.samples()))
                .isEqualTo(RemoteReadProtos.describe(expected(i, 0, Long.MAX_VALUE)));
        }
    }

    @Test
    void shouldSplitASeriesIntoFramesOnceTheFrameSizeIsReached() throws IOException {
        final RemoteReadHandler handler = new RemoteReadHandler(new RemoteReadLimits(0, 100, 1 << 20));
        final byte[] request = RemoteReadProtos.request(List.of(
            query(0, Long.MAX_VALUE, new Matcher(EQ, "instance", "host-1"), new Matcher(EQ, "job", "api"))), STREAMED);
        handle(handler, fixture(), request);
        final List<Frame> frames = RemoteReadProtos.readFrames(out.toByteArray());
        assertThat(frames).hasSize(3);
        final List<long[]> all = new ArrayList<>();
        for (final Frame frame : frames) {
            assertThat(frame.labels()).containsEntry("instance", "host-1").containsEntry("job", "api");
            assertThat(frame.chunkRanges()).hasSize(1);
            all.addAll(frame.samples());
        }
        assertThat(RemoteReadProtos.describe(all)).isEqualTo(RemoteReadProtos.describe(expected(1, 0, Long.MAX_VALUE)));
    }

    @Test
    void shouldCutFramesWhereStreamChunkedReadResponsesCutsThem() throws IOException {
        final byte[] request = RemoteReadProtos.request(List.of(
            query(0, Long.MAX_VALUE, new Matcher(EQ, "instance", "host-1"), new Matcher(EQ, "job", "api"))), STREAMED);
        handle(new RemoteReadHandler(RemoteReadLimits.DEFAULTS), fixture(), request);
        final List<Frame> whole = RemoteReadProtos.readFrames(out.toByteArray());
        assertThat(whole).hasSize(1);
        final long firstChunk = whole.get(0).chunkRanges().get(0)[3];
        // Label messages: __name__=up, instance=host-1, job=api, each 2 + name + 2 + value bytes.
        final int labels = (2 + 8 + 2 + 2) + (2 + 8 + 2 + 6) + (2 + 3 + 2 + 3);
        // One byte left after the first chunk: the frame takes a second chunk, then is cut.
        handle(new RemoteReadHandler(new RemoteReadLimits(0, (int) (labels + firstChunk + 1), 1 << 20)), fixture(),
            request);
        assertThat(RemoteReadProtos.readFrames(out.toByteArray())).extracting(f -> f.chunkRanges().size())
            .containsExactly(2, 1);
        // Nothing left after the first chunk: the frame is cut right after it.
        handle(new RemoteReadHandler(new RemoteReadLimits(0, (int) (labels + firstChunk), 1 << 20)), fixture(),
            request);
        assertThat(RemoteReadProtos.readFrames(out.toByteArray()).get(0).chunkRanges()).hasSize(1);
    }

    @Test
    void shouldNegotiateTheFirstSupportedTypeAndSamplesWhenNoneIsGiven() {
        assertThat(RemoteReadHandler.negotiate(List.of())).isEqualTo(RemoteReadResponseType.SAMPLES);
        assertThat(RemoteReadHandler.negotiate(List.of(1, 0))).isEqualTo(RemoteReadResponseType.STREAMED_XOR_CHUNKS);
        assertThat(RemoteReadHandler.negotiate(List.of(0, 1))).isEqualTo(RemoteReadResponseType.SAMPLES);
        assertThat(RemoteReadHandler.negotiate(List.of(7, 1))).isEqualTo(RemoteReadResponseType.STREAMED_XOR_CHUNKS);
        assertThatThrownBy(() -> RemoteReadHandler.negotiate(List.of(7, 9)))
            .isInstanceOf(RemoteReadException.class).hasMessageContaining("does not support any of the requested")
            .extracting(e -> ((RemoteReadException) e).status()).isEqualTo(400);
    }

    @Test
    void shouldAnswerEmptyResultsWithOneEmptyResultPerQueryOrNoFrames() throws IOException {
        final RemoteReadHandler handler = new RemoteReadHandler(RemoteReadLimits.DEFAULTS);
        final List<Query> queries = List.of(query(0, Long.MAX_VALUE, new Matcher(EQ, "job", "none")),
            query(0, 10, new Matcher(EQ, "job", "api")));
        handle(handler, fixture(), RemoteReadProtos.request(queries));
        final List<List<Series>> results = RemoteReadProtos.readSamples(out.toByteArray());
        assertThat(results).hasSize(2);
        assertThat(results.get(0)).isEmpty();
        assertThat(results.get(1)).isEmpty();
        handle(handler, fixture(), RemoteReadProtos.request(queries, STREAMED));
        assertThat(out.length()).isZero();
    }

    @Test
    void shouldFailWithBadRequestWhenAQuerySelectsMoreSamplesThanTheLimit() throws IOException {
        final RemoteReadHandler handler = new RemoteReadHandler(new RemoteReadLimits(499, 1 << 20, 1 << 20));
        final byte[] two = RemoteReadProtos.request(List.of(query(0, Long.MAX_VALUE, new Matcher(EQ, "job", "api"),
            new Matcher(RE, "instance", "host-[01]"))));
        assertThatThrownBy(() -> handle(handler, fixture(), two)).isInstanceOf(RemoteReadException.class)
            .hasMessage("exceeded sample limit (499)").extracting(e -> ((RemoteReadException) e).status()).isEqualTo(400);
        assertThat(out.length()).isZero();
        final byte[] streamed = RemoteReadProtos.request(List.of(query(0, Long.MAX_VALUE, new Matcher(EQ, "job", "api"),
            new Matcher(RE, "instance", "host-[01]"))), STREAMED);
        assertThatThrownBy(() -> handle(handler, fixture(), streamed)).isInstanceOf(RemoteReadException.class)
            .hasMessage("exceeded sample limit (499)");
        assertThat(out.length()).isZero();
        // The limit is per query: two queries of 250 samples each pass, and 500 within one does not.
        final RemoteReadHandler exact = new RemoteReadHandler(new RemoteReadLimits(500, 1 << 20, 1 << 20));
        handle(exact, fixture(), two);
        assertThat(RemoteReadProtos.readSamples(out.toByteArray()).get(0)).hasSize(2);
    }

    @Test
    void shouldRefuseQueriesWhoseMatchersAllMatchTheEmptyString() throws IOException {
        final RemoteReadHandler handler = new RemoteReadHandler(RemoteReadLimits.DEFAULTS);
        for (final Query query : List.of(query(0, 10), query(0, 10, new Matcher(RE, "job", ".*")),
            query(0, 10, new Matcher(NEQ, "job", "api"), new Matcher(EQ, "missing", "")))) {
            final byte[] request = RemoteReadProtos.request(List.of(query(0, 10, new Matcher(EQ, "job", "api")), query));
            assertThatThrownBy(() -> handle(handler, fixture(), request)).isInstanceOf(RemoteReadException.class)
                .hasMessageContaining("at least one matcher").extracting(e -> ((RemoteReadException) e).status())
                .isEqualTo(400);
        }
    }

    @Test
    void shouldAnswerInternalErrorWhenStorageFails() throws IOException {
        final RemoteReadHandler handler = new RemoteReadHandler(RemoteReadLimits.DEFAULTS);
        final Queryable failing = new InMemoryQueryable() {
            @Override
            public SeriesSet select(final List<LabelMatcher> matchers, final long minTime, final long maxTime) {
                throw new IllegalStateException("disk on fire");
            }
        };
        final byte[] request = RemoteReadProtos.request(List.of(query(0, 10, new Matcher(EQ, "job", "api"))));
        assertThatThrownBy(() -> handle(handler, failing, request)).isInstanceOf(RemoteReadException.class)
            .hasMessageContaining("disk on fire").extracting(e -> ((RemoteReadException) e).status()).isEqualTo(500);
    }

    @Test
    void shouldReuseItsBuffersAcrossRequests() throws IOException {
        final RemoteReadHandler handler = new RemoteReadHandler(RemoteReadLimits.DEFAULTS);
        final byte[] big = RemoteReadProtos.request(List.of(query(0, Long.MAX_VALUE, new Matcher(RE, "job", ".+"))),
            STREAMED);
        final byte[] small = RemoteReadProtos.request(List.of(query(0, 1_000_000, new Matcher(EQ, "job", "api"))),
            STREAMED);
        handle(handler, fixture(), big);
        assertThat(RemoteReadProtos.readFrames(out.toByteArray())).hasSize(6);
        handle(handler, fixture(), small);
        final List<Frame> frames = RemoteReadProtos.readFrames(out.toByteArray());
        assertThat(frames).hasSize(1);
        assertThat(RemoteReadProtos.describe(frames.get(0).samples()))
            .isEqualTo(RemoteReadProtos.describe(expected(0, 0, 1_000_000)));
    }
}
