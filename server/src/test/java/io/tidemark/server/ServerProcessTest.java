package io.tidemark.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code TidemarkServer.main} in a child JVM: it becomes ready, serves what an earlier process wrote, flushes on
 * request, and on SIGTERM shuts down step by step, exits 0 and leaves a database that reopens with the data.
 */
class ServerProcessTest {
    private static final Pattern LISTENING = Pattern.compile("event=http_listening host=\\S+ port=(\\d+)");
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldServeThenShutDownCleanlyOnSigtermKeepingTheData() throws Exception {
        final Path data = dir.resolve("data");
        try (Tidemark db = Tidemark.open(TidemarkConfig.defaults(data))) {
            final TenantAppender appender = db.appender("default");
            final int id = appender.series(LabelSet.of("__name__", "kept", "job", "child"));
            for (int i = 0; i < 100; i++) {
                appender.append(id, T0 + i * 1000L, i);
            }
            appender.commit();
            assertThat(appender.awaitDurable(TimeUnit.SECONDS.toNanos(30))).isTrue();
        }
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
            "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
            TidemarkServer.class.getName(), "--data-dir", data.toString(), "--http-host", "127.0.0.1",
            "--http-port", "0", "--tcp-port", "0", "--shutdown-timeout", "10s"));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final List<String> log = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    log.add(line);
                    final Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (final java.io.IOException ignored) {
                // the child closed its output
            }
            port.complete(-1);
        });
        reader.start();
        try {
            final int httpPort = port.get(60, TimeUnit.SECONDS);
            assertThat(httpPort).as("child log: %s", log).isPositive();
            final HttpClient client = HttpClient.newHttpClient();
            final String base = "http://127.0.0.1:" + httpPort;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                status = client.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
                if (status != 200) {
                    Thread.sleep(50);
                }
            }
            assertThat(status).as("ready; child log: %s", log).isEqualTo(200);
            final String answer = client.send(HttpRequest.newBuilder(URI.create(base
                + "/api/v1/query?query=kept&time=1700000099")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(answer).contains("\"value\":[1700000099,\"99\"]");
            final HttpResponse<String> flushed = client.send(HttpRequest.newBuilder(URI.create(base
                + "/api/v1/admin/flush")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(flushed.statusCode()).as(flushed.body()).isEqualTo(200);

            // SIGTERM through the handle: Process.destroy() would also close the pipe the log is read from.
            assertThat(child.toHandle().destroy()).isTrue();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(child.exitValue()).as("exit status; child log: %s", log).isZero();
            assertThat(String.join("\n", log)).contains("event=tcp_listening", "event=tcp_closed clean=true", "event=shutdown_started",
                "event=http_stopped_accepting", "event=database_closed", "event=shutdown_complete clean=true");
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        try (Tidemark reopened = Tidemark.open(TidemarkConfig.defaults(data))) {
            assertThat(reopened.blocks("default")).as("the child's flush wrote a block").isNotEmpty();
            final SeriesSet set = reopened.queryable("default")
                .select(List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "kept")), T0, T0 + 1_000_000L);
            assertThat(set.next()).isTrue();
            assertThat(set.samples(new SampleBuffer(128))).isEqualTo(100);
        }
    }
}
