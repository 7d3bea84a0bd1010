package io.tidemark.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.PingFrame;
import io.tidemark.client.protocol.WelcomeFrame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeartbeatTest extends FakeServerTestBase {
    @Test
    void shouldPingAThirdOfTheIdleTimeoutAfterTheLastSendAndStayConnected() throws Exception {
        server.welcome = new WelcomeFrame(1, 0, 1 << 20, 1000, 1000, 16, 300, "fake");
        final long start = System.nanoTime();
        try (TidemarkClient client = TidemarkClient.connect(server.config().build())) {
            server.take(MessageType.PING);
            final long firstPingMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(firstPingMillis).isBetween(90L, 1000L);
            server.take(MessageType.PING);
            server.take(MessageType.PING);
            assertThat(client.isConnected()).isTrue();
            assertThat(client.metrics().reconnects()).isZero();
            assertThat(server.connections).hasSize(1);
        }
    }

    @Test
    void shouldUseAConfiguredHeartbeatInterval() throws Exception {
        try (TidemarkClient client = TidemarkClient.connect(server.config().heartbeatInterval(Duration.ofMillis(50))
            .build())) {
            final long start = System.nanoTime();
            server.take(MessageType.PING);
            server.take(MessageType.PING);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
            assertThat(client.ping(Duration.ofSeconds(1))).isPositive();
        }
    }

    @Test
    void shouldDeclareTheConnectionDeadWhenNoPongComesAndReconnect() throws Exception {
        server.welcome = new WelcomeFrame(1, 0, 1 << 20, 1000, 1000, 16, 300, "fake");
        server.on(MessageType.PING, (conn, frame) -> {
            if (conn.index > 0) {
                conn.send(out -> PingFrame.encode(out, MessageType.PONG, (Long) frame));
            }
        });
        try (TidemarkClient client = TidemarkClient.connect(server.config()
            .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(100)).build())) {
            Eventually.within(3000, "a second connection", () -> server.connections.size() == 2);
            Eventually.within(3000, "connected again", client::isConnected);
            assertThat(server.connections.get(0).closed()).isTrue();
            assertThat(client.metrics().reconnects()).isEqualTo(1);
            Thread.sleep(400); // the new connection answers its PINGs: it stays
            assertThat(server.connections).hasSize(2);
        }
    }
}
