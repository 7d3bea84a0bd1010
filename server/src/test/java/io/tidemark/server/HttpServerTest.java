package io.tidemark.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP machinery without a database: back-pressure, readiness, read deadline, routing. */
class HttpServerTest {
    private HttpServer server;
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close(5_000);
        }
    }

    private int start(final Router router, final String... flags) throws Exception {
        final String[] all = new String[flags.length + 4];
        System.arraycopy(new String[] {"--http-host", "127.0.0.1", "--http-port", "0"}, 0, all, 0, 4);
        System.arraycopy(flags, 0, all, 4, flags.length);
        server = new HttpServer(SettingsParser.parse(all, Map.of()), router);
        return server.start();
    }

    private HttpHandler.Response blockUntilReleased(final ApiRequest request, final JsonWriter json) {
        entered.countDown();
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        json.raw("{\"status\":\"success\",\"data\":null}");
        return HttpHandler.Response.OK_JSON;
    }

    /** Lets the blocked handlers go in 300 ms, from another thread. */
    private void releaseSoon() {
        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(300);
            } catch (final InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });
    }

    @Test
    void shouldAnswer503WhenEveryQueryThreadIsBusyAndTheQueueIsFull() throws Exception {
        final Router router = new Router().add("GET", "/slow", this::blockUntilReleased, true);
        final int port = start(router, "--query-threads", "1", "--query-queue", "0");
        final HttpClient client = HttpClient.newHttpClient();
        final URI uri = URI.create("http://127.0.0.1:" + port + "/slow");
        final CompletableFuture<HttpResponse<String>> first = client.sendAsync(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        final HttpResponse<String> second = client.send(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":"
            + "\"too many requests in flight: every query thread is busy and the queue is full\"}");
        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRunWritesOnTheirOwnThreadsSoThatQueriesAreAnsweredWhileEveryWriteWaits() throws Exception {
        final Router router = new Router().addWrite("POST", "/write", this::blockUntilReleased)
            .add("GET", "/query", (request, json) -> {
                json.raw("{\"status\":\"success\",\"data\":\"" + Thread.currentThread().getName() + "\"}");
                return HttpHandler.Response.OK_JSON;
            }, true);
        final int port = start(router, "--query-threads", "1", "--write-threads", "1", "--query-queue", "0");
        final HttpClient client = HttpClient.newHttpClient();
        final URI write = URI.create("http://127.0.0.1:" + port + "/write");
        final CompletableFuture<HttpResponse<String>> first = client.sendAsync(
            HttpRequest.newBuilder(write).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        // the only write thread waits: a query still runs, on the query thread
        final HttpResponse<String> query = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/query"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(query.statusCode()).isEqualTo(200);
        assertThat(query.body()).contains("tidemark-query-");
        final HttpResponse<String> second = client.send(HttpRequest.newBuilder(write).POST(HttpRequest.BodyPublishers.noBody())
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.body()).contains("every write thread is busy and the queue is full");
        // close waits for the write in flight too
        releaseSoon();
        assertThat(server.close(10_000)).as("drained").isTrue();
        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        server = null;
    }

    @Test
    void shouldWaitForRequestsInFlightOnClose() throws Exception {
        final Router router = new Router().add("GET", "/slow", this::blockUntilReleased, true);
        final int port = start(router);
        final CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        releaseSoon();
        assertThat(server.close(10_000)).as("drained").isTrue();
        assertThat(inFlight.get(30, TimeUnit.SECONDS).body()).isEqualTo("{\"status\":\"success\",\"data\":null}");
        server = null;
    }

    @Test
    void shouldAnswer503UntilReadyAndWhileTheDatabaseIsOpening() throws Exception {
        final Router router = new Router();
        new StatusApi(() -> {
            throw new ApiException(503, "unavailable", "not ready: the database is still opening");
        }, () -> false).register(router);
        final int port = start(router);
        final HttpClient client = HttpClient.newHttpClient();
        final HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/-/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/healthy")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        final HttpResponse<String> tsdb = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/v1/status/tsdb")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tsdb.statusCode()).isEqualTo(503);
        assertThat(tsdb.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":"
            + "\"not ready: the database is still opening\"}");
    }

    @Test
    void shouldCloseAConnectionThatSendsItsRequestTooSlowly() throws Exception {
        final int port = start(new Router(), "--http-read-timeout", "300ms");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write("GET /-/healthy HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final long started = System.nanoTime();
            final InputStream in = socket.getInputStream();
            assertThat(in.read()).as("closed without an answer").isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(200L, 9_000L);
        }
    }

    @Test
    void shouldRejectAnOverlongRequestLine() throws Exception {
        final int port = start(new Router().add("GET", "/x", (r, j) -> HttpHandler.Response.OK_JSON, false));
        final HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/x?q=" + "a".repeat(HttpServer.MAX_INITIAL_LINE))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("connection")).contains("close");
        assertThat(answer.body()).startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"malformed request");
    }

    @Test
    void routerShouldMatchPatternSegmentsAndReportAllowedMethods() {
        final HttpHandler handler = (r, j) -> HttpHandler.Response.OK_JSON;
        final Router router = new Router().add("GET", "/api/v1/label/{name}/values", handler, false)
            .add("POST", "/a", handler, true).add("GET", "/a", handler, true);
        assertThat(router.match("GET", "/api/v1/label/job/values").pathValue()).isEqualTo("job");
        assertThat(router.match("GET", "/api/v1/label//values").route()).isNull();
        assertThat(router.match("GET", "/api/v1/label/a/b/values").allowed()).isEmpty();
        assertThat(router.match("PUT", "/a").allowed()).containsExactly("GET", "POST");
        assertThat(router.match("GET", "/b").allowed()).isEmpty();
    }
}
