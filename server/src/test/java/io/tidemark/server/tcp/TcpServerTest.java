package io.tidemark.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.ErrorFrame;
import io.tidemark.client.protocol.FrameReader;
import io.tidemark.client.protocol.GoodbyeFrame;
import io.tidemark.client.protocol.HelloFrame;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.PingFrame;
import io.tidemark.client.protocol.QueryFrame;
import io.tidemark.client.protocol.QueryResultFrame;
import io.tidemark.client.protocol.RegisterFrame;
import io.tidemark.client.protocol.RegisteredFrame;
import io.tidemark.client.protocol.SelectEndFrame;
import io.tidemark.client.protocol.SelectFrame;
import io.tidemark.client.protocol.SelectSeriesFrame;
import io.tidemark.client.protocol.WelcomeFrame;
import io.tidemark.client.protocol.WriteAckFrame;
import io.tidemark.client.protocol.WriteFrame;
import io.tidemark.codecs.prometheus.PrometheusXorChunkDecoder;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.server.ServerSettings;
import io.tidemark.server.SettingsParser;
import io.tidemark.server.TidemarkServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TcpServerTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    static Path dir;
    private static Tidemark db;
    private static TidemarkServer server;

    @BeforeAll
    static void start() throws Exception {
        db = Tidemark.open(TidemarkConfig.defaults(dir.resolve("data")).withSealCheck(0));
        final ServerSettings settings = SettingsParser.parse(new String[] {"--http-host", "127.0.0.1", "--http-port", "0",
            "--tcp-port", "0", "--data-dir", dir.resolve("data").toString(), "--query-threads", "2"}, Map.of());
        server = TidemarkServer.serve(settings, db);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            assertThat(server.shutdown()).isTrue();
        }
        if (db != null) {
            db.close();
        }
    }

    private static void register(final RawConnection c, final long id, final int handle, final String... labels)
        throws Exception {
        new RegisterFrame(id, List.of(new RegisterFrame.Entry(handle, labels))).encode(c.out);
    }

    private static void write(final RawConnection c, final long id, final int durability, final int[] handles,
                              final long[] timestamps, final double[] values) {
        WriteFrame.encode(c.out, id, durability, handles, timestamps, values, handles.length);
    }

    private static WriteAckFrame ack(final RawConnection c) throws Exception {
        final FrameReader frame = c.next();
        assertThat(MessageType.name(frame.type())).isEqualTo("WRITE_ACK");
        return new WriteAckFrame().decode(frame);
    }

    @Test
    void shouldStoreWritesByHandleAndAnswerPromQlOverTheSameConnection() throws Exception {
        try (RawConnection c = RawConnection.open(server.tcpPort(), "tcp-a")) {
            assertThat(c.welcome.version()).isEqualTo(1);
            assertThat(c.welcome.serverFlags() & 1).as("open").isEqualTo(1);
            register(c, 1, 0, "__name__", "cpu", "host", "a");
            register(c, 2, 7, "__name__", "cpu", "host", "b");
            // pipelined: the WRITEs go before REGISTERED comes back
            write(c, 3, WriteFrame.APPLIED, new int[] {0, 7, 0}, new long[] {T0, T0, T0 + 1000}, new double[] {1, 2, 3});
            write(c, 4, WriteFrame.DURABLE, new int[] {7}, new long[] {T0 + 1000}, new double[] {Double.longBitsToDouble(0x7ff0000000000002L)});
            c.send();
            assertThat(RegisteredFrame.decode(c.next()).registered()).isEqualTo(1);
            assertThat(RegisteredFrame.decode(c.next()).registered()).isEqualTo(1);
            final WriteAckFrame first = ack(c);
            assertThat(first.requestId()).isEqualTo(3);
            assertThat(first.stored()).isEqualTo(3);
            assertThat(first.refused()).isZero();
            assertThat(first.credits()).isEqualTo(3);
            final WriteAckFrame second = ack(c);
            assertThat(second.requestId()).isEqualTo(4);
            assertThat(second.durability()).isEqualTo(WriteFrame.DURABLE);

            new QueryFrame(5, QueryFrame.INSTANT, 0, T0 + 1000, 0, 0, "sum(cpu)").encode(c.out);
            new QueryFrame(6, QueryFrame.RANGE, 0, T0, T0 + 1000, 1000, "cpu{host=\"a\"}").encode(c.out);
            c.send();
            final QueryResultFrame instant = QueryResultFrame.decode(c.next());
            final QueryResultFrame range = QueryResultFrame.decode(c.next());
            final QueryResultFrame sum = instant.requestId() == 5 ? instant : range;
            final QueryResultFrame matrix = instant.requestId() == 5 ? range : instant;
            assertThat(sum.resultType()).isEqualTo(QueryResultFrame.VECTOR);
            assertThat(sum.series()).hasSize(1);
            assertThat(sum.series().get(0).values()[0]).isEqualTo(3.0); // host b's stale marker hides it
            assertThat(matrix.resultType()).isEqualTo(QueryResultFrame.MATRIX);
            assertThat(matrix.series().get(0).timestamps()).containsExactly(T0, T0 + 1000);
            assertThat(matrix.series().get(0).values()).containsExactly(1.0, 3.0);

            new SelectFrame(8, T0, T0 + 5000, List.of(new SelectFrame.Matcher(SelectFrame.EQUAL, "__name__", "cpu"))).encode(c.out);
            c.send();
            final SelectSeriesFrame a = SelectSeriesFrame.decode(c.next());
            final SelectSeriesFrame b = SelectSeriesFrame.decode(c.next());
            final SelectEndFrame end = SelectEndFrame.decode(c.next());
            assertThat(a.labels()).containsExactly("__name__", "cpu", "host", "a");
            assertThat(b.labels()).containsExactly("__name__", "cpu", "host", "b");
            assertThat(end.series()).isEqualTo(2);
            assertThat(end.samples()).isEqualTo(4);
            final PrometheusXorChunkDecoder decoder = new PrometheusXorChunkDecoder();
            final SelectSeriesFrame.Chunk chunk = b.chunks().get(0);
            decoder.reset(chunk.data(), 0, chunk.data().length);
            assertThat(decoder.next()).isTrue();
            assertThat(decoder.timestamp()).isEqualTo(T0);
            assertThat(decoder.next()).isTrue();
            assertThat(Double.doubleToRawLongBits(decoder.value())).isEqualTo(0x7ff0000000000002L);
            assertThat(decoder.next()).isFalse();

            final String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("tidemark_tcp_connections 1").containsPattern("tidemark_tcp_writes_acknowledged_total [1-9]");

            PingFrame.encode(c.out, MessageType.PING, 99);
            GoodbyeFrame.encode(c.out, MessageType.GOODBYE);
            c.send();
            final FrameReader pong = c.next();
            assertThat(pong.type()).isEqualTo(MessageType.PONG);
            assertThat(PingFrame.decode(pong)).isEqualTo(99);
            assertThat(c.next().type()).isEqualTo(MessageType.SERVER_GOODBYE);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void shouldReportEveryRefusedSampleBySeriesAndReason() throws Exception {
        try (RawConnection c = RawConnection.open(server.tcpPort(), "tcp-b")) {
            register(c, 1, 0, "__name__", "m", "k", "v");
            write(c, 2, WriteFrame.APPLIED, new int[] {0}, new long[] {T0 + 10_000}, new double[] {5});
            write(c, 3, WriteFrame.APPLIED, new int[] {0, 0, 0, 0, 3, 0},
                new long[] {T0, T0 + 1, T0 + 10_000, T0 + 10_000, T0, T0 + 20_000}, new double[] {1, 2, 6, 5, 0, 7});
            c.send();
            RegisteredFrame.decode(c.next());
            assertThat(ack(c).stored()).isEqualTo(1);
            final WriteAckFrame refusals = ack(c);
            assertThat(refusals.requestId()).isEqualTo(3);
            assertThat(refusals.stored()).isEqualTo(2); // T0+20000, and the identical duplicate of T0+10000
            assertThat(refusals.refused()).isEqualTo(4);
            assertThat(refusals.details()).isEqualTo(3);
            final Map<Integer, String> details = new java.util.HashMap<>();
            for (int i = 0; i < refusals.details(); i++) {
                details.put(refusals.reason(i), refusals.handle(i) + "/" + refusals.samples(i) + "@" + refusals.firstTimestamp(i));
            }
            assertThat(details).containsExactlyInAnyOrderEntriesOf(Map.of(
                ErrorCode.REFUSED_OUT_OF_ORDER, "0/2@" + T0,
                ErrorCode.REFUSED_DUPLICATE_TIMESTAMP, "0/1@" + (T0 + 10_000),
                ErrorCode.REFUSED_UNKNOWN_HANDLE, "3/1@" + T0));

            register(c, 4, 1, "job", "x", "__name__", "unsorted");
            register(c, 5, 2, "job", "x");
            register(c, 6, Integer.MAX_VALUE, "__name__", "m");
            c.send();
            final RegisteredFrame unsorted = RegisteredFrame.decode(c.next());
            assertThat(unsorted.refusals().get(0).code()).isEqualTo(ErrorCode.INVALID_LABELS);
            assertThat(unsorted.refusals().get(0).message()).contains("sorted");
            assertThat(RegisteredFrame.decode(c.next()).refusals().get(0).message()).contains("__name__");
            assertThat(RegisteredFrame.decode(c.next()).refusals().get(0).code()).isEqualTo(ErrorCode.HANDLE_OUT_OF_RANGE);
        }
    }

    @Test
    void shouldTakeOnlyConfiguredApiKeysForTheirTenants() throws Exception {
        final java.nio.file.Path keysFile = java.nio.file.Files.createTempFile("tcp-keys", ".txt");
        java.nio.file.Files.writeString(keysFile, "key-for-any-tenant-0001\nkey-for-tcp-k-only-0002 tcp-k\n");
        final io.netty.channel.EventLoopGroup loops = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
            io.netty.channel.nio.NioIoHandler.newFactory());
        final TcpServer keyed = new TcpServer(db, TcpLimits.DEFAULT, Runnable::run, io.tidemark.promql.eval.EngineOptions.DEFAULT,
            ApiKeys.load(keysFile), "test");
        try {
            final int port = keyed.start(loops, loops, "127.0.0.1", 0);
            for (final String[] attempt : new String[][] {{"tcp-k", ""}, {"tcp-k", "not-a-key-at-all-0003"},
                {"tcp-other", "key-for-tcp-k-only-0002"}}) {
                try (RawConnection refused = new RawConnection(port)) {
                    new HelloFrame(1, 1, "test", attempt[0], attempt[1]).encode(refused.out);
                    refused.send();
                    final ErrorFrame error = ErrorFrame.decode(refused.next());
                    assertThat(error.code()).as("tenant %s token %s", attempt[0], attempt[1]).isEqualTo(ErrorCode.AUTH_FAILED);
                    assertThat(refused.closedByServer()).isTrue();
                }
            }
            for (final String[] attempt : new String[][] {{"tcp-k", "key-for-tcp-k-only-0002"}, {"tcp-other", "key-for-any-tenant-0001"}}) {
                try (RawConnection taken = new RawConnection(port)) {
                    new HelloFrame(1, 1, "test", attempt[0], attempt[1]).encode(taken.out);
                    taken.send();
                    final WelcomeFrame welcome = WelcomeFrame.decode(taken.next());
                    assertThat(welcome.serverFlags() & 1).as("not OPEN").isZero();
                }
            }
        } finally {
            keyed.close(1_000);
            loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
            java.nio.file.Files.deleteIfExists(keysFile);
        }
    }

    @Test
    void shouldCloseOnlyTheConnectionThatBreaksTheProtocolAndSayWhy() throws Exception {
        final io.netty.channel.EventLoopGroup loops = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
            io.netty.channel.nio.NioIoHandler.newFactory());
        final TcpServer small = new TcpServer(db, TcpLimits.DEFAULT.withCredits(10), Runnable::run,
            io.tidemark.promql.eval.EngineOptions.DEFAULT, ApiKeys.OPEN, "test");
        try {
            final int port = small.start(loops, loops, "127.0.0.1", 0);
            try (RawConnection good = RawConnection.open(port, "tcp-c");
                 RawConnection bad = RawConnection.open(port, "tcp-c")) {
                assertThat(bad.welcome.credits()).isEqualTo(10);
                register(bad, 1, 0, "__name__", "m");
                write(bad, 2, WriteFrame.APPLIED, new int[6], new long[6], new double[6]);
                write(bad, 3, WriteFrame.APPLIED, new int[6], new long[6], new double[6]);
                bad.send();
                RegisteredFrame.decode(bad.next());
                FrameReader next = bad.next();
                if (next.type() == MessageType.WRITE_ACK) {
                    next = bad.next(); // the first WRITE may be answered before the second is read
                }
                final ErrorFrame error = ErrorFrame.decode(next);
                assertThat(error.requestId()).isZero();
                assertThat(error.code()).isEqualTo(ErrorCode.CREDITS_EXCEEDED);
                assertThat(bad.closedByServer()).isTrue();

                register(good, 1, 0, "__name__", "m");
                write(good, 2, WriteFrame.APPLIED, new int[] {0}, new long[] {T0}, new double[] {1});
                good.send();
                RegisteredFrame.decode(good.next());
                assertThat(ack(good).stored()).isEqualTo(1);
            }
        } finally {
            small.close(1_000);
            loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        }
        try (RawConnection early = new RawConnection(server.tcpPort())) {
            PingFrame.encode(early.out, MessageType.PING, 1);
            early.send();
            assertThat(ErrorFrame.decode(early.next()).code()).isEqualTo(ErrorCode.HANDSHAKE_REQUIRED);
        }
        try (RawConnection huge = new RawConnection(server.tcpPort())) {
            // a header that claims 2 GiB: refused at once, before any of it is buffered
            huge.sendBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 1, 0, 0, 0});
            final ErrorFrame error = ErrorFrame.decode(huge.next());
            assertThat(error.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        }
        try (RawConnection c = RawConnection.open(server.tcpPort(), "tcp-c")) {
            new QueryFrame(9, QueryFrame.INSTANT, 0, T0, 0, 0, "sum(").encode(c.out);
            c.send();
            final ErrorFrame error = ErrorFrame.decode(c.next());
            assertThat(error.requestId()).isEqualTo(9);
            assertThat(error.code()).isEqualTo(ErrorCode.BAD_QUERY);
            new QueryFrame(10, QueryFrame.INSTANT, 0, T0, 0, 0, "vector(1)").encode(c.out);
            c.send();
            assertThat(QueryResultFrame.decode(c.next()).series().get(0).values()).containsExactly(1.0);
        }
    }
}
