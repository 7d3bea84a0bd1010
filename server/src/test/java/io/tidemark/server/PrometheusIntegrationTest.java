package io.tidemark.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.promql.diff.MiniJson;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tidemark beside a real Prometheus (Debian's 2.42, installed by {@code scripts/install-test-peers.sh}, which
 * {@code ./tidemark test} runs): Prometheus scrapes itself and Tidemark's {@code /metrics} every second and
 * remote-writes everything to Tidemark for a minute ({@code -Dtidemark.prometheus.seconds} changes it); then the same
 * instant and range queries asked of both must give the same answers, and a second Prometheus that has no data of
 * its own but reads Tidemark through {@code remote_read} must answer as the first. Tidemark runs with
 * {@code --promql.compat=prometheus2}, the rules of the Prometheus it is compared with.
 */
class PrometheusIntegrationTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void shouldAnswerAsPrometheusForWhatItRemoteWroteAndServeItBackThroughRemoteRead() throws Exception {
        final Path binary = onPath("prometheus");
        Assumptions.assumeTrue(binary != null, "prometheus is not installed: scripts/install-test-peers.sh installs it");
        final long seconds = Long.getLong("tidemark.prometheus.seconds", 60);
        try (Tidemark db = Tidemark.open(TidemarkConfig.defaults(dir.resolve("tidemark")));
             TidemarkServer tidemark = TidemarkServer.serve(SettingsParser.parse(new String[] {"--http-host", "127.0.0.1",
                 "--http-port", "0", "--tcp-port", "0", "--data-dir", dir.resolve("tidemark").toString(), "--promql.compat", "prometheus2"},
                 Map.of()), db)) {
            final String tm = "127.0.0.1:" + tidemark.httpPort();
            final int port = freePort();
            final String prom = "127.0.0.1:" + port;
            final Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: prometheus
                    static_configs: [{targets: ['%s']}]
                  - job_name: tidemark
                    static_configs: [{targets: ['%s']}]
                remote_write:
                  - url: http://%s/api/v1/write
                    queue_config: {batch_send_deadline: 1s, max_samples_per_send: 2000}
                    metadata_config: {send_interval: 5s}
                """.formatted(prom, tm, tm));
            final int readerPort = freePort();
            final String reader = "127.0.0.1:" + readerPort;
            final Path readerConfig = dir.resolve("reader.yml");
            Files.writeString(readerConfig, """
                global:
                  scrape_interval: 1m
                remote_read:
                  - url: http://%s/api/v1/read
                    read_recent: true
                """.formatted(tm));
            final Process scraper = start(binary, config, dir.resolve("prom-data"), prom, dir.resolve("prometheus.log"));
            Process readerProcess = null;
            try {
                awaitReady(prom, scraper, dir.resolve("prometheus.log"));
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                readerProcess = start(binary, readerConfig, dir.resolve("reader-data"), reader, dir.resolve("reader.log"));
                awaitReady(reader, readerProcess, dir.resolve("reader.log"));
                // A time the remote-write queue has certainly delivered (it sends at least every second).
                final long end = System.currentTimeMillis() / 1000 - 10;
                final long start = end - Math.min(40, seconds - 15);
                final List<String> instant = List.of("up", "sum by (job) (up)", "prometheus_tsdb_head_series",
                    "rate(prometheus_http_requests_total[20s])", "count by (job) ({__name__=~\".+\"})",
                    "tidemark_http_requests_total", "histogram_quantile(0.9, rate(prometheus_http_request_duration_seconds_bucket[30s]))");
                for (final String query : instant) {
                    final String path = "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + end;
                    final Map<String, Object> expected = normalized(get(prom, path));
                    assertThat(normalized(get(tm, path))).as("instant %s", query).isEqualTo(expected);
                    assertThat(expected).as("%s has an answer to compare", query).isNotEmpty();
                }
                for (final String query : List.of("up", "rate(prometheus_http_requests_total[20s])", "sum(scrape_samples_scraped)")) {
                    final String path = "/api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                        + "&start=" + start + "&end=" + end + "&step=5";
                    final Map<String, Object> expected = normalized(get(prom, path));
                    assertThat(normalized(get(tm, path))).as("range %s", query).isEqualTo(expected);
                    assertThat(expected).isNotEmpty();
                }
                // Metric metadata: Prometheus sends its targets' with remote write, and both answer the same.
                for (final String family : List.of("prometheus_http_requests_total", "prometheus_tsdb_head_series", "go_goroutines",
                    "tidemark_http_requests_total", "tidemark_remote_write_total")) {
                    final String path = "/api/v1/metadata?metric=" + family;
                    final Map<String, Object> expected = metadataSets(get(prom, path));
                    assertThat(expected).as("Prometheus has metadata for %s", family).containsKey(family);
                    assertThat(metadataSets(get(tm, path))).as("metadata of %s", family).isEqualTo(expected);
                }
                // The reader has no data of its own: what it answers came through remote read from Tidemark.
                for (final String query : List.of("up", "sum by (job) (up)", "rate(prometheus_http_requests_total[20s])")) {
                    final String path = "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + end;
                    assertThat(normalized(get(reader, path))).as("remote read %s", query).isEqualTo(normalized(get(prom, path)));
                }
            } finally {
                stop(scraper);
                if (readerProcess != null) {
                    stop(readerProcess);
                }
            }
        }
    }

    /** The result as a map from label set (printed) to value(s), so that series order does not matter. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalized(final String body) {
        final Map<String, Object> json = (Map<String, Object>) MiniJson.parse(body);
        assertThat(json.get("status")).as(body).isEqualTo("success");
        final Map<String, Object> data = (Map<String, Object>) json.get("data");
        final Map<String, Object> byLabels = new TreeMap<>();
        final Object result = data.get("result");
        if (!(result instanceof List<?> list)) {
            byLabels.put("scalar", result);
            return byLabels;
        }
        for (final Object entry : list) {
            final Map<String, Object> series = (Map<String, Object>) entry;
            final String labels = new TreeMap<>((Map<String, Object>) series.get("metric")).toString();
            byLabels.put(labels, series.containsKey("value") ? series.get("value") : series.get("values"));
        }
        return byLabels;
    }

    /** A metadata answer as family to the set of its entries, so that entry order does not matter. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadataSets(final String body) {
        final Map<String, Object> json = (Map<String, Object>) MiniJson.parse(body);
        assertThat(json.get("status")).as(body).isEqualTo("success");
        final Map<String, Object> sets = new TreeMap<>();
        for (final Map.Entry<String, Object> family : ((Map<String, Object>) json.get("data")).entrySet()) {
            final java.util.Set<String> entries = new java.util.TreeSet<>();
            for (final Object entry : (List<Object>) family.getValue()) {
                entries.add(new TreeMap<>((Map<String, Object>) entry).toString());
            }
            sets.put(family.getKey(), entries);
        }
        return sets;
    }

    private static String get(final String hostPort, final String path) throws IOException, InterruptedException {
        final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + path))
            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s%s: %s", hostPort, path, response.body()).isEqualTo(200);
        return response.body();
    }

    private static Process start(final Path binary, final Path config, final Path data, final String listen, final Path log)
        throws IOException {
        final List<String> command = new ArrayList<>(List.of(binary.toString(), "--config.file=" + config,
            "--storage.tsdb.path=" + data, "--web.listen-address=" + listen));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitReady(final String hostPort, final Process process, final Path log) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/-/ready")).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (final IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("prometheus not ready in 60 s: " + Files.readString(log));
    }

    /** SIGTERM by pid, SIGKILL after 30 s. */
    private static void stop(final Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path onPath(final String name) {
        for (final String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            final Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
