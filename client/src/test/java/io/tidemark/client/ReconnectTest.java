package io.tidemark.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.QueryFrame;
import io.tidemark.client.protocol.QueryResultFrame;
import io.tidemark.client.protocol.RegisterFrame;
import io.tidemark.client.protocol.WriteFrame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReconnectTest {
    private FakeServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeServer();
        server.on(MessageType.QUERY, (conn, frame) -> {
            if (conn.index > 0) {
                conn.send(new QueryResultFrame(((QueryFrame) frame).requestId(), QueryResultFrame.SCALAR, false,
                    List.of(), 0, conn.index, null, List.of())::encode);
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private ClientConfig.Builder config() {
        return server.config().reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    @Test
    void shouldFailWhatIsPendingRetryablyThenReconnectRegisterAgainAndWrite() throws Exception {
        server.on(MessageType.WRITE, (conn, frame) -> {
            if (conn.index > 0) {
                conn.ackAll((WriteFrame.Columns) frame);
            }
        });
        try (TidemarkClient client = TidemarkClient.connect(config().build())) {
            final SeriesWriter writer = client.writer();
            final Series a = writer.series("__name__", "m", "host", "a");
            final Series b = writer.series("__name__", "m", "host", "b");
            writer.add(a, 1, 1);
            writer.add(b, 1, 2);
            final CompletableFuture<WriteResult> write = Async.call(
                () -> writer.flushAndWait(Durability.APPLIED, Duration.ofSeconds(5)));
            final CompletableFuture<QueryResult> query = Async.call(() -> client.query("up", 0));
            server.take(MessageType.WRITE);
            server.take(MessageType.QUERY);
            server.take(MessageType.REGISTER);

            server.dropConnections();
            for (final CompletableFuture<?> pending : List.of(write, query)) {
                assertThatThrownBy(() -> pending.get(3, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.code()).isEqualTo(TidemarkException.CONNECTION_LOST);
                        assertThat(e.retryable()).isTrue();
                    });
            }
            assertThat(writer.size()).as("the failed flush keeps its samples").isEqualTo(2);
            assertThat(client.metrics().writesFailed()).isEqualTo(1);

            Eventually.within(3000, "reconnected", () -> client.isConnected() && server.connections.size() == 2);
            assertThat(client.metrics().reconnects()).isEqualTo(1);
            final FakeServer.Received again = server.take(MessageType.REGISTER);
            assertThat(again.conn().index).isEqualTo(1);
            assertThat(((RegisterFrame) again.frame()).entries()).extracting(RegisterFrame.Entry::handle)
                .containsExactly(a.handle(), b.handle());

            final WriteResult retried = writer.flushAndWait(Durability.APPLIED, Duration.ofSeconds(2));
            assertThat(retried.stored()).isEqualTo(2);
            final FakeServer.Received sent = server.take(MessageType.WRITE);
            assertThat(sent.conn().index).isEqualTo(1);
            assertThat(server.pending(MessageType.REGISTER)).as("registered once on the new connection").isZero();
            assertThat(client.query("up", 0).scalar()).isEqualTo(1.0);
        }
    }

    @Test
    void shouldLetACallMadeWhileDisconnectedWaitForTheReconnection() throws Exception {
        server.on(MessageType.HELLO, (conn, frame) -> {
            if (conn.index > 0) {
                try {
                    Thread.sleep(300);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            conn.send(server.welcome::encode);
        });
        try (TidemarkClient client = TidemarkClient.connect(config().build())) {
            server.dropConnections();
            Eventually.within(2000, "disconnection seen", () -> !client.isConnected());
            final long start = System.nanoTime();
            assertThat(client.query("up", 0).scalar()).isEqualTo(1.0);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(200);
        }
    }

    @Test
    void shouldFailClearlyWhenNoConnectionComesBackWithinTheRequestTimeout() throws Exception {
        try (TidemarkClient client = TidemarkClient.connect(config().requestTimeout(Duration.ofMillis(400)).build())) {
            server.close();
            Eventually.within(2000, "disconnection seen", () -> !client.isConnected());
            final long start = System.nanoTime();
            assertThatThrownBy(() -> client.query("up", 0)).isInstanceOfSatisfying(TidemarkException.class, e -> {
                assertThat(e.code()).isEqualTo(TidemarkException.NOT_CONNECTED);
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).contains("127.0.0.1:" + server.port());
            });
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(350L, 3000L);
        }
    }

    @Test
    void shouldReconnectAfterAConnectionErrorButStopWhenTheTokenIsRefused() throws Exception {
        try (TidemarkClient client = TidemarkClient.connect(config().build())) {
            final FakeServer.Conn first = server.connections.get(0);
            first.error(0, ErrorCode.SHUTTING_DOWN, "restarting");
            first.close();
            Eventually.within(3000, "reconnected", () -> client.isConnected() && server.connections.size() == 2);

            server.on(MessageType.HELLO, (conn, frame) -> {
                conn.error(0, ErrorCode.AUTH_FAILED, "key revoked");
                conn.close();
            });
            server.connections.get(1).close();
            Eventually.within(3000, "a refused reconnection", () -> server.connections.size() == 3);
            final long start = System.nanoTime();
            assertThatThrownBy(() -> client.query("up", 0)).isInstanceOfSatisfying(TidemarkException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED);
                assertThat(e.retryable()).isFalse();
            });
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("fails at once").isLessThan(2000);
            Thread.sleep(300);
            assertThat(server.connections).as("no more attempts after AUTH_FAILED").hasSize(3);
        }
    }
}
