package io.tidemark.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.client.ClientConfig;
import io.tidemark.client.Durability;
import io.tidemark.client.Series;
import io.tidemark.client.SeriesWriter;
import io.tidemark.client.TidemarkClient;
import io.tidemark.client.WriteResult;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.server.TidemarkServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the Java client writes through a server in a child JVM with durable acknowledgements, PromQL over HTTP
 * sees the data, the server is killed with SIGKILL while writes are in flight, and every sample that was acknowledged
 * is in the database afterwards, with its value.
 */
class TcpCrashTest {
    private static final Pattern HTTP = Pattern.compile("event=http_listening host=\\S+ port=(\\d+)");
    private static final Pattern TCP = Pattern.compile("event=tcp_listening host=\\S+ port=(\\d+)");
    private static final long T0 = 1_700_000_000_000L;
    private static final int WRITERS = 2;
    private static final int SERIES_PER_WRITER = 50;

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryAcknowledgedSampleAcrossASigkill() throws Exception {
        final Path data = dir.resolve("data");
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-Xmx512m",
            "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
            TidemarkServer.class.getName(), "--data-dir", data.toString(), "--http-host", "127.0.0.1",
            "--http-port", "0", "--tcp-port", "0"));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final List<String> log = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> httpPort = new CompletableFuture<>();
        final CompletableFuture<Integer> tcpPort = new CompletableFuture<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    log.add(line);
                    final Matcher http = HTTP.matcher(line);
                    if (http.find()) {
                        httpPort.complete(Integer.parseInt(http.group(1)));
                    }
                    final Matcher tcp = TCP.matcher(line);
                    if (tcp.find()) {
                        tcpPort.complete(Integer.parseInt(tcp.group(1)));
                    }
                }
            } catch (final java.io.IOException ignored) {
                // the child is gone
            }
            httpPort.complete(-1);
            tcpPort.complete(-1);
        });
        reader.start();
        final AtomicLongArray acknowledgedRounds = new AtomicLongArray(WRITERS);
        final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        try {
            assertThat(tcpPort.get(60, TimeUnit.SECONDS)).as("child log: %s", log).isPositive();
            try (TidemarkClient client = TidemarkClient.connect(ClientConfig.builder().host("127.0.0.1")
                .port(tcpPort.get()).tenant("crash").clientName("crash-test").requestTimeout(Duration.ofSeconds(5))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build())) {
                final List<Thread> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    final int writerIndex = w;
                    writers.add(Thread.ofPlatform().start(() -> write(client, writerIndex, acknowledgedRounds, unexpected)));
                }
                Thread.sleep(1_500);
                final String answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + httpPort.get() + "/api/v1/query?query=count(crash_total)&time=" + (T0 / 1000 + 1))).header("X-Scope-OrgID", "crash").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
                assertThat(answer).as("PromQL over HTTP sees what the client wrote")
                    .contains("\"value\":[").contains("\"" + WRITERS * SERIES_PER_WRITER + "\"");
                Thread.sleep(1_000);
                child.destroyForcibly(); // SIGKILL, writes in flight
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                for (final Thread writer : writers) {
                    writer.join(TimeUnit.SECONDS.toMillis(30));
                }
            }
            assertThat(unexpected).as("failures other than losing the server").isEmpty();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(acknowledgedRounds.get(0) + acknowledgedRounds.get(1)).as("rounds acknowledged").isGreaterThan(10);
        try (Tidemark reopened = Tidemark.open(TidemarkConfig.defaults(data))) {
            final SeriesSet set = reopened.queryable("crash")
                .select(List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "crash_total")), T0, Long.MAX_VALUE);
            final SampleBuffer samples = new SampleBuffer(1024);
            final Map<String, Integer> checked = new HashMap<>();
            while (set.next()) {
                final int writer = Integer.parseInt(set.labels().get("writer"));
                final int series = Integer.parseInt(set.labels().get("series"));
                final int count = set.samples(samples);
                final long acknowledged = acknowledgedRounds.get(writer);
                assertThat((long) count).as("samples of writer %d series %d", writer, series).isGreaterThanOrEqualTo(acknowledged);
                for (int round = 0; round < acknowledged; round++) {
                    assertThat(samples.timestamps()[round]).isEqualTo(T0 + round * 1_000L);
                    assertThat(samples.values()[round]).isEqualTo(value(writer, series, round));
                }
                checked.merge("series", 1, Integer::sum);
            }
            assertThat(checked.get("series")).isEqualTo(WRITERS * SERIES_PER_WRITER);
        }
        System.out.println("tcp crash test: acknowledged rounds per writer " + acknowledgedRounds);
    }

    private static double value(final int writer, final int series, final long round) {
        return writer * 1_000_000.0 + series * 1_000 + round;
    }

    /** Writes rounds with durable acknowledgements until the server is gone; records the last round acknowledged. */
    private static void write(final TidemarkClient client, final int writer, final AtomicLongArray acknowledged,
                              final List<Throwable> unexpected) {
        final SeriesWriter out = client.writer();
        final Series[] series = new Series[SERIES_PER_WRITER];
        for (int s = 0; s < series.length; s++) {
            series[s] = out.series("__name__", "crash_total", "writer", Integer.toString(writer), "series", Integer.toString(s));
        }
        for (long round = 0; ; round++) {
            for (int s = 0; s < series.length; s++) {
                out.add(series[s], T0 + round * 1_000L, value(writer, s, round));
            }
            try {
                final WriteResult result = out.flushAndWait(Durability.DURABLE, Duration.ofSeconds(5));
                if (result.refused() != 0) {
                    unexpected.add(new AssertionError("refused: " + result));
                    return;
                }
                acknowledged.set(writer, round + 1);
            } catch (final RuntimeException gone) {
                return; // the server was killed: what was not acknowledged may or may not be stored
            }
        }
    }
}
