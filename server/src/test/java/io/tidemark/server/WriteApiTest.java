package io.tidemark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/** The write endpoints end to end over HTTP: remote write, import, export, deletion, and /metrics counting them. */
class WriteApiTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    static Path dir;
    private static Tidemark db;
    private static TidemarkServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        db = Tidemark.open(TidemarkConfig.defaults(dir.resolve("data")).withSealCheck(0));
        final ServerSettings settings = SettingsParser.parse(new String[] {"--http-host", "127.0.0.1", "--http-port", "0", "--tcp-port", "0",
            "--data-dir", dir.resolve("data").toString(), "--http-max-body", "64KiB", "--query-threads", "2"}, Map.of());
        server = TidemarkServer.serve(settings, db);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
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

    private static HttpResponse<String> post(final String path, final String tenant, final byte[] body, final String... headers)
        throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .timeout(Duration.ofSeconds(30)).header("X-Scope-OrgID", tenant).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(final String pathAndQuery, final String tenant) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + pathAndQuery))
            .timeout(Duration.ofSeconds(30)).header("X-Scope-OrgID", tenant).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of {@code series} on a /metrics page, 0 when absent. */
    private static long counter(final String page, final String series) {
        for (final String line : page.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Long.parseLong(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    private static String q(final String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** A WriteRequest of one series per label array (names and values alternating), each with one sample per value. */
    private static byte[] writeRequest(final String[][] series, final double[] values) throws Exception {
        final ByteArrayOutputStream request = new ByteArrayOutputStream();
        final CodedOutputStream out = CodedOutputStream.newInstance(request);
        for (final String[] labels : series) {
            final ByteArrayOutputStream ts = new ByteArrayOutputStream();
            final CodedOutputStream t = CodedOutputStream.newInstance(ts);
            for (int i = 0; i < labels.length; i += 2) {
                final ByteArrayOutputStream label = new ByteArrayOutputStream();
                final CodedOutputStream l = CodedOutputStream.newInstance(label);
                l.writeString(1, labels[i]);
                l.writeString(2, labels[i + 1]);
                l.flush();
                t.writeByteArray(1, label.toByteArray());
            }
            for (int i = 0; i < values.length; i++) {
                final ByteArrayOutputStream sample = new ByteArrayOutputStream();
                final CodedOutputStream s = CodedOutputStream.newInstance(sample);
                s.writeDouble(1, values[i]);
                s.writeInt64(2, T0 + i * 15_000L);
                s.flush();
                t.writeByteArray(2, sample.toByteArray());
            }
            t.flush();
            out.writeByteArray(1, ts.toByteArray());
        }
        out.flush();
        return Snappy.compress(request.toByteArray());
    }

    @Test
    void shouldAnswer400ForSamplesTheHeadRefusesAndStoreTheRest() throws Exception {
        final String[] headers = {"Content-Type", "application/x-protobuf", "Content-Encoding", "snappy"};
        final byte[] first = writeRequest(new String[][] {{"__name__", "ooo_metric", "job", "a"}}, new double[] {1, 2});
        assertThat(post("/api/v1/write", "ooo", first, headers).statusCode()).isEqualTo(204);
        // again: the newest sample (T0 + 15 s, 2) is an identical duplicate, taken silently as Prometheus does; the
        // older one (T0) is out of order, and as Prometheus the request is a 400 (not retried)
        final HttpResponse<String> again = post("/api/v1/write", "ooo", first, headers);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(400);
        assertThat(again.body()).contains("\"errorType\":\"bad_data\"").contains("1 samples refused, the rest stored: 1 out of order")
            .contains("first: out of order sample for series {__name__=\\\"ooo_metric\\\", job=\\\"a\\\"} at timestamp 1700000000000");
        // another value at the newest timestamp, and a new series beside it
        final byte[] second = writeRequest(new String[][] {{"__name__", "ooo_metric", "job", "a"}, {"__name__", "ooo_new", "job", "b"}},
            new double[] {7, 8});
        final HttpResponse<String> refused = post("/api/v1/write", "ooo", second, headers);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("2 samples refused, the rest stored: 1 out of order, 1 duplicate timestamps with another value");
        assertThat(get("/api/v1/query?query=ooo_new&time=1700000015", "ooo").body()).as("the new series is stored")
            .contains("\"value\":[1700000015,\"8\"]");
        assertThat(get("/api/v1/query?query=ooo_metric&time=1700000015", "ooo").body()).as("the first values stay")
            .contains("\"value\":[1700000015,\"2\"]");
        // a request that fails before it appends reports no refusals of its own (nor the last request's again)
        assertThat(post("/api/v1/write", "ooo", new byte[] {(byte) 0xff, 1, 2}, headers).statusCode()).isEqualTo(400);
        assertThat(get("/metrics", "ooo").body()).contains("tidemark_remote_write_total{what=\"samples_refused_by_head\"} 3\n");
    }

    @Test
    void shouldKeepRemoteWriteMetadataForTheMetadataEndpointPerTenant() throws Exception {
        assertThat(get("/api/v1/metadata", "meta").body()).isEqualTo("{\"status\":\"success\",\"data\":{}}");
        final ByteArrayOutputStream request = new ByteArrayOutputStream();
        final CodedOutputStream out = CodedOutputStream.newInstance(request);
        final String[][] entries = {{"1", "meta_requests_total", "Requests \"served\".", ""}, {"2", "meta_temperature", "Room.", "celsius"},
            {"1", "meta_requests_total", "Requests handled.", ""}};
        for (final String[] entry : entries) {
            final ByteArrayOutputStream metadata = new ByteArrayOutputStream();
            final CodedOutputStream m = CodedOutputStream.newInstance(metadata);
            m.writeEnum(1, Integer.parseInt(entry[0]));
            m.writeString(2, entry[1]);
            m.writeString(4, entry[2]);
            m.writeString(5, entry[3]);
            m.flush();
            out.writeByteArray(3, metadata.toByteArray());
        }
        out.flush();
        final HttpResponse<String> stored = post("/api/v1/write", "meta", Snappy.compress(request.toByteArray()),
            "Content-Type", "application/x-protobuf", "Content-Encoding", "snappy");
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(204);

        assertThat(get("/api/v1/metadata", "meta").body()).isEqualTo("{\"status\":\"success\",\"data\":{"
            + "\"meta_requests_total\":[{\"type\":\"counter\",\"help\":\"Requests handled.\",\"unit\":\"\"},"
            + "{\"type\":\"counter\",\"help\":\"Requests \\\"served\\\".\",\"unit\":\"\"}],"
            + "\"meta_temperature\":[{\"type\":\"gauge\",\"help\":\"Room.\",\"unit\":\"celsius\"}]}}");
        assertThat(get("/api/v1/metadata?metric=meta_temperature", "meta").body()).contains("meta_temperature")
            .doesNotContain("meta_requests_total");
        assertThat(get("/api/v1/metadata?limit=1&limit_per_metric=1", "meta").body()).isEqualTo("{\"status\":\"success\",\"data\":{"
            + "\"meta_requests_total\":[{\"type\":\"counter\",\"help\":\"Requests handled.\",\"unit\":\"\"}]}}");
        assertThat(get("/api/v1/metadata", "other-tenant").body()).isEqualTo("{\"status\":\"success\",\"data\":{}}");
        final HttpResponse<String> bad = get("/api/v1/metadata?limit=x", "meta");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"errorType\":\"bad_data\"").contains("limit must be a number");
        assertThat(get("/metrics", "meta").body()).contains("tidemark_metric_metadata_entries_total{outcome=\"stored\"} 3\n");
    }

    @Test
    void shouldStoreRemoteWriteAndAnswerWithPrometheusStatuses() throws Exception {
        final String written204 = "tidemark_http_requests_total{handler=\"/api/v1/write\",code=\"204\"}";
        final String storedSamples = "tidemark_remote_write_total{what=\"samples_stored\"}";
        final String before = get("/metrics", "rw").body(); // other tests write too
        final long writtenBefore = counter(before, written204);
        final long storedBefore = counter(before, storedSamples);
        final byte[] good = writeRequest(new String[][] {{"__name__", "rw_metric", "job", "a"}}, new double[] {1, 2, 3});
        final HttpResponse<String> stored = post("/api/v1/write", "rw", good, "Content-Type", "application/x-protobuf",
            "Content-Encoding", "snappy", "X-Prometheus-Remote-Write-Version", "0.1.0");
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(204);
        final HttpResponse<String> query = get("/api/v1/query?query=" + q("sum(rw_metric)") + "&time=1700000030", "rw");
        assertThat(query.body()).contains("\"value\":[1700000030,\"3\"]");

        assertThat(post("/api/v1/write", "rw", good, "Content-Encoding", "gzip").statusCode()).isEqualTo(415);
        assertThat(post("/api/v1/write", "rw", good, "Content-Type", "application/json").statusCode()).isEqualTo(415);
        final HttpResponse<String> corrupt = post("/api/v1/write", "rw", new byte[] {(byte) 0xff, 1, 2, 3});
        assertThat(corrupt.statusCode()).isEqualTo(400);
        assertThat(corrupt.body()).contains("\"errorType\":\"bad_data\"");

        // an unsorted label set is refused with 400, the good series of the same request stored
        final byte[] mixed = writeRequest(new String[][] {{"job", "b", "__name__", "rw_unsorted"}, {"__name__", "rw_good", "job", "c"}},
            new double[] {7});
        final HttpResponse<String> partly = post("/api/v1/write", "rw", mixed);
        assertThat(partly.statusCode()).as(partly.body()).isEqualTo(400);
        assertThat(get("/api/v1/query?query=rw_good&time=1700000000", "rw").body()).contains("\"value\":[1700000000,\"7\"]");
        assertThat(get("/api/v1/query?query=" + q("{__name__=~\"rw_unsorted\"}") + "&time=1700000000", "rw").body())
            .contains("\"result\":[]");

        final HttpResponse<String> page = get("/metrics", "rw");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(counter(page.body(), written204)).isEqualTo(writtenBefore + 1);
        assertThat(page.body()).contains("tidemark_http_requests_total{handler=\"/api/v1/write\",code=\"415\"} 2\n")
            .satisfies(body -> assertThat(counter(body, storedSamples)).isEqualTo(storedBefore + 4))
            .contains("tidemark_series{tenant=\"rw\"} 2\n");
        // a series sent twice (the second time an identical duplicate, which is no error): found the second time by the
        // bytes of its labels, which /metrics counts
        final String hits = "tidemark_remote_write_series_cache_lookups_total{result=\"hit\"}";
        final long hitsBefore = counter(page.body(), hits);
        assertThat(counter(page.body(), "tidemark_remote_write_series_cache_lookups_total{result=\"miss\"}")).isPositive();
        final byte[] twice = writeRequest(new String[][] {{"__name__", "rw_twice", "job", "a"}}, new double[] {5});
        assertThat(post("/api/v1/write", "rw", twice).statusCode()).isEqualTo(204);
        assertThat(counter(get("/metrics", "rw").body(), hits)).isEqualTo(hitsBefore);
        assertThat(post("/api/v1/write", "rw", twice).statusCode()).isEqualTo(204);
        assertThat(counter(get("/metrics", "rw").body(), hits)).isGreaterThan(hitsBefore);
        assertThat(get("/metrics", "rw").body()).containsPattern("tidemark_remote_write_series_cache_bytes [1-9][0-9]*\n");
    }

    @Test
    void shouldImportExportAndDeleteOverHttp() throws Exception {
        final String lines = "{\"metric\":{\"__name__\":\"imp\",\"k\":\"v\"},\"values\":[1,2,3],\"timestamps\":[1700000000000,"
            + "1700000015000,1700000030000]}\n";
        assertThat(post("/api/v1/import", "ie", lines.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(204);
        assertThat(post("/api/v1/import/prometheus?timestamp=1700000045", "ie",
            "imp{k=\"v\"} 4\nimp_text 9 1700000000000\n".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(204);
        final HttpResponse<String> bad = post("/api/v1/import", "ie", "{\"metric\":{}}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("line 1: missing \\\"metric\\\" with at least one label");

        final HttpResponse<String> export = get("/api/v1/export?match[]=" + q("{__name__=~\"imp.*\"}"), "ie");
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.body()).isEqualTo("{\"metric\":{\"__name__\":\"imp\",\"k\":\"v\"},\"values\":[1,2,3,4],"
            + "\"timestamps\":[1700000000000,1700000015000,1700000030000,1700000045000]}\n"
            + "{\"metric\":{\"__name__\":\"imp_text\"},\"values\":[9],\"timestamps\":[1700000000000]}\n");
        assertThat(get("/api/v1/export", "ie").statusCode()).isEqualTo(400);

        assertThat(post("/api/v1/admin/tsdb/delete_series?match[]=" + q("imp{k=\"v\"}") + "&start=1700000010&end=1700000040",
            "ie", new byte[0]).statusCode()).isEqualTo(204);
        assertThat(get("/api/v1/export?match[]=imp", "ie").body()).isEqualTo("{\"metric\":{\"__name__\":\"imp\",\"k\":\"v\"},"
            + "\"values\":[1,4],\"timestamps\":[1700000000000,1700000045000]}\n");
        assertThat(post("/api/v1/admin/tsdb/delete_series", "ie", new byte[0]).statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/admin/tsdb/delete_series?match[]=" + q("{k=\"\"}"), "ie", new byte[0]).statusCode()).isEqualTo(400);
    }
}
