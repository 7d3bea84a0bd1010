package io.tidemark.client;

import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.ErrorFrame;
import io.tidemark.client.protocol.FrameReader;
import io.tidemark.client.protocol.FrameWriter;
import io.tidemark.client.protocol.GoodbyeFrame;
import io.tidemark.client.protocol.HelloFrame;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.PingFrame;
import io.tidemark.client.protocol.Protocol;
import io.tidemark.client.protocol.QueryFrame;
import io.tidemark.client.protocol.RegisterFrame;
import io.tidemark.client.protocol.RegisteredFrame;
import io.tidemark.client.protocol.SelectFrame;
import io.tidemark.client.protocol.WelcomeFrame;
import io.tidemark.client.protocol.WriteAckFrame;
import io.tidemark.client.protocol.WriteFrame;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A server speaking the protocol with the shared frame classes, on 127.0.0.1 and a free port, for client tests. By
 * default it answers HELLO with {@link #welcome}, REGISTER with all registered, WRITE with everything stored, PING
 * with PONG and GOODBYE with GOODBYE then close; {@link #on} replaces the answer to a type. Every frame received is
 * queued by type for the test to {@link #take}.
 */
final class FakeServer implements AutoCloseable {
    /** What a handler gets: the connection and the decoded frame. */
    @FunctionalInterface
    interface Handler {
        void handle(Conn conn, Object frame) throws IOException;
    }

    /**
     * One frame received.
     *
     * @param conn  the connection
     * @param type  its type
     * @param frame the decoded frame (a record of the protocol package, a nonce, or null for GOODBYE)
     */
    record Received(Conn conn, int type, Object frame) {
    }

    volatile WelcomeFrame welcome = new WelcomeFrame(1, WelcomeFrame.OPEN, 1 << 20, 65_536, 1 << 20, 256, 30_000,
        "fake 1");
    final List<Conn> connections = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Map<Integer, Handler> handlers = new ConcurrentHashMap<>();
    private final Map<Integer, BlockingQueue<Received>> received = new ConcurrentHashMap<>();
    private final Thread acceptor;

    FakeServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        on(MessageType.HELLO, (conn, frame) -> conn.send(welcome::encode));
        on(MessageType.REGISTER, (conn, frame) -> {
            final RegisterFrame register = (RegisterFrame) frame;
            conn.send(new RegisteredFrame(register.requestId(), register.entries().size(), List.of())::encode);
        });
        on(MessageType.WRITE, (conn, frame) -> conn.ackAll((WriteFrame.Columns) frame));
        on(MessageType.PING, (conn, frame) -> conn.send(out -> PingFrame.encode(out, MessageType.PONG, (Long) frame)));
        on(MessageType.GOODBYE, (conn, frame) -> {
            conn.send(out -> GoodbyeFrame.encode(out, MessageType.SERVER_GOODBYE));
            conn.close();
        });
        acceptor = Thread.ofPlatform().daemon().name("fake-server-accept").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    ClientConfig.Builder config() {
        return ClientConfig.builder().host("127.0.0.1").port(port()).connectTimeout(Duration.ofSeconds(2))
            .requestTimeout(Duration.ofSeconds(3)).closeTimeout(Duration.ofSeconds(2));
    }

    /** Replaces the answer to frames of {@code type}. */
    FakeServer on(final int type, final Handler handler) {
        handlers.put(type, handler);
        return this;
    }

    /** The next frame of {@code type} received, waiting up to 5 s. */
    Received take(final int type) throws InterruptedException {
        final Received next = queue(type).poll(5, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("no " + MessageType.name(type) + " within 5 s");
        }
        return next;
    }

    /** The next frame of {@code type} received within {@code millis}, or null. */
    Received poll(final int type, final long millis) throws InterruptedException {
        return queue(type).poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Frames of {@code type} received and not taken. */
    int pending(final int type) {
        return queue(type).size();
    }

    private BlockingQueue<Received> queue(final int type) {
        return received.computeIfAbsent(type, t -> new LinkedBlockingQueue<>());
    }

    /** Closes every connection abruptly (no ERROR, no GOODBYE). */
    void dropConnections() {
        connections.forEach(Conn::close);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                final Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                final Conn conn = new Conn(socket, connections.size());
                connections.add(conn);
                Thread.ofPlatform().daemon().name("fake-server-conn-" + conn.index).start(conn::serve);
            } catch (final IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
        try {
            acceptor.join(1000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One accepted connection. */
    final class Conn {
        final int index;
        private final Socket socket;
        private final OutputStream out;
        private final FrameWriter writer = new FrameWriter(1024, 64 << 20);

        Conn(final Socket socket, final int index) throws IOException {
            this.socket = socket;
            this.index = index;
            this.out = socket.getOutputStream();
            writer.maxFrameBytes(64 << 20);
        }

        /** Sends the frames {@code encoder} writes. */
        synchronized void send(final Consumer<FrameWriter> encoder) throws IOException {
            writer.clear();
            encoder.accept(writer);
            final byte[] bytes = new byte[(int) writer.size()];
            MemorySegment.copy(writer.segment(), ValueLayout.JAVA_BYTE, 0, bytes, 0, bytes.length);
            out.write(bytes);
            out.flush();
        }

        /** Acknowledges a WRITE as all stored. */
        void ackAll(final WriteFrame.Columns write) throws IOException {
            final int n = write.handles().length;
            send(out -> {
                WriteAckFrame.encodeHead(out, write.requestId(), write.durability(), 0, 0, n, 0, n);
                out.end();
            });
        }

        /** Sends an ERROR. */
        void error(final long requestId, final int code, final String message) throws IOException {
            send(new ErrorFrame(requestId, code, message)::encode);
        }

        void close() {
            try {
                socket.close();
            } catch (final IOException ignored) {
                // Closing a test socket.
            }
        }

        boolean closed() {
            return socket.isClosed();
        }

        private void serve() {
            try (InputStream stream = socket.getInputStream()) {
                final DataInputStream in = new DataInputStream(stream);
                final byte[] header = new byte[Protocol.HEADER_BYTES];
                while (true) {
                    in.readFully(header);
                    final int length = MemorySegment.ofArray(header).get(Protocol.U32, 0);
                    if (length < Protocol.HEADER_BYTES || length > 64 << 20) {
                        error(0, ErrorCode.FRAME_TOO_LARGE, "length " + length);
                        close();
                        return;
                    }
                    final byte[] frame = new byte[length];
                    System.arraycopy(header, 0, frame, 0, header.length);
                    in.readFully(frame, header.length, length - header.length);
                    final FrameReader reader = new FrameReader().frame(MemorySegment.ofArray(frame), 0, length);
                    final int type = reader.type();
                    final Object decoded = decode(type, reader);
                    queue(type).add(new Received(this, type, decoded));
                    final Handler handler = handlers.get(type);
                    if (handler != null) {
                        handler.handle(this, decoded);
                    }
                }
            } catch (final EOFException | java.net.SocketException e) {
                close();
            } catch (final IOException | RuntimeException e) {
                close();
                throw new IllegalStateException("fake server connection " + index + " failed", e);
            }
        }

        private Object decode(final int type, final FrameReader in) {
            return switch (type) {
                case MessageType.HELLO -> HelloFrame.decode(in);
                case MessageType.REGISTER -> RegisterFrame.decode(in);
                case MessageType.WRITE -> WriteFrame.decode(in);
                case MessageType.QUERY -> QueryFrame.decode(in);
                case MessageType.SELECT -> SelectFrame.decode(in);
                case MessageType.PING -> PingFrame.decode(in);
                case MessageType.GOODBYE -> {
                    GoodbyeFrame.decode(in);
                    yield null;
                }
                default -> throw new IllegalStateException("a client sent " + MessageType.name(type));
            };
        }
    }
}
