package io.tidemark.promql.diff;

import java.io.IOException;
import java.net.InetAddress;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus 2.x on 127.0.0.1 over blocks that {@code promtool tsdb create-blocks-from openmetrics} built
 * from a text file: no scraping, a retention long enough that the (old) blocks are never deleted. Stopped by
 * {@link #close()}, which ends only the process this class started.
 */
final class PrometheusPeer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final URI base;
    private final HttpClient http;

    private PrometheusPeer(final Process process, final int port) {
        this.process = process;
        this.base = URI.create("http://127.0.0.1:" + port);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** True when both {@code prometheus} and {@code promtool} are on the PATH. */
    static boolean installed() {
        return onPath("prometheus") && onPath("promtool");
    }

    private static boolean onPath(final String command) {
        final String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (final String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** The first line of {@code prometheus --version}. */
    static String version() throws IOException, InterruptedException {
        final Process p = new ProcessBuilder("prometheus", "--version").redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out.lines().findFirst().orElse("unknown").trim();
    }

    /** Builds blocks from {@code openMetrics} into {@code dataDir} with promtool, then starts Prometheus on them. */
    static PrometheusPeer start(final Path openMetrics, final Path dataDir, final Path workDir)
        throws IOException, InterruptedException {
        run(workDir.resolve("promtool.log"), "promtool", "tsdb", "create-blocks-from", "openmetrics",
            openMetrics.toString(), dataDir.toString());
        final Path config = workDir.resolve("prometheus.yml");
        // The evaluation interval is also the step of a subquery written without one (x[10m:]) in 2.x.
        Files.writeString(config, "global:\n  evaluation_interval: 1m\nscrape_configs: []\n");
        final int port = freePort();
        final Process process = new ProcessBuilder("prometheus",
            "--config.file=" + config,
            "--storage.tsdb.path=" + dataDir,
            "--storage.tsdb.retention.time=100y",
            "--web.listen-address=127.0.0.1:" + port,
            "--query.lookback-delta=5m",
            "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("prometheus.log").toFile())
            .start();
        final PrometheusPeer peer = new PrometheusPeer(process, port);
        try {
            peer.awaitReady(workDir.resolve("prometheus.log"));
            return peer;
        } catch (IOException | InterruptedException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    private static void run(final Path log, final String... command) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("failed with exit=" + p.exitValue() + ": " + String.join(" ", command)
                + "\n" + Files.readString(log));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady(final Path log) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n"
                    + Files.readString(log));
            }
            try {
                final HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/-/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
                Thread.onSpinWait();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready after " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    /** {@code /api/v1/query}: the response body (JSON), whatever the status code. */
    String instantQuery(final String query, final long timeMillis) throws IOException, InterruptedException {
        return post("/api/v1/query", List.of("query", query, "time", seconds(timeMillis)));
    }

    /** {@code /api/v1/query_range}: the response body (JSON), whatever the status code. */
    String rangeQuery(final String query, final long start, final long end, final long step)
        throws IOException, InterruptedException {
        return post("/api/v1/query_range", List.of("query", query, "start", seconds(start), "end", seconds(end),
            "step", seconds(step)));
    }

    private String post(final String path, final List<String> params) throws IOException, InterruptedException {
        final StringBuilder form = new StringBuilder();
        for (int i = 0; i < params.size(); i += 2) {
            if (i > 0) {
                form.append('&');
            }
            form.append(params.get(i)).append('=').append(URLEncoder.encode(params.get(i + 1), StandardCharsets.UTF_8));
        }
        final HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    static String seconds(final long millis) {
        return String.format(java.util.Locale.ROOT, "%d.%03d", Math.floorDiv(millis, 1000L), Math.floorMod(millis, 1000L));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        http.close();
    }
}
