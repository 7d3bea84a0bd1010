package io.tidemark.server.tcp;

import io.tidemark.client.protocol.FrameReader;
import io.tidemark.client.protocol.FrameWriter;
import io.tidemark.client.protocol.HelloFrame;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.Protocol;
import io.tidemark.client.protocol.WelcomeFrame;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A bare protocol connection for tests: frames out with {@link FrameWriter}, frames in as {@link FrameReader}s. */
final class RawConnection implements AutoCloseable {
    final Socket socket = new Socket();
    final FrameWriter out = new FrameWriter(1 << 16, 64 << 20);
    private final DataInputStream in;
    private final OutputStream raw;
    private final FrameReader reader = new FrameReader();

    RawConnection(final int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        raw = socket.getOutputStream();
        out.maxFrameBytes(64 << 20);
    }

    /** Connects and says HELLO for {@code tenant}; returns WELCOME. */
    static RawConnection open(final int port, final String tenant) throws IOException {
        final RawConnection c = new RawConnection(port);
        new HelloFrame(1, 1, "test", tenant, "").encode(c.out);
        c.send();
        final FrameReader welcome = c.next();
        if (welcome.type() != MessageType.WELCOME) {
            throw new IllegalStateException("expected WELCOME, got " + MessageType.name(welcome.type()));
        }
        c.welcome = WelcomeFrame.decode(welcome);
        return c;
    }

    WelcomeFrame welcome;

    /** Sends what {@link #out} holds. */
    void send() throws IOException {
        final ByteBuffer buffer = out.buffer();
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        raw.write(bytes);
        raw.flush();
        out.clear();
    }

    /** Sends raw bytes. */
    void sendBytes(final byte[] bytes) throws IOException {
        raw.write(bytes);
        raw.flush();
    }

    /** The next frame, positioned at its body. */
    FrameReader next() throws IOException {
        final byte[] header = new byte[Protocol.HEADER_BYTES];
        in.readFully(header);
        final int length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        final byte[] frame = new byte[length];
        System.arraycopy(header, 0, frame, 0, header.length);
        in.readFully(frame, header.length, length - header.length);
        return reader.frame(MemorySegment.ofArray(frame), 0, length);
    }

    /** True once the server has closed the connection (reads until end of stream, failing on more frames). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (final EOFException | java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
