package io.tidemark.client;

import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.ErrorFrame;
import io.tidemark.client.protocol.FrameReader;
import io.tidemark.client.protocol.GoodbyeFrame;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.Protocol;
import io.tidemark.client.protocol.ProtocolException;
import io.tidemark.client.protocol.WelcomeFrame;
import io.tidemark.client.protocol.WriteAckFrame;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One TCP connection, from HELLO to its end: a blocking {@link SocketChannel} (TCP_NODELAY) that callers write to
 * under the {@link ReconnectingLink}'s send lock, and one daemon reader thread that reads frames into a direct buffer,
 * checks each against the frame limit, decodes it in place with a {@link FrameReader} and completes what it answers:
 * WRITEs through the {@link WriteWindow}, other requests through the map of {@link PendingRequest}s by request id.
 * The first failure (read or write error, end of stream, malformed frame, connection-level ERROR, missing PONG) ends
 * it: every request in flight fails, never silently, and the link decides whether to reconnect.
 */
final class Connection {
    private final ReconnectingLink link;
    private final int generation;
    private final SocketChannel channel;
    private final Thread reader;
    private final ConcurrentHashMap<Long, PendingRequest> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<WelcomeFrame> welcomed = new CompletableFuture<>();
    private final CountDownLatch goodbye = new CountDownLatch(1);
    private final AtomicBoolean ended = new AtomicBoolean();
    private final FrameReader frames = new FrameReader();
    private final WriteAckFrame ack = new WriteAckFrame();
    private volatile WelcomeFrame welcome;
    private volatile WriteWindow window;
    private volatile boolean alive = true;
    private volatile boolean goodbyeSent;
    private volatile boolean closing;
    private volatile long lastSendNanos = System.nanoTime();
    private volatile long heartbeatNonce;
    private volatile long heartbeatSentNanos;
    private volatile boolean heartbeatOutstanding;

    private Connection(final ReconnectingLink link, final int generation, final SocketChannel channel) {
        this.link = link;
        this.generation = generation;
        this.channel = channel;
        this.reader = Thread.ofPlatform().daemon().name("tidemark-client-reader-" + generation).unstarted(this::readLoop);
    }

    /** Opens the TCP connection (bounded by the connect timeout) and starts its reader thread. */
    static Connection open(final ReconnectingLink link, final int generation) throws IOException {
        final ClientConfig config = link.config();
        final SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress(config.host(), config.port()),
                (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
        } catch (final IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        final Connection connection = new Connection(link, generation, channel);
        connection.reader.start();
        return connection;
    }

    /** The link's count of connections when this one was opened: series registered on it carry it. */
    int generation() {
        return generation;
    }

    /** True until the connection ends. */
    boolean alive() {
        return alive;
    }

    /** The server's limits (null before WELCOME). */
    WelcomeFrame welcome() {
        return welcome;
    }

    /** Flow control of this connection (null before WELCOME). */
    WriteWindow window() {
        return window;
    }

    ConcurrentHashMap<Long, PendingRequest> pending() {
        return pending;
    }

    /** Waits for WELCOME; an ERROR answer throws with the server's code, no answer in time throws TIMEOUT. */
    WelcomeFrame awaitWelcome(final Duration timeout) {
        try {
            return welcomed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof TidemarkException failure) {
                throw failure;
            }
            throw new TidemarkException(TidemarkException.CONNECTION_LOST, "handshake failed", e.getCause());
        } catch (final TimeoutException e) {
            end("no WELCOME within " + timeout.toMillis() + " ms", null, 0);
            throw new TidemarkException(TidemarkException.TIMEOUT, "no WELCOME from " + link.address() + " within "
                + timeout.toMillis() + " ms");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            end("interrupted during the handshake", e, 0);
            throw new TidemarkException(TidemarkException.TIMEOUT, "interrupted during the handshake", e);
        }
    }

    /** Writes everything in {@code buffer}; the caller holds the send lock. */
    void write(final ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        lastSendNanos = System.nanoTime();
    }

    /** Nanos ({@link System#nanoTime()}) of the last send. */
    long lastSendNanos() {
        return lastSendNanos;
    }

    /** Records a heartbeat PING about to be sent, so that its PONG is recognized. */
    void heartbeatSending(final long nonce, final long nowNanos) {
        heartbeatNonce = nonce;
        heartbeatSentNanos = nowNanos;
        heartbeatOutstanding = true;
    }

    /** Whether a heartbeat PING waits for its PONG, and since when. */
    boolean heartbeatOutstanding() {
        return heartbeatOutstanding;
    }

    long heartbeatSentNanos() {
        return heartbeatSentNanos;
    }

    /** Marks that GOODBYE was sent: the server's GOODBYE is then the expected end. */
    void goodbyeSent() {
        goodbyeSent = true;
    }

    /** Waits for the server's GOODBYE (it comes after the answers to every request taken); false on timeout. */
    boolean awaitGoodbye(final Duration timeout) {
        try {
            return goodbye.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Ends the connection because the client closes: what is still pending fails as CLOSED. */
    void close(final Duration joinTimeout) {
        closing = true;
        end("the client was closed", null, 0);
        try {
            reader.join(joinTimeout);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the connection once: closes the socket (which also unblocks a sender stuck in a write), fails every WRITE
     * in flight and every pending request, and tells the link. {@code serverCode} is the ERROR code that ended it, or
     * 0.
     */
    void end(final String reason, final Throwable cause, final int serverCode) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        alive = false;
        try {
            channel.close();
        } catch (final IOException ignored) {
            // Closing is best effort; the connection is gone either way.
        }
        final int code = closing ? TidemarkException.CLOSED : TidemarkException.CONNECTION_LOST;
        final String message = "connection " + generation + " to " + link.address() + " ended: " + reason;
        welcomed.completeExceptionally(serverCode != 0
            ? new TidemarkException(serverCode, reason, cause) : new TidemarkException(code, message, cause));
        final WriteWindow writes = window;
        if (writes != null) {
            writes.failAll(code, message, cause);
        }
        for (final Long id : pending.keySet()) {
            final PendingRequest request = pending.remove(id);
            if (request != null) {
                request.fail(new TidemarkException(code, "request " + id + ": " + message, cause));
            }
        }
        goodbye.countDown();
        link.connectionEnded(this, serverCode, message, cause);
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(Protocol.HANDSHAKE_MAX_FRAME_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        MemorySegment memory = MemorySegment.ofBuffer(buffer);
        try {
            while (alive) {
                if (channel.read(buffer) < 0) {
                    end(goodbye.getCount() == 0 ? "closed after GOODBYE" : "the server closed the connection", null, 0);
                    return;
                }
                final int end = buffer.position();
                int at = 0;
                long needed = 0;
                long limit = frameLimit();
                while (alive && end - at >= Protocol.HEADER_BYTES) {
                    limit = frameLimit();
                    final long length = Integer.toUnsignedLong(memory.get(Protocol.U32, at + Protocol.LENGTH_OFFSET));
                    if (length > limit) {
                        throw new ProtocolException(ErrorCode.FRAME_TOO_LARGE, "a frame of " + length
                            + " bytes is above the frame limit of " + limit);
                    }
                    if (end - at < length) {
                        needed = length;
                        break;
                    }
                    dispatch(frames.frame(memory, at, length));
                    at += (int) length;
                }
                buffer.limit(end).position(at);
                buffer.compact();
                if (needed > buffer.capacity()) {
                    final ByteBuffer grown = ByteBuffer.allocateDirect((int) Math.min(limit,
                        Math.max(needed, 2L * buffer.capacity()))).order(ByteOrder.LITTLE_ENDIAN);
                    memory = MemorySegment.ofBuffer(grown);
                    buffer.flip();
                    grown.put(buffer);
                    buffer = grown;
                }
            }
        } catch (final ProtocolException e) {
            end("the server broke the protocol (" + ErrorCode.name(e.code()) + "): " + e.getMessage(), e, 0);
        } catch (final IOException e) {
            end(alive ? "read failed: " + e : "closed", e, 0);
        } catch (final RuntimeException e) {
            end("the reader failed: " + e, e, 0);
        }
    }

    private long frameLimit() {
        final WelcomeFrame limits = welcome;
        return limits == null ? Protocol.HANDSHAKE_MAX_FRAME_BYTES : limits.maxFrameBytes();
    }

    private void dispatch(final FrameReader in) {
        final int type = in.type();
        if (welcome == null && type != MessageType.WELCOME && type != MessageType.ERROR) {
            throw FrameReader.malformed(MessageType.name(type) + " before WELCOME");
        }
        switch (type) {
            case MessageType.WELCOME -> welcomed(WelcomeFrame.decode(in));
            case MessageType.WRITE_ACK -> window.acked(ack.decode(in), link.registry());
            case MessageType.REGISTERED, MessageType.QUERY_RESULT, MessageType.SELECT_SERIES, MessageType.SELECT_END ->
                answer(type, in);
            case MessageType.PONG -> {
                if (heartbeatOutstanding && in.remaining() >= 8
                    && in.segment().get(Protocol.I64, in.position()) == heartbeatNonce) {
                    heartbeatOutstanding = false;
                } else {
                    answer(type, in);
                }
            }
            case MessageType.ERROR -> error(ErrorFrame.decode(in));
            case MessageType.SERVER_GOODBYE -> {
                GoodbyeFrame.decode(in);
                goodbye.countDown();
                if (!goodbyeSent) {
                    end("the server said GOODBYE", null, 0);
                }
            }
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_MESSAGE, MessageType.name(type)
                + " is not a message a server sends");
        }
    }

    private void welcomed(final WelcomeFrame frame) {
        if (welcome != null) {
            throw FrameReader.malformed("a second WELCOME");
        }
        if (frame.version() != Protocol.VERSION_1) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "WELCOME chose version " + frame.version()
                + "; this client speaks " + Protocol.VERSION_1);
        }
        window = new WriteWindow(frame, link.metrics());
        welcome = frame;
        welcomed.complete(frame);
    }

    private void answer(final int type, final FrameReader in) {
        if (in.remaining() < 8) {
            throw FrameReader.malformed(MessageType.name(type) + " without a request id");
        }
        final long id = in.segment().get(Protocol.I64, in.position());
        final PendingRequest request = pending.get(id);
        if (request == null) {
            return; // the answer to a request that timed out: it was bounded by the frame limit, skip it
        }
        if (request.onFrame(type, in)) {
            pending.remove(id);
        }
    }

    private void error(final ErrorFrame frame) {
        if (frame.aboutConnection()) {
            end("ERROR " + ErrorCode.name(frame.code()) + ": " + frame.message(), null, frame.code());
            return;
        }
        final TidemarkException failure = new TidemarkException(frame.code(), "request " + frame.requestId() + ": "
            + frame.message());
        final WriteWindow writes = window;
        if (writes != null && writes.failed(frame.requestId(), failure)) {
            return;
        }
        final PendingRequest request = pending.remove(frame.requestId());
        if (request != null) {
            request.fail(failure);
        }
    }
}
