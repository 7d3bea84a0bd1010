package io.tidemark.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.index.series.LabelSet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API end to end: a database in a temp dir, the server on 127.0.0.1 and an ephemeral port, JDK client. */
class HttpApiTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    static Path dir;
    private static Tidemark db;
    private static TidemarkServer server;
    private static HttpClient client;

    record Answer(int status, String body, Map<String, java.util.List<String>> headers) {
    }

    @BeforeAll
    static void start() throws Exception {
        db = Tidemark.open(TidemarkConfig.defaults(dir.resolve("data")).withSealCheck(0));
        append("default", LabelSet.of("__name__", "up", "job", "api", "instance", "a"), 1);
        append("default", LabelSet.of("__name__", "up", "job", "db", "instance", "b"), 10);
        append("acme", LabelSet.of("__name__", "other_metric", "x", "1"), 42);
        final ServerSettings settings = SettingsParser.parse(new String[] {"--http-host", "127.0.0.1", "--http-port", "0", "--tcp-port", "0",
            "--data-dir", dir.resolve("data").toString(), "--http-max-body", "1KiB", "--query-threads", "2"}, Map.of());
        server = TidemarkServer.serve(settings, db);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Ten samples 15 s apart from T0, the i-th worth {@code i * factor}. */
    private static void append(final String tenant, final LabelSet labels, final int factor) {
        final TenantAppender appender = db.appender(tenant);
        final int id = appender.series(labels);
        for (int i = 0; i < 10; i++) {
            appender.append(id, T0 + i * 15_000L, i * factor);
        }
        appender.commit();
        assertThat(appender.awaitDurable(TimeUnit.SECONDS.toNanos(30))).as("durable").isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            assertThat(server.shutdown()).isTrue();
        }
        if (db != null) {
            db.close();
        }
    }

    private static Answer send(final HttpRequest.Builder request) throws Exception {
        final HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response.headers().map());
    }

    private static Answer get(final String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)));
    }

    private static Answer get(final String pathAndQuery, final String tenant) throws Exception {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).header("X-Scope-OrgID", tenant));
    }

    private static URI uri(final String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.httpPort() + pathAndQuery);
    }

    private static String q(final String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static void assertError(final Answer answer, final int status, final String type, final String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        final String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"");
        assertThat(answer.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"" + type + "\",\"error\":\""
            + escaped + "\"}");
    }

    @Test
    void shouldAnswerInstantVectorQueryInPrometheusShape() throws Exception {
        final Answer answer = get("/api/v1/query?query=up&time=1700000135");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().get("content-type")).containsExactly("application/json");
        assertThat(answer.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
            + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"api\"},\"value\":[1700000135,\"9\"]},"
            + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"b\",\"job\":\"db\"},\"value\":[1700000135,\"90\"]}]}}");
    }

    @Test
    void shouldAnswerScalarStringAndFractionalTimes() throws Exception {
        assertThat(get("/api/v1/query?query=" + q("1/3") + "&time=1700000000.123").body()).isEqualTo(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.123,"
                + "\"0.3333333333333333\"]}}");
        assertThat(get("/api/v1/query?query=" + q("\"hi\"") + "&time=2023-11-14T22:13:20Z").body()).isEqualTo(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1700000000,\"hi\"]}}");
        assertThat(get("/api/v1/query?query=" + q("-1/0") + "&time=1").body()).contains("[1,\"-Inf\"]");
    }

    @Test
    void shouldAnswerFormPostLikeGet() throws Exception {
        final Answer answer = send(HttpRequest.newBuilder(uri("/api/v1/query"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("query=" + q("sum(up)") + "&time=1700000135")));
        assertThat(answer.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
            + "{\"metric\":{},\"value\":[1700000135,\"99\"]}]}}");
    }

    @Test
    void shouldAnswerRangeQueryAsMatrix() throws Exception {
        final Answer answer = get("/api/v1/query_range?query=" + q("up{job=\"api\"}")
            + "&start=1700000000&end=1700000030&step=15s");
        assertThat(answer.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
            + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"api\"},"
            + "\"values\":[[1700000000,\"0\"],[1700000015,\"1\"],[1700000030,\"2\"]]}]}}");
    }

    @Test
    void shouldTruncateAtLimitWithWarning() throws Exception {
        final Answer answer = get("/api/v1/query?query=up&time=1700000135&limit=1");
        assertThat(answer.body()).endsWith("\"value\":[1700000135,\"9\"]}]},\"warnings\":[\"results truncated due to limit\"]}");
    }

    @Test
    void shouldListSeriesLabelsAndLabelValues() throws Exception {
        assertThat(get("/api/v1/series?match[]=up&start=1700000000&end=1700000200").body()).isEqualTo(
            "{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"api\"},"
                + "{\"__name__\":\"up\",\"instance\":\"b\",\"job\":\"db\"}]}");
        assertThat(get("/api/v1/series?match[]=" + q("up{job=\"db\"}")).body()).isEqualTo(
            "{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"instance\":\"b\",\"job\":\"db\"}]}");
        assertThat(get("/api/v1/series?match[]=up&start=1800000000").body())
            .as("no samples in range").isEqualTo("{\"status\":\"success\",\"data\":[]}");
        assertThat(get("/api/v1/labels").body())
            .isEqualTo("{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]}");
        assertThat(get("/api/v1/label/job/values").body()).isEqualTo("{\"status\":\"success\",\"data\":[\"api\",\"db\"]}");
        assertThat(get("/api/v1/label/job/values?match[]=" + q("up{instance=\"b\"}")).body())
            .isEqualTo("{\"status\":\"success\",\"data\":[\"db\"]}");
        assertThat(get("/api/v1/metadata").body()).isEqualTo("{\"status\":\"success\",\"data\":{}}");
        // with a time range: series whose newest sample (T0 + 135 s) is before the range are left out
        assertThat(get("/api/v1/labels?start=1700000100&end=1700000200").body())
            .isEqualTo("{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]}");
        assertThat(get("/api/v1/labels?start=1800000000").body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
        assertThat(get("/api/v1/label/job/values?start=1800000000&end=1800000100").body())
            .isEqualTo("{\"status\":\"success\",\"data\":[]}");
        assertThat(get("/api/v1/label/job/values?end=1700000100&match[]=" + q("up{instance=\"a\"}")).body())
            .isEqualTo("{\"status\":\"success\",\"data\":[\"api\"]}");
    }

    @Test
    void shouldKeepTenantsApart() throws Exception {
        assertThat(get("/api/v1/label/__name__/values", "acme").body())
            .isEqualTo("{\"status\":\"success\",\"data\":[\"other_metric\"]}");
        assertThat(get("/api/v1/label/__name__/values").body()).isEqualTo("{\"status\":\"success\",\"data\":[\"up\"]}");
        assertThat(get("/api/v1/query?query=up&time=1700000135", "acme").body())
            .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertThat(get("/api/v1/query?query=other_metric&time=1700000135", "acme").body()).contains("[1700000135,\"378\"]");
        assertThat(get("/api/v1/query?query=other_metric&time=1700000135", "nobody").body())
            .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertError(get("/api/v1/labels", "bad tenant!"), 400, "bad_data", "invalid X-Scope-OrgID header "
            + "'bad tenant!': one tenant id of 1 to 64 letters, digits, '_', '-' or '.', not starting with '.'");
    }

    @Test
    void shouldReportBuildInfoAndTsdbStatus() throws Exception {
        assertThat(get("/api/v1/status/buildinfo").body()).startsWith("{\"status\":\"success\",\"data\":{\"version\":\"")
            .contains("\"goVersion\":\"java");
        assertThat(get("/api/v1/status/tsdb").body()).isEqualTo("{\"status\":\"success\",\"data\":{\"headStats\":"
            + "{\"numSeries\":2,\"numLabelPairs\":5,\"minTime\":1700000000000,\"maxTime\":1700000135000},\"seriesCountByMetricName\":[{\"name\":\"up\",\"value\":2}],"
            + "\"labelValueCountByLabelName\":[{\"name\":\"instance\",\"value\":2},{\"name\":\"job\",\"value\":2},"
            + "{\"name\":\"__name__\",\"value\":1}],\"memoryInBytesByLabelName\":[{\"name\":\"job\",\"value\":5},"
            + "{\"name\":\"__name__\",\"value\":4},{\"name\":\"instance\",\"value\":2}],"
            + "\"seriesCountByLabelValuePair\":[{\"name\":\"__name__=up\",\"value\":2},"
            + "{\"name\":\"instance=a\",\"value\":1},{\"name\":\"instance=b\",\"value\":1},"
            + "{\"name\":\"job=api\",\"value\":1},{\"name\":\"job=db\",\"value\":1}]}}");
        assertThat(get("/api/v1/status/tsdb", "acme").body()).contains("{\"numSeries\":1,");
        // what Grafana asks every Prometheus data source: no exemplars, rules or alerts are kept
        assertThat(get("/api/v1/query_exemplars?query=up&start=1700000000&end=1700000100").body())
            .isEqualTo("{\"status\":\"success\",\"data\":[]}");
        final Answer badQuery = get("/api/v1/query_exemplars?query=" + q("up{"));
        assertThat(badQuery.status()).isEqualTo(400);
        assertThat(badQuery.body()).startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"");
        assertError(get("/api/v1/query_exemplars?query=up&start=1700000100&end=1700000000"), 400, "bad_data",
            "end timestamp must not be before start timestamp");
        assertThat(get("/api/v1/rules").body()).isEqualTo("{\"status\":\"success\",\"data\":{\"groups\":[]}}");
        assertThat(get("/api/v1/alerts").body()).isEqualTo("{\"status\":\"success\",\"data\":{\"alerts\":[]}}");
        assertThat(get("/api/v1/status/tsdb", "nobody").body()).as("no head samples: no time range")
            .contains("\"headStats\":{\"numSeries\":0,\"numLabelPairs\":0}");
    }

    @Test
    void shouldFlushAndStillAnswerFromBlocks() throws Exception {
        final Answer flushed = send(HttpRequest.newBuilder(uri("/api/v1/admin/flush"))
            .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(flushed.status()).isEqualTo(200);
        assertThat(flushed.body()).matches("\\{\"status\":\"success\",\"data\":\\{\"blocks\":[1-9][0-9]*}}");
        assertThat(db.blocks("default")).isNotEmpty();
        assertThat(get("/api/v1/query?query=" + q("sum(up)") + "&time=1700000135").body()).contains("\"99\"");
        assertError(get("/api/v1/admin/flush"), 405, "bad_data", "method GET not allowed; allowed: POST");
    }

    @Test
    void shouldGzipLargeAnswersForClientsThatAcceptIt() throws Exception {
        final HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri("/api/v1/query_range?query=up"
            + "&start=1700000000&end=1700000135&step=1")).header("Accept-Encoding", "gzip").build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.headers().firstValue("content-encoding")).contains("gzip");
        final String body;
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
            new java.io.ByteArrayInputStream(response.body()))) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(body).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\"")
            .contains("[1700000135,\"90\"]");
        assertThat(response.body().length).isLessThan(body.length());
    }

    @Test
    void shouldAnswerHealthAndReadiness() throws Exception {
        final Answer healthy = get("/-/healthy");
        assertThat(healthy.status()).isEqualTo(200);
        assertThat(healthy.body()).isEqualTo("Tidemark Server is Healthy.\n");
        assertThat(get("/-/ready").status()).isEqualTo(200);
    }

    @Test
    void shouldRejectBadTimesAndSteps() throws Exception {
        assertError(get("/api/v1/query?query=up&time=abc"), 400, "bad_data",
            "invalid parameter \"time\": cannot parse \"abc\" to a valid timestamp");
        assertError(get("/api/v1/query_range?query=up&start=10&end=20&step=abc"), 400, "bad_data",
            "invalid parameter \"step\": cannot parse \"abc\" to a valid duration");
        assertError(get("/api/v1/query_range?query=up&start=10&end=20&step=0"), 400, "bad_data",
            "zero or negative query resolution step widths are not accepted. Try a positive integer");
        assertError(get("/api/v1/query_range?query=up&start=20&end=10&step=1"), 400, "bad_data",
            "end timestamp must not be before start time");
        assertError(get("/api/v1/query_range?query=up&start=0&end=11001&step=1"), 400, "bad_data",
            "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
        assertError(get("/api/v1/query_range?query=up&end=10&step=1"), 400, "bad_data",
            "invalid parameter \"start\": cannot parse \"\" to a valid timestamp");
        assertError(get("/api/v1/query?query=up&timeout=soon"), 400, "bad_data",
            "invalid parameter \"timeout\": cannot parse \"soon\" to a valid duration");
        assertError(get("/api/v1/series?match[]=up&end=never"), 400, "bad_data",
            "invalid parameter \"end\": cannot parse \"never\" to a valid timestamp");
        final Answer badForm = send(HttpRequest.newBuilder(uri("/api/v1/query"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("query=%G1")));
        assertThat(badForm.status()).isEqualTo(400);
        assertThat(badForm.body()).startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\","
            + "\"error\":\"error parsing form values: ");
        assertError(get("/api/v1/query?query=up&limit=-1"), 400, "bad_data",
            "invalid parameter \"limit\": limit must be non-negative");
    }

    @Test
    void shouldRejectParseErrorsWithTheParsersMessage() throws Exception {
        assertError(get("/api/v1/query?query=" + q("rate(up")), 400, "bad_data",
            "invalid parameter \"query\": 1:8: parse error: unclosed left parenthesis");
        assertError(get("/api/v1/query"), 400, "bad_data",
            "invalid parameter \"query\": unknown position: parse error: no expression found in input");
        assertError(get("/api/v1/label/a-b/values"), 400, "bad_data", "invalid label name: \"a-b\"");
        assertError(get("/api/v1/series"), 400, "bad_data", "no match[] parameter provided");
        assertError(get("/api/v1/series?match[]=" + q("{job=~\".*\"}")), 400, "bad_data",
            "invalid parameter \"match[]\": match[] must contain at least one non-empty matcher");
        assertError(get("/api/v1/labels?match[]=" + q("{job=~\".*\"}")), 400, "bad_data",
            "match[] must contain at least one non-empty matcher");
        assertThat(get("/api/v1/series?match[]=" + q("up{")).body())
            .startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"match[]\\\": 1:4: parse error");
    }

    @Test
    void shouldAnswerExecutionErrorsWith422() throws Exception {
        final Answer answer = get("/api/v1/query?query="
            + q("label_replace(label_replace(up, \"instance\", \"x\", \"\", \"\"), \"job\", \"y\", \"\", \"\")")
            + "&time=1700000135");
        assertError(answer, 422, "execution", "vector cannot contain metrics with the same labelset");
    }

    @Test
    void shouldAnswerUnknownPathWrongMethodAndOversizedBody() throws Exception {
        assertError(get("/api/v1/nothing"), 404, "not_found", "no such endpoint: /api/v1/nothing");
        final Answer wrongMethod = send(HttpRequest.newBuilder(uri("/api/v1/query"))
            .method("DELETE", HttpRequest.BodyPublishers.noBody()));
        assertError(wrongMethod, 405, "bad_data", "method DELETE not allowed; allowed: GET, POST");
        assertThat(wrongMethod.headers().get("allow")).containsExactly("GET, POST");
        final Answer oversized = send(HttpRequest.newBuilder(uri("/api/v1/query"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("query=" + "1".repeat(2000))));
        assertError(oversized, 413, "bad_data", "request body too large: the limit is 1024 bytes");
    }
}
