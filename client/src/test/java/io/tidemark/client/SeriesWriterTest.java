package io.tidemark.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.RegisterFrame;
import io.tidemark.client.protocol.RegisteredFrame;
import io.tidemark.client.protocol.WelcomeFrame;
import io.tidemark.client.protocol.WriteAckFrame;
import io.tidemark.client.protocol.WriteFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SeriesWriterTest extends FakeServerTestBase {
    @Test
    void shouldRegisterLazilyThenWriteAndMapRefusalsToTheirSeries() throws Exception {
        server.on(MessageType.WRITE, (conn, frame) -> {
            final WriteFrame.Columns write = (WriteFrame.Columns) frame;
            conn.send(out -> {
                WriteAckFrame.encodeHead(out, write.requestId(), write.durability(), 0, 1, 2, 2, 4);
                WriteAckFrame.encodeDetail(out, write.handles()[3], ErrorCode.REFUSED_OUT_OF_ORDER, 2, 500);
                out.end();
            });
        });
        try (TidemarkClient client = TidemarkClient.connect(server.config().build())) {
            final SeriesWriter writer = client.writer();
            final Series a = writer.series("host", "a", "__name__", "cpu", "zone", "");
            final Series b = writer.series("__name__", "cpu", "host", "b");
            assertThat(server.poll(MessageType.REGISTER, 100)).as("registration waits for a flush").isNull();
            writer.add(a, 1000, 1.0);
            writer.add(a, 2000, 2.0);
            writer.add(b, 1000, 3.0);
            writer.add(b, 500, 4.0);
            final WriteResult result = writer.flushAndWait(Durability.DURABLE, Duration.ofSeconds(2));

            final RegisterFrame register = (RegisterFrame) server.take(MessageType.REGISTER).frame();
            assertThat(register.entries()).hasSize(2);
            assertThat(register.entries().get(0).labels()).containsExactly("__name__", "cpu", "host", "a");
            assertThat(register.entries().get(1).labels()).containsExactly("__name__", "cpu", "host", "b");
            final WriteFrame.Columns write = (WriteFrame.Columns) server.take(MessageType.WRITE).frame();
            assertThat(write.durability()).isEqualTo(WriteFrame.DURABLE);
            assertThat(write.handles()).containsExactly(a.handle(), a.handle(), b.handle(), b.handle());
            assertThat(write.timestamps()).containsExactly(1000, 2000, 1000, 500);
            assertThat(write.values()).containsExactly(1.0, 2.0, 3.0, 4.0);

            assertThat(result.stored()).isEqualTo(2);
            assertThat(result.refused()).isEqualTo(2);
            assertThat(result.allStored()).isFalse();
            assertThat(result.requestIds()).containsExactly(write.requestId());
            assertThat(result.refusals()).singleElement().satisfies(r -> {
                assertThat(r.series()).isSameAs(b);
                assertThat(r.reason()).isEqualTo("OUT_OF_ORDER");
                assertThat(r.samples()).isEqualTo(2);
                assertThat(r.firstTimestamp()).isEqualTo(500);
            });
            assertThat(writer.size()).isZero();
            assertThat(client.metrics().samplesAcknowledged()).isEqualTo(2);
            assertThat(client.metrics().samplesRefused()).isEqualTo(2);
            assertThat(client.metrics().ackCount()).isEqualTo(1);
            assertThat(client.metrics().ackLatencyMaxNanos()).isPositive();
            assertThat(client.metrics().ackLatencyP50Nanos()).isLessThanOrEqualTo(client.metrics().ackLatencyP999Nanos());

            writer.add(a, 3000, 5.0);
            writer.add(b, 3000, 6.0);
            writer.add(a, 4000, 7.0);
            writer.add(b, 4000, 8.0);
            writer.flushAndWait();
            assertThat(server.take(MessageType.WRITE)).isNotNull();
            assertThat(server.pending(MessageType.REGISTER)).as("known handles are not registered again").isZero();
        }
    }

    @Test
    void shouldNormalizeAndValidateLabelsBeforeTheServerSeesThem() throws Exception {
        try (TidemarkClient client = TidemarkClient.connect(server.config().build())) {
            final SeriesWriter writer = client.writer();
            final Series s = writer.series("b", "2", "a", "1", "__name__", "m", "empty", "");
            assertThat(s.labels()).containsExactly(Map.entry("__name__", "m"), Map.entry("a", "1"),
                Map.entry("b", "2"));
            assertThat(client.writer().series("__name__", "m", "a", "1", "b", "2")).as("same labels, same series")
                .isSameAs(s);
            // Unsigned UTF-8 byte order puts U+00E9 (0xC3 0xA9) after 'z', as the server wants.
            assertThat(writer.series("__name__", "m", "\u00e9", "x", "z", "y").labels().keySet())
                .containsExactly("__name__", "z", "\u00e9");
            assertThatThrownBy(() -> writer.series("job", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("__name__");
            assertThatThrownBy(() -> writer.series("__name__", "m", "a", "1", "a", "2"))
                .hasMessageContaining("duplicated label a");
            assertThatThrownBy(() -> writer.series("__name__", "m", "", "1")).hasMessageContaining("empty label name");
            assertThatThrownBy(() -> writer.series("__name__", "m", "a", "\uD800")).hasMessageContaining("UTF-8");
            assertThatThrownBy(() -> writer.series("__name__", "m", "odd")).hasMessageContaining("pairs");
            final String[] many = new String[2 * 65];
            for (int i = 0; i < 65; i++) {
                many[2 * i] = i == 0 ? "__name__" : "l" + i;
                many[2 * i + 1] = "v";
            }
            assertThatThrownBy(() -> writer.series(many)).hasMessageContaining("limit of 64");
            try (TidemarkClient other = TidemarkClient.connect(server.config().build())) {
                final Series foreign = other.writer().series("__name__", "m");
                assertThatThrownBy(() -> writer.add(foreign, 1, 1)).hasMessageContaining("another client");
            }
        }
    }

    @Test
    void shouldPipelineSeveralFlushesBeforeAnyAckAndTakeTheAcksInOrder() throws Exception {
        final List<WriteFrame.Columns> held = new ArrayList<>();
        server.on(MessageType.WRITE, (conn, frame) -> {
            synchronized (held) {
                held.add((WriteFrame.Columns) frame);
            }
        });
        try (TidemarkClient client = TidemarkClient.connect(server.config().build())) {
            final SeriesWriter writer = client.writer();
            final Series s = writer.series("__name__", "m");
            final long[] ids = new long[3];
            for (int i = 0; i < 3; i++) {
                writer.add(s, i * 10, i);
                writer.add(s, i * 10 + 1, i);
                ids[i] = writer.flush(Durability.APPLIED);
            }
            assertThat(ids[0]).isLessThan(ids[1]);
            assertThat(ids[1]).isLessThan(ids[2]);
            Eventually.within(2000, "three WRITEs held", () -> {
                synchronized (held) {
                    return held.size() == 3;
                }
            });
            assertThat(client.metrics().inFlightWrites()).isEqualTo(3);
            assertThat(client.metrics().inFlightSamples()).isEqualTo(6);
            final FakeServer.Conn conn = server.connections.get(0);
            for (final WriteFrame.Columns write : held) {
                assertThat(write.requestId()).isIn(ids[0], ids[1], ids[2]);
                conn.ackAll(write);
            }
            final WriteResult result = writer.awaitAcks(Duration.ofSeconds(2));
            assertThat(result.requestIds()).containsExactly(ids);
            assertThat(result.stored()).isEqualTo(6);
            assertThat(result.failures()).isEmpty();
            assertThat(client.metrics().inFlightWrites()).isZero();
            assertThat(client.metrics().samplesAcknowledged()).isEqualTo(6);
        }
    }

    @Test
    void shouldNeverSendPastTheCreditsAndBlockUntilAnAckReturnsThem() throws Exception {
        server.welcome = new WelcomeFrame(1, 0, 1 << 20, 10, 1000, 256, 30_000, "fake");
        final AtomicLong outstanding = new AtomicLong();
        final AtomicLong mostOutstanding = new AtomicLong();
        final List<WriteFrame.Columns> held = new ArrayList<>();
        server.on(MessageType.WRITE, (conn, frame) -> {
            final WriteFrame.Columns write = (WriteFrame.Columns) frame;
            mostOutstanding.accumulateAndGet(outstanding.addAndGet(write.handles().length), Math::max);
            synchronized (held) {
                held.add(write);
            }
        });
        try (TidemarkClient client = TidemarkClient.connect(server.config().build())) {
            final SeriesWriter writer = client.writer();
            final Series s = writer.series("__name__", "m");
            for (int i = 0; i < 25; i++) {
                writer.add(s, i, i);
            }
            final CompletableFuture<WriteResult> flushed = Async.call(
                () -> writer.flushAndWait(Durability.APPLIED, Duration.ofSeconds(5)));
            final FakeServer.Conn conn = server.connections.get(0);
            final int[] expected = {10, 10, 5};
            for (final int n : expected) {
                Eventually.within(2000, "a WRITE of " + n, () -> {
                    synchronized (held) {
                        return !held.isEmpty();
                    }
                });
                Thread.sleep(100); // time for a WRITE past the credits to show up, if the client sent one
                final WriteFrame.Columns write;
                synchronized (held) {
                    assertThat(held).hasSize(1);
                    write = held.remove(0);
                }
                assertThat(write.handles()).hasSize(n);
                assertThat(flushed).isNotDone();
                outstanding.addAndGet(-n);
                conn.ackAll(write);
            }
            assertThat(flushed.get(2, TimeUnit.SECONDS).stored()).isEqualTo(25);
            assertThat(mostOutstanding.get()).isEqualTo(10);
        }
    }

    @Test
    void shouldNeverHaveMoreWritesInFlightThanTheServerAllows() throws Exception {
        server.welcome = new WelcomeFrame(1, 0, 1 << 20, 1000, 1000, 2, 30_000, "fake");
        final List<WriteFrame.Columns> held = new ArrayList<>();
        server.on(MessageType.WRITE, (conn, frame) -> {
            synchronized (held) {
                held.add((WriteFrame.Columns) frame);
            }
        });
        try (TidemarkClient client = TidemarkClient.connect(server.config().build())) {
            final SeriesWriter writer = client.writer();
            final Series s = writer.series("__name__", "m");
            writer.add(s, 1, 1);
            writer.flush();
            writer.add(s, 2, 2);
            writer.flush();
            writer.add(s, 3, 3);
            final CompletableFuture<Long> third = Async.call(writer::flush);
            Thread.sleep(200);
            assertThat(third).isNotDone();
            synchronized (held) {
                assertThat(held).hasSize(2);
                server.connections.get(0).ackAll(held.get(0));
            }
            assertThat(third.get(2, TimeUnit.SECONDS)).isPositive();
        }
    }

    @Test
    void shouldFailTheFlushWithARetryableErrorKeepTheSamplesAndGetTheCreditsBack() throws Exception {
        server.welcome = new WelcomeFrame(1, 0, 1 << 20, 10, 1000, 256, 30_000, "fake");
        server.on(MessageType.WRITE, (conn, frame) -> conn.error(((WriteFrame.Columns) frame).requestId(),
            ErrorCode.OVERLOADED, "the ingest ring stayed full"));
        try (TidemarkClient client = TidemarkClient.connect(server.config().build())) {
            final SeriesWriter writer = client.writer();
            final Series s = writer.series("__name__", "m");
            for (int i = 0; i < 10; i++) {
                writer.add(s, i, i);
            }
            assertThatThrownBy(() -> writer.flushAndWait(Durability.APPLIED, Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("ingest ring");
                });
            assertThat(writer.size()).as("kept for a retry").isEqualTo(10);
            assertThat(client.metrics().writesFailed()).isEqualTo(1);
            assertThat(client.metrics().samplesFailed()).isEqualTo(10);

            server.on(MessageType.WRITE, (conn, frame) -> conn.error(((WriteFrame.Columns) frame).requestId(),
                ErrorCode.UNAVAILABLE, "disk full"));
            final CompletableFuture<WriteResult> async = writer.flushAsync(Durability.DURABLE);
            assertThat(writer.size()).as("sent, so no longer buffered").isZero();
            assertThatThrownBy(() -> async.get(2, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.retryable()).isTrue();
                });

            // All 10 credits came back twice over: a full write goes out at once.
            server.on(MessageType.WRITE, (conn, frame) -> conn.ackAll((WriteFrame.Columns) frame));
            for (int i = 0; i < 10; i++) {
                writer.add(s, i, i);
            }
            assertThat(writer.flushAndWait(Durability.APPLIED, Duration.ofSeconds(2)).stored()).isEqualTo(10);
        }
    }

    @Test
    void shouldSplitABatchLargerThanAFrameIntoSeveralWrites() throws Exception {
        server.welcome = new WelcomeFrame(1, 0, 65_536, 1 << 20, 1000, 256, 30_000, "fake");
        try (TidemarkClient client = TidemarkClient.connect(server.config().build())) {
            final SeriesWriter writer = client.writer();
            final Series s = writer.series("__name__", "m");
            for (int i = 0; i < 10_000; i++) {
                writer.add(s, i, i);
            }
            final WriteResult result = writer.flushAndWait(Durability.APPLIED, Duration.ofSeconds(3));
            assertThat(result.stored()).isEqualTo(10_000);
            assertThat(result.requestIds()).hasSize(4);
            long total = 0;
            long nextTimestamp = 0;
            for (int i = 0; i < 4; i++) {
                final WriteFrame.Columns write = (WriteFrame.Columns) server.take(MessageType.WRITE).frame();
                assertThat(WriteFrame.frameBytes(write.handles().length)).isLessThanOrEqualTo(65_536);
                assertThat(write.timestamps()[0]).isEqualTo(nextTimestamp);
                nextTimestamp += write.timestamps().length;
                total += write.handles().length;
            }
            assertThat(total).isEqualTo(10_000);
        }
    }

    @Test
    void shouldReportARegistrationTheServerRefusedAndItsUnknownHandleSamples() throws Exception {
        server.on(MessageType.REGISTER, (conn, frame) -> {
            final RegisterFrame register = (RegisterFrame) frame;
            conn.send(new RegisteredFrame(register.requestId(), 0, List.of(new RegisteredFrame.Refusal(
                register.entries().get(0).handle(), ErrorCode.INVALID_LABELS, "label name is reserved")))::encode);
        });
        server.on(MessageType.WRITE, (conn, frame) -> {
            final WriteFrame.Columns write = (WriteFrame.Columns) frame;
            conn.send(out -> {
                WriteAckFrame.encodeHead(out, write.requestId(), write.durability(), 0, 1, 0, 1, 1);
                WriteAckFrame.encodeDetail(out, write.handles()[0], ErrorCode.REFUSED_UNKNOWN_HANDLE, 1, 7);
                out.end();
            });
        });
        try (TidemarkClient client = TidemarkClient.connect(server.config().build())) {
            final SeriesWriter writer = client.writer();
            final Series s = writer.series("__name__", "m", "__reserved", "x");
            writer.add(s, 7, 1);
            final WriteResult result = writer.flushAndWait();
            assertThat(result.refusals()).singleElement().satisfies(r -> {
                assertThat(r.series()).isSameAs(s);
                assertThat(r.reason()).isEqualTo("UNKNOWN_HANDLE");
            });
            assertThat(s.registrationError()).isEqualTo("INVALID_LABELS: label name is reserved");
        }
    }
}
