package io.tidemark.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.GoodbyeFrame;
import io.tidemark.client.protocol.HelloFrame;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.QueryFrame;
import io.tidemark.client.protocol.WelcomeFrame;
import io.tidemark.client.protocol.WriteAckFrame;
import io.tidemark.client.protocol.WriteFrame;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TidemarkClientConnectionTest extends FakeServerTestBase {
    @Test
    void shouldSayHelloAndApplyTheWelcomeLimits() throws Exception {
        server.welcome = new WelcomeFrame(1, 0, 2 << 20, 1000, 500, 8, 60_000, "fake 2");
        try (TidemarkClient client = TidemarkClient.connect(server.config().tenant("team-a").token("secret")
            .clientName("test-client").build())) {
            final HelloFrame hello = (HelloFrame) server.take(MessageType.HELLO).frame();
            assertThat(hello).isEqualTo(new HelloFrame(1, 1, "test-client", "team-a", "secret"));
            assertThat(client.isConnected()).isTrue();
            assertThat(client.serverLimits()).isEqualTo(server.welcome);
            // A query frame bigger than the handshake limit goes out: the writer took WELCOME's 2 MiB.
            server.on(MessageType.QUERY, (conn, frame) -> conn.error(
                ((QueryFrame) frame).requestId(), ErrorCode.BAD_QUERY, "too long"));
            assertThatThrownBy(() -> client.query("x".repeat(65_000), 0))
                .isInstanceOfSatisfying(TidemarkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_QUERY));
        }
    }

    @Test
    void shouldFailClearlyWhenTheServerRefusesTheToken() {
        server.on(MessageType.HELLO, (conn, frame) -> {
            conn.error(0, ErrorCode.AUTH_FAILED, "not a valid API key");
            conn.close();
        });
        assertThatThrownBy(() -> TidemarkClient.connect(server.config().token("wrong").build()))
            .isInstanceOfSatisfying(TidemarkException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED);
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage()).contains("AUTH_FAILED").contains("not a valid API key");
            });
    }

    @Test
    void shouldTimeOutWhenNoWelcomeComes() {
        server.on(MessageType.HELLO, (conn, frame) -> { });
        final long start = System.nanoTime();
        assertThatThrownBy(() -> TidemarkClient.connect(server.config().connectTimeout(Duration.ofMillis(300)).build()))
            .isInstanceOfSatisfying(TidemarkException.class, e -> {
                assertThat(e.code()).isEqualTo(TidemarkException.TIMEOUT);
                assertThat(e.retryable()).isTrue();
            });
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 3000L);
    }

    @Test
    void shouldFailToConnectWhenNothingListens() throws Exception {
        final int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        assertThatThrownBy(() -> TidemarkClient.connect(ClientConfig.builder().host("127.0.0.1").port(port).build()))
            .isInstanceOfSatisfying(TidemarkException.class,
                e -> assertThat(e.code()).isEqualTo(TidemarkException.CONNECTION_LOST));
    }

    @Test
    void shouldCloseWithGoodbyeAfterThePendingAcks() throws Exception {
        final List<WriteFrame.Columns> held = new CopyOnWriteArrayList<>();
        server.on(MessageType.WRITE, (conn, frame) -> held.add((WriteFrame.Columns) frame));
        server.on(MessageType.GOODBYE, (conn, frame) -> {
            for (final WriteFrame.Columns write : held) {
                conn.send(out -> {
                    WriteAckFrame.encodeHead(out, write.requestId(), write.durability(), 0, 0, 1, 0, 1);
                    out.end();
                });
            }
            conn.send(out -> GoodbyeFrame.encode(out, MessageType.SERVER_GOODBYE));
            conn.close();
        });
        final TidemarkClient client = TidemarkClient.connect(server.config().build());
        final SeriesWriter writer = client.writer();
        writer.add(writer.series("__name__", "up"), 1000, 1);
        final CompletableFuture<WriteResult> pending = writer.flushAsync(Durability.DURABLE);
        server.take(MessageType.WRITE);
        assertThat(pending).isNotDone();

        client.close();
        assertThat(server.take(MessageType.GOODBYE)).isNotNull();
        assertThat(pending.get(1, TimeUnit.SECONDS).stored()).isEqualTo(1);
        assertThat(client.isConnected()).isFalse();
        assertThatThrownBy(() -> client.query("up", 0)).isInstanceOfSatisfying(TidemarkException.class,
            e -> assertThat(e.code()).isEqualTo(TidemarkException.CLOSED));
        client.close(); // idempotent
        Eventually.within(2000, "the reader thread stops", () -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().startsWith("tidemark-client-reader")));
    }

    @Test
    void shouldFailWhatIsPendingAsClosedWhenTheServerNeverSaysGoodbye() throws Exception {
        server.on(MessageType.WRITE, (conn, frame) -> { });
        server.on(MessageType.GOODBYE, (conn, frame) -> { });
        final TidemarkClient client = TidemarkClient.connect(server.config().closeTimeout(Duration.ofMillis(200))
            .build());
        final SeriesWriter writer = client.writer();
        writer.add(writer.series("__name__", "up"), 1000, 1);
        final CompletableFuture<WriteResult> pending = writer.flushAsync(Durability.APPLIED);
        server.take(MessageType.WRITE);
        client.close();
        assertThat(pending).isCompletedExceptionally();
        assertThatThrownBy(pending::join).hasCauseInstanceOf(TidemarkException.class)
            .cause().satisfies(e -> {
                assertThat(((TidemarkException) e).code()).isEqualTo(TidemarkException.CLOSED);
                assertThat(((TidemarkException) e).retryable()).isFalse();
            });
        assertThat(client.metrics().writesFailed()).isEqualTo(1);
        assertThat(client.metrics().inFlightWrites()).isZero();
    }
}
