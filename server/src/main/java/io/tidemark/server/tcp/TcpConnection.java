package io.tidemark.server.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.ErrorFrame;
import io.tidemark.client.protocol.FrameReader;
import io.tidemark.client.protocol.FrameWriter;
import io.tidemark.client.protocol.GoodbyeFrame;
import io.tidemark.client.protocol.HelloFrame;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.PingFrame;
import io.tidemark.client.protocol.Protocol;
import io.tidemark.client.protocol.ProtocolException;
import io.tidemark.client.protocol.QueryFrame;
import io.tidemark.client.protocol.SelectFrame;
import io.tidemark.client.protocol.WelcomeFrame;
import io.tidemark.engine.db.TenantAppender;
import io.tidemark.server.EventLog;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One binary-protocol connection (docs/protocol.md), on its event loop: cuts the byte stream into frames, reads each in
 * place from the pooled direct buffer (a WRITE is never copied), answers the handshake, REGISTER, PING and GOODBYE at
 * once, hands WRITE to {@link TcpWrites}, QUERY and SELECT to {@link TcpQueries}, and sends what they answer.
 *
 * <p>A frame that breaks the protocol gets an ERROR with request id 0 that says why, and only this connection is
 * closed; nothing it had acknowledged is lost. A frame is checked against the frame limit before a byte of it is
 * buffered, so a lying length costs at most one frame limit of memory.
 */
public final class TcpConnection extends ByteToMessageDecoder {
    private static final System.Logger LOG = System.getLogger(TcpConnection.class.getName());
    private static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final TcpServer server;
    private final FrameReader reader = new FrameReader();
    private final FrameWriter out;
    private final AtomicBoolean answerScheduled = new AtomicBoolean();
    private final Runnable answerTask = this::sendAnswers;
    private final AtomicInteger queriesInFlight = new AtomicInteger();
    private ChannelHandlerContext context;
    private volatile TcpWrites writes;
    private String tenant;
    private String clientName = "";
    /** Copy of a non-WRITE frame, so that string and label checks read a bounded heap segment. */
    private MemorySegment scratch = MemorySegment.ofArray(new byte[1024]);
    private boolean closing;
    private boolean goodbye;
    private boolean shuttingDown;
    private long lastReadNanos = System.nanoTime();
    private ScheduledFuture<?> idleCheck;

    TcpConnection(final TcpServer server) {
        this.server = server;
        this.out = new FrameWriter(4096, server.limits().maxFrameBytes() * 2 + 65_536);
    }

    /** The connection's writes, or null before the handshake. */
    TcpWrites writes() {
        return writes;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx) {
        this.context = ctx;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) throws Exception {
        server.metrics().connectionsOpen.incrementAndGet();
        server.metrics().connectionsAccepted.incrementAndGet();
        final long every = Math.max(25, server.limits().idleTimeoutMillis() / 4);
        idleCheck = ctx.executor().scheduleAtFixedRate(this::checkIdle, every, every, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception {
        server.metrics().connectionsOpen.decrementAndGet();
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        if (writes != null) {
            server.acknowledger().remove(this);
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> unused) {
        lastReadNanos = System.nanoTime();
        while (!closing && !goodbye && in.readableBytes() >= Protocol.HEADER_BYTES) {
            final int at = in.readerIndex();
            final long length = in.getUnsignedIntLE(at + Protocol.LENGTH_OFFSET);
            final int limit = writes == null ? Protocol.HANDSHAKE_MAX_FRAME_BYTES : server.limits().maxFrameBytes();
            if (length < Protocol.HEADER_BYTES) {
                fail(ErrorCode.MALFORMED_FRAME, "frame length " + length + " is shorter than the header");
                break;
            }
            if (length > limit) {
                fail(ErrorCode.FRAME_TOO_LARGE, "frame length " + length + " is above the frame limit of " + limit);
                break;
            }
            if (in.readableBytes() < length) {
                break; // the rest comes later; the decoder keeps what is here
            }
            server.metrics().frames.incrementAndGet();
            try {
                frame(in, at, (int) length);
            } catch (final ProtocolException e) {
                fail(e.code(), e.getMessage());
            }
            in.readerIndex(at + (int) length);
        }
        if (closing || goodbye) {
            in.skipBytes(in.readableBytes());
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx) throws Exception {
        if (writes != null) {
            writes.writeAnswers(out); // writes whose batches were applied while the frames were read
        }
        flush();
        finishIfDone();
        super.channelReadComplete(ctx);
    }

    private void frame(final ByteBuf in, final int at, final int length) {
        final int type = in.getUnsignedByte(at + Protocol.TYPE_OFFSET);
        if (type == MessageType.WRITE && writes != null) {
            if (in.hasMemoryAddress()) {
                reader.frame(EVERYTHING, in.memoryAddress() + at, length);
            } else {
                reader.frame(MemorySegment.ofBuffer(in.nioBuffer(at, length)), 0, length);
            }
            writes.write(reader, server.acknowledger());
            return;
        }
        if (scratch.byteSize() < length) {
            scratch = MemorySegment.ofArray(new byte[Math.max(length, (int) scratch.byteSize() * 2)]);
        }
        in.getBytes(at, scratch.asByteBuffer().limit(length));
        reader.frame(scratch, 0, length);
        if (writes == null) {
            if (type != MessageType.HELLO) {
                throw new ProtocolException(ErrorCode.HANDSHAKE_REQUIRED, MessageType.name(type) + " before HELLO");
            }
            hello(HelloFrame.decode(reader));
            return;
        }
        switch (type) {
            case MessageType.REGISTER -> writes.register(reader, out);
            case MessageType.PING -> PingFrame.encode(out, MessageType.PONG, PingFrame.decode(reader));
            case MessageType.QUERY -> query(QueryFrame.decode(reader));
            case MessageType.SELECT -> select(SelectFrame.decode(reader));
            case MessageType.GOODBYE -> {
                GoodbyeFrame.decode(reader);
                goodbye = true;
                finishIfDone();
            }
            case MessageType.HELLO -> throw new ProtocolException(ErrorCode.HANDSHAKE_REQUIRED, "a second HELLO");
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_MESSAGE, "no message type "
                + MessageType.name(type) + " from a client in version 1");
        }
    }

    private void hello(final HelloFrame hello) {
        if (hello.minVersion() > Protocol.VERSION_1 || hello.maxVersion() < Protocol.VERSION_1) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "the client speaks versions " + hello.minVersion()
                + " to " + hello.maxVersion() + "; this server speaks version 1 only");
        }
        final String name = hello.tenant().isEmpty() ? "default" : hello.tenant();
        if (!server.authenticate(hello.token(), name)) {
            throw new ProtocolException(ErrorCode.AUTH_FAILED, "the token is not a valid API key for this tenant");
        }
        final TenantAppender appender;
        try {
            appender = server.database().appender(name);
        } catch (final IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.INVALID_TENANT, e.getMessage());
        }
        tenant = name;
        clientName = hello.clientName();
        final TcpLimits limits = server.limits();
        new WelcomeFrame(Protocol.VERSION_1, server.open() ? WelcomeFrame.OPEN : 0, limits.maxFrameBytes(), limits.credits(),
            limits.maxSeriesHandles(), limits.maxInFlightWrites(), limits.idleTimeoutMillis(), server.version()).encode(out);
        out.maxFrameBytes(limits.maxFrameBytes());
        writes = new TcpWrites(appender, limits, server.metrics(), this::answer);
        server.acknowledger().add(this, appender.progress());
        EventLog.info(LOG, "event=tcp_hello remote=" + context.channel().remoteAddress() + " client=\"" + clientName
            + "\" tenant=" + tenant);
    }

    private void query(final QueryFrame query) {
        server.metrics().queries.incrementAndGet();
        queriesInFlight.incrementAndGet();
        server.queries().query(this, query);
    }

    private void select(final SelectFrame select) {
        server.metrics().queries.incrementAndGet();
        queriesInFlight.incrementAndGet();
        server.queries().select(this, select);
    }

    /** The connection's tenant. */
    String tenant() {
        return tenant;
    }

    /** The channel, for query threads to write their frames. */
    Channel channel() {
        return context.channel();
    }

    /** Query threads: a query or select has sent its last frame. */
    void queryDone() {
        queriesInFlight.decrementAndGet();
        context.executor().execute(this::finishIfDone);
    }

    /** Acknowledger or shard thread: some writes are due; the event loop sends their answers. */
    void answer() {
        if (answerScheduled.compareAndSet(false, true)) {
            context.executor().execute(answerTask);
        }
    }

    private void sendAnswers() {
        answerScheduled.set(false);
        if (writes != null && writes.writeAnswers(out) > 0) {
            flush();
        }
        finishIfDone();
    }

    /** After GOODBYE, or when the server stops: once every request taken is answered, says goodbye and closes. */
    private void finishIfDone() {
        if (closing || !(goodbye || shuttingDown) || writes != null && writes.inFlight() > 0 || queriesInFlight.get() > 0) {
            return;
        }
        closing = true;
        if (goodbye) {
            GoodbyeFrame.encode(out, MessageType.SERVER_GOODBYE);
        } else {
            new ErrorFrame(0, ErrorCode.SHUTTING_DOWN, "the server is stopping; every request taken was answered")
                .encode(out);
        }
        flush();
        context.close();
    }

    /** The server is stopping: take no more frames, answer what was taken, then close. */
    void shutdown() {
        shuttingDown = true;
        finishIfDone();
    }

    private void checkIdle() {
        if (!closing && System.nanoTime() - lastReadNanos > TimeUnit.MILLISECONDS.toNanos(server.limits().idleTimeoutMillis())) {
            fail(ErrorCode.IDLE_TIMEOUT, "nothing received for " + server.limits().idleTimeoutMillis() + " ms");
            flush();
        }
    }

    /** Sends a connection ERROR and closes; only this connection. */
    private void fail(final int code, final String message) {
        if (closing) {
            return;
        }
        closing = true;
        server.metrics().protocolErrors.incrementAndGet();
        out.abandon();
        new ErrorFrame(0, code, message).encode(out);
        EventLog.info(LOG, "event=tcp_protocol_error remote=" + context.channel().remoteAddress() + " code="
            + ErrorCode.name(code) + " error=\"" + message.replace('"', '\'') + "\"");
        flush();
        context.close();
    }

    /** Sends what the event loop wrote into {@link #out}. Event loop only. */
    private void flush() {
        final long size = out.size();
        if (size == 0) {
            return;
        }
        final ByteBuf buffer = NettyFrames.copy(context.alloc(), out);
        out.clear();
        context.writeAndFlush(buffer, context.voidPromise());
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        Throwable root = cause;
        while (root instanceof io.netty.handler.codec.DecoderException && root.getCause() != null) {
            root = root.getCause();
        }
        if (!(root instanceof java.io.IOException)) {
            server.metrics().internalErrors.incrementAndGet();
            LOG.log(System.Logger.Level.ERROR, "binary protocol connection failed", root);
        }
        EventLog.info(LOG, "event=tcp_connection_failed remote=" + ctx.channel().remoteAddress() + " error=\""
            + String.valueOf(cause).replace('"', '\'') + "\"");
        ctx.close();
    }
}
