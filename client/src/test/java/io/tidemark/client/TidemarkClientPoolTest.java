package io.tidemark.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.client.protocol.MessageType;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TidemarkClientPoolTest extends FakeServerTestBase {
    @Test
    void shouldHandOutHealthyClientsRoundRobinAndSkipABrokenOne() throws Exception {
        final AtomicBoolean answerHello = new AtomicBoolean(true);
        server.on(MessageType.HELLO, (conn, frame) -> {
            if (answerHello.get()) {
                conn.send(server.welcome::encode);
            }
        });
        final ClientConfig config = server.config().poolSize(3).healthCheckInterval(Duration.ofMillis(100))
            .connectTimeout(Duration.ofMillis(200)).reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(50))
            .build();
        try (TidemarkClientPool pool = TidemarkClientPool.connect(config)) {
            assertThat(pool.clients()).hasSize(3);
            final Set<TidemarkClient> handedOut = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                handedOut.add(pool.client());
            }
            assertThat(handedOut).containsExactlyInAnyOrderElementsOf(pool.clients());

            final TidemarkClient broken = pool.clients().get(0);
            answerHello.set(false); // its reconnections time out in the handshake
            server.connections.get(0).close();
            Eventually.within(2000, "the pool sees it unhealthy", () -> pool.healthyCount() == 2);
            for (int i = 0; i < 10; i++) {
                assertThat(pool.client()).isNotSameAs(broken);
            }
            assertThat(server.take(MessageType.PING)).as("the health check pings").isNotNull();

            answerHello.set(true);
            Eventually.within(3000, "it reconnects and is handed out again", () -> pool.healthyCount() == 3);
            final Set<TidemarkClient> again = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                again.add(pool.client());
            }
            assertThat(again).contains(broken);
        }
        assertThat(server.pending(MessageType.GOODBYE)).as("close says GOODBYE on every connection").isEqualTo(3);
        // a connection the client gave up on in its handshake is seen closed by the fake server a moment later
        Eventually.within(2000, "every connection closed", () -> server.connections.stream().allMatch(FakeServer.Conn::closed));
    }

    @Test
    void shouldThrowWhenNoClientIsHealthy() throws Exception {
        try (TidemarkClientPool pool = TidemarkClientPool.connect(server.config().poolSize(2)
            .reconnectBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5)).build())) {
            server.close();
            Eventually.within(2000, "all disconnected", () -> pool.healthyCount() == 0);
            assertThatThrownBy(pool::client).isInstanceOfSatisfying(TidemarkException.class, e -> {
                assertThat(e.code()).isEqualTo(TidemarkException.NOT_CONNECTED);
                assertThat(e.retryable()).isTrue();
            });
        }
    }
}
