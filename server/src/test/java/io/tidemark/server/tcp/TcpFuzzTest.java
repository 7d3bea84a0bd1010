package io.tidemark.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.ErrorFrame;
import io.tidemark.client.protocol.FrameReader;
import io.tidemark.client.protocol.FrameWriter;
import io.tidemark.client.protocol.HelloFrame;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.PingFrame;
import io.tidemark.client.protocol.QueryFrame;
import io.tidemark.client.protocol.RegisterFrame;
import io.tidemark.client.protocol.RegisteredFrame;
import io.tidemark.client.protocol.SelectFrame;
import io.tidemark.client.protocol.WriteAckFrame;
import io.tidemark.client.protocol.WriteFrame;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.server.SettingsParser;
import io.tidemark.server.TidemarkServer;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds the server random and mutated frames on many connections and shows that it never fails on its own account
 * (no exception but protocol errors), never buffers by a length it has not checked, and keeps serving a connection
 * that behaves, which writes and reads back between the rounds.
 */
class TcpFuzzTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int ROUNDS = 400;

    @TempDir
    Path dir;

    /** A valid frame of a random kind, as bytes. */
    private static byte[] validFrame(final Random random) {
        final FrameWriter out = new FrameWriter(256, 1 << 20);
        out.maxFrameBytes(1 << 20);
        switch (random.nextInt(6)) {
            case 0 -> new RegisterFrame(random.nextInt(100), List.of(new RegisterFrame.Entry(random.nextInt(8),
                new String[] {"__name__", "fuzz", "k", Integer.toString(random.nextInt(5))}))).encode(out);
            case 1 -> {
                final int n = 1 + random.nextInt(9);
                final int[] handles = new int[n];
                final long[] timestamps = new long[n];
                final double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    handles[i] = random.nextInt(10);
                    timestamps[i] = T0 + random.nextInt(100_000);
                    values[i] = random.nextDouble();
                }
                WriteFrame.encode(out, random.nextInt(100), random.nextInt(2), handles, timestamps, values, n);
            }
            case 2 -> new QueryFrame(random.nextInt(100), random.nextInt(2), 0, T0, T0 + 60_000, 15_000,
                random.nextBoolean() ? "sum(fuzz)" : "rate(fuzz[1m])").encode(out);
            case 3 -> new SelectFrame(random.nextInt(100), T0, T0 + 100_000,
                List.of(new SelectFrame.Matcher(SelectFrame.EQUAL, "__name__", "fuzz"))).encode(out);
            case 4 -> PingFrame.encode(out, MessageType.PING, random.nextLong());
            default -> new HelloFrame(1, 1, "fuzz", "fuzz", "").encode(out);
        }
        final ByteBuffer buffer = out.buffer();
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** A frame mutated one of several ways: bytes flipped, cut, lengths and counts rewritten, or pure noise. */
    private static byte[] mutate(final byte[] frame, final Random random) {
        final byte[] bytes = frame.clone();
        final ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (random.nextInt(7)) {
            case 0 -> {
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                return java.util.Arrays.copyOf(bytes, Math.max(8, random.nextInt(bytes.length)));
            }
            case 2 -> view.putInt(0, random.nextBoolean() ? random.nextInt() : bytes.length + random.nextInt(64) - 32);
            case 3 -> {
                // a count or string length somewhere in the body set huge
                if (bytes.length > 20) {
                    final int at = 8 + random.nextInt(bytes.length - 12);
                    view.putInt(at, random.nextBoolean() ? -1 : 0x7FFF_FFFF);
                }
            }
            case 4 -> bytes[4] = (byte) random.nextInt(256);
            case 5 -> {
                final byte[] noise = new byte[8 + random.nextInt(200)];
                random.nextBytes(noise);
                return noise;
            }
            default -> bytes[5] = (byte) (1 + random.nextInt(255));
        }
        return bytes;
    }

    @Test
    void shouldSurviveRandomAndMutatedFramesAndKeepServingOthers() throws Exception {
        try (Tidemark db = Tidemark.open(TidemarkConfig.defaults(dir.resolve("data")).withSealCheck(0));
             TidemarkServer server = TidemarkServer.serve(SettingsParser.parse(new String[] {"--http-host", "127.0.0.1",
                 "--http-port", "0", "--tcp-port", "0", "--data-dir", dir.resolve("data").toString()}, Map.of()), db);
             RawConnection witness = RawConnection.open(server.tcpPort(), "fuzz")) {
            new RegisterFrame(1, List.of(new RegisterFrame.Entry(0, new String[] {"__name__", "witness"}))).encode(witness.out);
            witness.send();
            assertThat(RegisteredFrame.decode(witness.next()).registered()).isEqualTo(1);
            final Random random = new Random(20261123);
            long answered = 0;
            for (int round = 0; round < ROUNDS; round++) {
                try (RawConnection c = new RawConnection(server.tcpPort())) {
                    c.socket.setSoTimeout(100);
                    if (random.nextInt(4) != 0) {
                        c.sendBytes(hello());
                    }
                    for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
                        final byte[] frame = validFrame(random);
                        c.sendBytes(random.nextInt(3) == 0 ? frame : mutate(frame, random));
                    }
                    answered += drain(c);
                } catch (final IOException expected) {
                    // the server may close the connection while the fuzzer still writes
                }
                if (round % 50 == 0) {
                    // the behaving connection writes and reads back in between
                    WriteFrame.encode(witness.out, round + 2, WriteFrame.DURABLE, new int[] {0}, new long[] {T0 + round},
                        new double[] {round}, 1);
                    witness.send();
                    final FrameReader ack = witness.next();
                    assertThat(ack.type()).isEqualTo(MessageType.WRITE_ACK);
                    assertThat(new WriteAckFrame().decode(ack).stored()).isEqualTo(1);
                }
            }
            assertThat(answered).as("the server answered the fuzzer's frames").isPositive();
            final TcpMetrics metrics = server.tcpMetrics();
            assertThat(metrics.protocolErrors()).as("protocol errors seen").isGreaterThan(ROUNDS / 4);
            assertThat(metrics.internalErrors()).as("failures of the server's own").isZero();
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (metrics.connectionsOpen() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(metrics.connectionsOpen()).as("only the witness is left").isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseLengthsThatDoNotFitBeforeReadingThem() throws Exception {
        try (Tidemark db = Tidemark.open(TidemarkConfig.defaults(dir.resolve("data2")).withSealCheck(0));
             TidemarkServer server = TidemarkServer.serve(SettingsParser.parse(new String[] {"--http-host", "127.0.0.1",
                 "--http-port", "0", "--tcp-port", "0", "--data-dir", dir.resolve("data2").toString()}, Map.of()), db)) {
            // REGISTER claiming 2^32-1 entries in a 24-byte frame
            expectMalformed(server, frame(MessageType.REGISTER, 0L, 0xFFFF_FFFFL, 0L));
            // a label count of 65535 with no bytes for them
            expectMalformed(server, frame(MessageType.REGISTER, 1L, 1L, 0x0000_FFFF_0000_0000L));
            // WRITE claiming 2^31 samples in a small frame
            expectMalformed(server, frame(MessageType.WRITE, 2L, 0x7FFF_FFFF_0000_0000L, 0L));
            // QUERY whose text length is 2 GiB
            final byte[] query = frame(MessageType.QUERY, 3L, 0L, 0L, 0L, 0L, 0L);
            ByteBuffer.wrap(query).order(ByteOrder.LITTLE_ENDIAN).putInt(48, 0x7FFF_FFFF);
            expectMalformed(server, java.util.Arrays.copyOf(query, 52));
            assertThat(server.tcpMetrics().internalErrors()).isZero();
        }
    }

    private static byte[] hello() {
        final FrameWriter out = new FrameWriter(64, 1024);
        new HelloFrame(1, 1, "fuzz", "fuzz", "").encode(out);
        final ByteBuffer buffer = out.buffer();
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** A frame of {@code type} whose body is the given little-endian longs. */
    private static byte[] frame(final int type, final long... body) {
        final ByteBuffer buffer = ByteBuffer.allocate(8 + 8 * body.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(buffer.capacity()).put((byte) type).put((byte) 0).putShort((short) 0);
        for (final long value : body) {
            buffer.putLong(value);
        }
        return buffer.array();
    }

    private static void expectMalformed(final TidemarkServer server, final byte[] frame) throws Exception {
        try (RawConnection c = RawConnection.open(server.tcpPort(), "fuzz")) {
            final byte[] len = frame;
            ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).putInt(0, len.length);
            c.sendBytes(len);
            final ErrorFrame error = ErrorFrame.decode(c.next());
            assertThat(error.code()).as(error.message()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    /** Reads what the server answers until it closes or stays quiet; returns the frames read. */
    private static long drain(final RawConnection c) throws IOException {
        long frames = 0;
        try {
            while (true) {
                final FrameReader frame = c.next();
                frames++;
                if (frame.type() == MessageType.ERROR && ErrorFrame.decode(frame).aboutConnection()) {
                    return frames;
                }
            }
        } catch (final SocketTimeoutException | java.io.EOFException | java.net.SocketException quiet) {
            return frames;
        } catch (final RuntimeException malformedAnswer) {
            throw new AssertionError("the server sent a frame that does not decode", malformedAnswer);
        }
    }
}
