package io.tidemark.bench.storage;

import io.tidemark.bench.BenchFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single-node VictoriaMetrics (Debian's {@code victoria-metrics} 1.79, installed by
 * {@code scripts/install-test-peers.sh}) run by the bench: started on {@code 127.0.0.1} and a free port
 * with a storage directory of its own, fed through {@code /api/v1/import/prometheus}, flushed and
 * force-merged, measured, and stopped by its pid. Its log goes to {@code victoria-metrics.log} beside
 * the storage directory. Not thread-safe.
 */
final class VictoriaMetricsPeer implements AutoCloseable {
    static final String BINARY = "victoria-metrics";
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(30);
    private static final long START_TIMEOUT_MILLIS = 30_000;
    private static final long MERGE_TIMEOUT_MILLIS = 600_000;
    /** Polls in a row that must find no merge running and the same directory size before merging counts as done. */
    private static final int SETTLED_POLLS = 3;

    private final Process process;
    private final Path storage;
    private final Path log;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private VictoriaMetricsPeer(final Process process, final Path storage, final Path log, final URI base) {
        this.process = process;
        this.storage = storage;
        this.log = log;
        this.base = base;
    }

    /**
     * Starts VictoriaMetrics with storage in {@code directory/storage}, keeping {@code retentionDays} of
     * data (the datasets' timestamps are years old; a shorter retention would drop them on import).
     */
    static VictoriaMetricsPeer start(final Path directory, final long retentionDays) throws PeerUnavailableException, IOException {
        final Path binary = BenchFiles.onPath(BINARY);
        if (binary == null) {
            throw new PeerUnavailableException(BINARY + "_not_on_PATH(run_scripts/install-test-peers.sh)");
        }
        final Path storage = directory.resolve("storage");
        Files.createDirectories(storage);
        final Path log = directory.resolve("victoria-metrics.log");
        final int port = BenchFiles.freeLoopbackPort();
        final Process process = new ProcessBuilder(binary.toString(), "-storageDataPath", storage.toString(),
            "-httpListenAddr", "127.0.0.1:" + port, "-retentionPeriod", retentionDays + "d", "-search.disableCache")
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final VictoriaMetricsPeer peer = new VictoriaMetricsPeer(process, storage, log, URI.create("http://127.0.0.1:" + port));
        try {
            peer.awaitHealthy();
            return peer;
        } catch (final PeerUnavailableException | IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    private void awaitHealthy() throws PeerUnavailableException, IOException {
        final long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new PeerUnavailableException("exited_with_" + process.exitValue() + "(" + lastLogLine() + ")");
            }
            try {
                if (get("/health").statusCode() == 200) {
                    return;
                }
            } catch (final IOException notYet) {
                // not listening yet
            }
            sleep(200);
        }
        throw new PeerUnavailableException("not_healthy_after_" + START_TIMEOUT_MILLIS + "_ms(" + lastLogLine() + ")");
    }

    /** POSTs the Prometheus text in {@code file} (millisecond timestamps) to the import endpoint. */
    void importPrometheusText(final Path file) throws IOException, PeerUnavailableException {
        final HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/api/v1/import/prometheus"))
            .timeout(REQUEST_TIMEOUT).POST(HttpRequest.BodyPublishers.ofFile(file)).build());
        if (response.statusCode() / 100 != 2) {
            throw new PeerUnavailableException("import_status_" + response.statusCode() + "(" + oneLine(response.body()) + ")");
        }
    }

    /**
     * The values VictoriaMetrics returns for the one series with exactly {@code labels} in
     * {@code [minTime, maxTime]} (ms), through {@code /api/v1/export} (one JSON line per series).
     */
    double[] exportValues(final java.util.Map<String, String> labels, final long minTime, final long maxTime)
        throws IOException, PeerUnavailableException {
        final StringBuilder selector = new StringBuilder("{");
        for (final var label : labels.entrySet()) {
            if (selector.length() > 1) {
                selector.append(',');
            }
            selector.append(label.getKey()).append("=\"")
                .append(label.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        selector.append('}');
        final String form = "match[]=" + java.net.URLEncoder.encode(selector.toString(), java.nio.charset.StandardCharsets.UTF_8)
            + "&start=" + Math.floorDiv(minTime, 1000) + "&end=" + Math.ceilDiv(maxTime, 1000);
        final HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/api/v1/export")).timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
        final String body = response.body();
        final int start = body.indexOf("\"values\":[");
        if (response.statusCode() != 200 || start < 0) {
            throw new PeerUnavailableException("export_status_" + response.statusCode() + "(" + oneLine(body) + ")");
        }
        final int end = body.indexOf(']', start);
        final String[] parts = body.substring(start + "\"values\":[".length(), end).split(",");
        final double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = parseJsonNumber(parts[i].strip());
        }
        return values;
    }

    private static double parseJsonNumber(final String text) {
        return switch (text) {
            case "\"NaN\"", "NaN" -> Double.NaN;
            case "\"Inf\"", "\"+Inf\"", "Inf" -> Double.POSITIVE_INFINITY;
            case "\"-Inf\"", "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** {@code /internal/force_flush}: what was imported is written out as parts. */
    void forceFlush() throws IOException, PeerUnavailableException {
        expectOk("/internal/force_flush");
    }

    /**
     * {@code /internal/force_merge}, then waits until no merge runs and the storage directory size stays
     * the same for {@value #SETTLED_POLLS} polls a second apart (the merge runs in the background).
     */
    void forceMergeAndSettle() throws IOException, PeerUnavailableException {
        expectOk("/internal/force_merge");
        final long deadline = System.currentTimeMillis() + MERGE_TIMEOUT_MILLIS;
        long lastSize = -1;
        int settled = 0;
        sleep(1_000); // the merge starts on a goroutine after the response
        while (settled < SETTLED_POLLS) {
            if (System.currentTimeMillis() > deadline) {
                throw new PeerUnavailableException("merge_not_settled_after_" + MERGE_TIMEOUT_MILLIS + "_ms");
            }
            final VictoriaMetricsMetrics metrics = metrics();
            final long size = storageBytes();
            settled = metrics.mergesRunning() == 0 && size == lastSize ? settled + 1 : 0;
            lastSize = size;
            sleep(1_000);
        }
    }

    /** Its own counters, from {@code /metrics}. */
    VictoriaMetricsMetrics metrics() throws IOException, PeerUnavailableException {
        final HttpResponse<String> response = get("/metrics");
        if (response.statusCode() != 200) {
            throw new PeerUnavailableException("metrics_status_" + response.statusCode());
        }
        return VictoriaMetricsMetrics.parse(response.body());
    }

    /** Bytes of the files under its storage directory (data, indexdb and the rest). */
    long storageBytes() throws IOException {
        return bytesUnder(storage);
    }

    /** Bytes of the files under a subdirectory of its storage directory, e.g. {@code data} or {@code indexdb}. */
    long storageBytes(final String subdirectory) throws IOException {
        return bytesUnder(storage.resolve(subdirectory));
    }

    private static long bytesUnder(final Path directory) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return BenchFiles.bytesUnder(directory);
            } catch (final UncheckedIOException | java.nio.file.NoSuchFileException e) {
                if (attempt == 5) {
                    throw e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
                }
                // a part directory was removed by a merge while it was walked: walk again
            }
        }
    }

    private void expectOk(final String path) throws IOException, PeerUnavailableException {
        final HttpResponse<String> response = get(path);
        if (response.statusCode() / 100 != 2) {
            throw new PeerUnavailableException(path.substring(1).replace('/', '_') + "_status_" + response.statusCode());
        }
    }

    private HttpResponse<String> get(final String path) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build());
    }

    private HttpResponse<String> send(final HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + request.uri(), e);
        }
    }

    private String lastLogLine() {
        try {
            final List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "no_log" : oneLine(lines.getLast());
        } catch (final IOException e) {
            return "no_log";
        }
    }

    private static String oneLine(final String text) {
        final String line = text.strip().replaceAll("\\s+", "_");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    /** Stops the process by its pid: SIGTERM, then SIGKILL if it has not exited within 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + BINARY, e);
        }
    }
}
