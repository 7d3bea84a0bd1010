package io.tidemark.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.QueryFrame;
import io.tidemark.client.protocol.QueryResultFrame;
import io.tidemark.client.protocol.SelectEndFrame;
import io.tidemark.client.protocol.SelectFrame;
import io.tidemark.client.protocol.SelectSeriesFrame;
import io.tidemark.client.protocol.SeriesPoints;
import io.tidemark.codecs.prometheus.PrometheusXorChunkEncoder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueryAndSelectTest {
    static final long STALE_NAN = 0x7ff0000000000002L;

    private FakeServer server;
    private TidemarkClient client;

    @BeforeEach
    void start() throws Exception {
        server = new FakeServer();
        client = TidemarkClient.connect(server.config().requestTimeout(Duration.ofMillis(500)).build());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    @Test
    void shouldAnswerAnInstantQueryWithAScalarAndItsWarnings() throws Exception {
        server.on(MessageType.QUERY, (conn, frame) -> conn.send(new QueryResultFrame(((QueryFrame) frame).requestId(),
            QueryResultFrame.SCALAR, false, List.of("PromQL info: something"), 42_000,
            Double.longBitsToDouble(STALE_NAN), null, List.of())::encode));
        final QueryResult result = client.query("scalar(up)", 42_000);
        assertThat(result.type()).isEqualTo(QueryResult.Type.SCALAR);
        assertThat(result.warnings()).containsExactly("PromQL info: something");
        assertThat(result.time()).isEqualTo(42_000);
        assertThat(Double.doubleToRawLongBits(result.scalar())).isEqualTo(STALE_NAN);

        final QueryFrame sent = (QueryFrame) server.take(MessageType.QUERY).frame();
        assertThat(sent.kind()).isEqualTo(QueryFrame.INSTANT);
        assertThat(sent.query()).isEqualTo("scalar(up)");
        assertThat(sent.time()).isEqualTo(42_000);
        assertThat(sent.timeoutMillis()).isEqualTo(500);
    }

    @Test
    void shouldGatherAMatrixSplitOverFramesFlaggedMore() throws Exception {
        final SeriesPoints a = new SeriesPoints(new String[] {"__name__", "up", "job", "a"}, new long[] {0, 15_000},
            new double[] {1, 0});
        final SeriesPoints b = new SeriesPoints(new String[] {"__name__", "up", "job", "b"}, new long[] {0},
            new double[] {1});
        final SeriesPoints c = new SeriesPoints(new String[] {"__name__", "up", "job", "c"}, new long[] {15_000},
            new double[] {Double.longBitsToDouble(STALE_NAN)});
        server.on(MessageType.QUERY, (conn, frame) -> {
            final long id = ((QueryFrame) frame).requestId();
            conn.send(new QueryResultFrame(id, QueryResultFrame.MATRIX, true, List.of("w"), 0, 0, null,
                List.of(a))::encode);
            conn.send(new QueryResultFrame(id, QueryResultFrame.MATRIX, true, List.of(), 0, 0, null,
                List.of(b))::encode);
            conn.send(new QueryResultFrame(id, QueryResultFrame.MATRIX, false, List.of(), 0, 0, null,
                List.of(c))::encode);
        });
        final QueryResult result = client.queryRange("up", 0, 15_000, 15_000);
        assertThat(result.type()).isEqualTo(QueryResult.Type.MATRIX);
        assertThat(result.warnings()).containsExactly("w");
        assertThat(result.series()).extracting(s -> s.labels().get("job")).containsExactly("a", "b", "c");
        assertThat(result.series().get(0).timestamps()).containsExactly(0, 15_000);
        assertThat(result.series().get(0).labels()).isEqualTo(Map.of("__name__", "up", "job", "a"));
        assertThat(Double.doubleToRawLongBits(result.series().get(2).values()[0])).isEqualTo(STALE_NAN);

        final QueryFrame sent = (QueryFrame) server.take(MessageType.QUERY).frame();
        assertThat(sent.kind()).isEqualTo(QueryFrame.RANGE);
        assertThat(sent.time()).isZero();
        assertThat(sent.end()).isEqualTo(15_000);
        assertThat(sent.step()).isEqualTo(15_000);
        assertThatThrownBy(() -> client.queryRange("up", 10, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldThrowTheServerCodeForABadQueryAndStayUsable() throws Exception {
        server.on(MessageType.QUERY, (conn, frame) -> conn.error(((QueryFrame) frame).requestId(), ErrorCode.BAD_QUERY,
            "1:5: parse error: unexpected end of input"));
        assertThatThrownBy(() -> client.query("sum(", 0)).isInstanceOfSatisfying(TidemarkException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_QUERY);
            assertThat(e.codeName()).isEqualTo("BAD_QUERY");
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("parse error");
        });
        server.on(MessageType.QUERY, (conn, frame) -> conn.send(new QueryResultFrame(((QueryFrame) frame).requestId(),
            QueryResultFrame.VECTOR, false, List.of(), 0, 0, null, List.of(new SeriesPoints(
                new String[] {"job", "a"}, new long[] {5}, new double[] {2})))::encode));
        final QueryResult vector = client.query("sum by (job) (up)", 5);
        assertThat(vector.type()).isEqualTo(QueryResult.Type.VECTOR);
        assertThat(vector.series()).singleElement().satisfies(s -> assertThat(s.values()).containsExactly(2.0));
    }

    @Test
    void shouldTimeOutAQueryNobodyAnswersAndSkipItsLateAnswer() throws Exception {
        final FakeServer.Conn[] conn = new FakeServer.Conn[1];
        final long[] lateId = new long[1];
        server.on(MessageType.QUERY, (c, frame) -> {
            conn[0] = c;
            lateId[0] = ((QueryFrame) frame).requestId();
        });
        assertThatThrownBy(() -> client.query("up", 0)).isInstanceOfSatisfying(TidemarkException.class, e -> {
            assertThat(e.code()).isEqualTo(TidemarkException.TIMEOUT);
            assertThat(e.retryable()).isTrue();
        });
        conn[0].send(new QueryResultFrame(lateId[0], QueryResultFrame.SCALAR, false, List.of(), 0, 1, null,
            List.of())::encode);
        server.on(MessageType.QUERY, (c, frame) -> c.send(new QueryResultFrame(((QueryFrame) frame).requestId(),
            QueryResultFrame.STRING, false, List.of(), 7, 0, "hello", List.of())::encode));
        final QueryResult text = client.query("\"hello\"", 7);
        assertThat(text.type()).isEqualTo(QueryResult.Type.STRING);
        assertThat(text.string()).isEqualTo("hello");
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void shouldDecodeSelectedXorChunksAndJoinTheFramesOfOneSeries() throws Exception {
        final String[] cpuA = {"__name__", "cpu", "host", "a"};
        final String[] cpuB = {"__name__", "cpu", "host", "b"};
        server.on(MessageType.SELECT, (conn, frame) -> {
            final long id = ((SelectFrame) frame).requestId();
            conn.send(new SelectSeriesFrame(id, cpuA, List.of(chunk(0, 3, 1.0)))::encode);
            conn.send(new SelectSeriesFrame(id, cpuA, List.of(chunk(3, 3, 10.0), chunk(6, 2, 20.0)))::encode);
            conn.send(new SelectSeriesFrame(id, cpuB, List.of(staleChunk()))::encode);
            conn.send(new SelectEndFrame(id, 2, 11)::encode);
        });
        final List<SeriesSamples> series = client.select(1_000, 7_000, Matcher.equal("__name__", "cpu"),
            Matcher.notRegex("host", "c.*"));
        assertThat(series).hasSize(2);
        final SeriesSamples a = series.get(0);
        assertThat(a.labels()).containsEntry("host", "a");
        // Samples at 0..7 s; the range [1 s, 7 s] keeps 1..7 s.
        assertThat(a.timestamps()).containsExactly(1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000);
        assertThat(a.values()).containsExactly(2.0, 3.0, 10.0, 11.0, 12.0, 20.0, 21.0);
        final SeriesSamples b = series.get(1);
        assertThat(b.timestamps()).containsExactly(1_000, 2_000);
        assertThat(Double.doubleToRawLongBits(b.values()[1])).isEqualTo(STALE_NAN);

        final SelectFrame sent = (SelectFrame) server.take(MessageType.SELECT).frame();
        assertThat(sent.start()).isEqualTo(1_000);
        assertThat(sent.end()).isEqualTo(7_000);
        assertThat(sent.matchers()).containsExactly(new SelectFrame.Matcher(SelectFrame.EQUAL, "__name__", "cpu"),
            new SelectFrame.Matcher(SelectFrame.NOT_REGEX, "host", "c.*"));
    }

    @Test
    void shouldAnswerAnEmptySelectAndFailOneWithAnUnknownChunkEncoding() throws Exception {
        server.on(MessageType.SELECT, (conn, frame) -> conn.send(new SelectEndFrame(((SelectFrame) frame).requestId(),
            0, 0)::encode));
        assertThat(client.select(0, 1, Matcher.equal("__name__", "none"))).isEmpty();
        server.on(MessageType.SELECT, (conn, frame) -> {
            final long id = ((SelectFrame) frame).requestId();
            conn.send(new SelectSeriesFrame(id, new String[] {"__name__", "x"}, List.of(
                new SelectSeriesFrame.Chunk(9, 0, 0, new byte[] {1, 2, 3})))::encode);
            conn.send(new SelectEndFrame(id, 1, 1)::encode);
        });
        assertThatThrownBy(() -> client.select(0, 1, Matcher.equal("__name__", "x")))
            .isInstanceOfSatisfying(TidemarkException.class, e -> assertThat(e.getMessage()).contains("encoding 9"));
        assertThat(client.isConnected()).as("a request's failure leaves the connection up").isTrue();
        assertThatThrownBy(() -> client.select(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static SelectSeriesFrame.Chunk chunk(final int firstSecond, final int samples, final double firstValue) {
        final PrometheusXorChunkEncoder encoder = new PrometheusXorChunkEncoder();
        for (int i = 0; i < samples; i++) {
            encoder.append((firstSecond + i) * 1_000L, firstValue + i);
        }
        return new SelectSeriesFrame.Chunk(SelectSeriesFrame.XOR, firstSecond * 1_000L,
            (firstSecond + samples - 1) * 1_000L, Arrays.copyOf(encoder.bytes(), encoder.length()));
    }

    private static SelectSeriesFrame.Chunk staleChunk() {
        final PrometheusXorChunkEncoder encoder = new PrometheusXorChunkEncoder();
        encoder.append(1_000, 5);
        encoder.append(2_000, Double.longBitsToDouble(STALE_NAN));
        return new SelectSeriesFrame.Chunk(SelectSeriesFrame.XOR, 1_000, 2_000,
            Arrays.copyOf(encoder.bytes(), encoder.length()));
    }
}
