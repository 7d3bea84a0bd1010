package io.tidemark.bench.remotewrite;

import java.io.IOException;
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
 * A server process the bench starts on 127.0.0.1 (Tidemark or VictoriaMetrics), waits for, measures
 * through {@code /proc/<pid>} (CPU time, resident memory) and stops by its pid. Its output goes to a
 * log file beside its data.
 */
final class PeerProcess implements AutoCloseable {
    /** Clock ticks per second of /proc's CPU times ({@code getconf CLK_TCK}; 100 on Linux everywhere it matters). */
    private static final double TICKS_PER_SECOND = 100.0;

    final String name;
    final URI base;
    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    private PeerProcess(final String name, final Process process, final URI base, final Path log) {
        this.name = name;
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /** Starts {@code command} and waits until GET {@code readyPath} answers 200. */
    static PeerProcess start(final String name, final List<String> command, final int port, final String readyPath, final Path log)
        throws IOException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final PeerProcess peer = new PeerProcess(name, process, URI.create("http://127.0.0.1:" + port), log);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + ": " + peer.lastLogLine());
            }
            try {
                if (peer.get(readyPath).statusCode() == 200) {
                    return peer;
                }
            } catch (final IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                peer.close();
                throw new IOException(name + " not ready after 120 s: " + peer.lastLogLine());
            }
            sleep(200);
        }
    }

    HttpResponse<String> get(final String path) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(10)).GET().build());
    }

    HttpResponse<String> post(final String path) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(10))
            .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpResponse<String> send(final HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** User plus system CPU seconds the process (all its threads) has used so far. */
    double cpuSeconds() throws IOException {
        final String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND; // utime, stime
    }

    /** Resident memory now, bytes. */
    long residentBytes() throws IOException {
        for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    String lastLogLine() {
        try {
            final List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "(no output)" : lines.getLast();
        } catch (final IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM by pid, then SIGKILL if it has not exited within 60 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
