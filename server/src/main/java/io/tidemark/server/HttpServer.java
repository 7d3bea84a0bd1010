package io.tidemark.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tidemark.server.metrics.ServerMetrics;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Netty HTTP server: NIO transport, pooled direct buffers, an HTTP codec with bounded line and header sizes, gzip
 * for clients that accept it, a per-connection read deadline, body aggregation up to the configured limit, and the
 * {@link HttpDispatcher}. Blocking handlers run on a bounded pool of query threads, or of write threads for those that
 * store samples. {@link #start()} binds; {@link #close(long)} stops accepting, waits for requests in flight, then closes
 * every connection.
 */
public final class HttpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
    static final int MAX_INITIAL_LINE = 16 << 10;
    static final int MAX_HEADER_BYTES = 16 << 10;
    /** Responses smaller than this go uncompressed: compressing them costs more than it saves. */
    static final int COMPRESS_FROM_BYTES = 1024;

    private final ServerSettings settings;
    private final Router router;
    private final ThreadPoolExecutor queries;
    private final ThreadPoolExecutor writes;
    private final ServerMetrics metrics;
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel listener;

    /** A server with these settings and routes; nothing is bound until {@link #start()}. */
    public HttpServer(final ServerSettings settings, final Router router) {
        this(settings, router, new ServerMetrics());
    }

    /** As {@link #HttpServer(ServerSettings, Router)}, counting requests in {@code metrics}. */
    public HttpServer(final ServerSettings settings, final Router router, final ServerMetrics metrics) {
        this.settings = settings;
        this.router = router;
        this.metrics = metrics;
        this.queries = pool("tidemark-query-", settings.queryThreads(), settings.queryQueue());
        this.writes = pool("tidemark-write-", settings.writeThreads(), settings.queryQueue());
    }

    /** {@code threads} daemon threads named {@code name} and a number, with a queue of {@code queue} tasks (or none). */
    private static ThreadPoolExecutor pool(final String name, final int threads, final int queue) {
        final AtomicInteger made = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
            queue == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(queue),
            r -> {
                final Thread t = new Thread(r, name + made.incrementAndGet());
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** The acceptor event loop, shared with the binary protocol's listener. */
    public EventLoopGroup boss() {
        return boss;
    }

    /** The connections' event loops, shared with the binary protocol. */
    public EventLoopGroup workers() {
        return workers;
    }

    /** The query threads, shared with the binary protocol's queries. */
    public java.util.concurrent.Executor queryThreads() {
        return queries;
    }

    /**
     * A listener on {@code boss} and {@code workers} as both of Tidemark's servers bind theirs: NIO, a backlog of 1,024,
     * pooled direct buffers, no Nagle delay.
     */
    public static ServerBootstrap bootstrap(final EventLoopGroup boss, final EventLoopGroup workers) {
        return new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.TCP_NODELAY, true);
    }

    /** Binds the listening socket; returns the port bound (the configured one, or the one chosen for port 0). */
    public int start() throws InterruptedException {
        final HttpDispatcher dispatcher = new HttpDispatcher(router, queries, writes, metrics);
        final ServerBootstrap bootstrap = bootstrap(boss, workers)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(final SocketChannel ch) {
                    connections.add(ch);
                    ch.pipeline()
                        .addLast("codec", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192))
                        // gzip or deflate when the client accepts it (Grafana does): range query answers shrink ~10x.
                        .addLast("compressor", new HttpContentCompressor(COMPRESS_FROM_BYTES,
                            StandardCompressionOptions.gzip(), StandardCompressionOptions.deflate()))
                        .addLast("deadline", new ConnectionDeadline(settings.readTimeoutMillis()))
                        .addLast("aggregator", new BodyLimit(settings.maxBodyBytes()))
                        .addLast("dispatcher", dispatcher);
                }
            });
        listener = bootstrap.bind(settings.httpHost(), settings.httpPort()).sync().channel();
        final int port = ((InetSocketAddress) listener.localAddress()).getPort();
        EventLog.info(LOG, "event=http_listening host=" + settings.httpHost() + " port=" + port);
        return port;
    }

    /**
     * Stops accepting connections, lets requests in flight finish for up to {@code waitMillis}, then closes every
     * connection and the event loops. Returns true when no request was cut.
     */
    public boolean close(final long waitMillis) {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
            EventLog.info(LOG, "event=http_stopped_accepting");
        }
        queries.shutdown();
        writes.shutdown();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        boolean drained;
        try {
            final boolean queriesDone = queries.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
            drained = writes.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) && queriesDone;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (!drained) {
            queries.shutdownNow();
            writes.shutdownNow();
        }
        EventLog.info(LOG, "event=http_requests_drained complete=" + drained);
        // Responses already handed to the event loops are flushed before the connections close.
        connections.close().awaitUninterruptibly(waitMillis);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        EventLog.info(LOG, "event=http_closed");
        return drained;
    }

    @Override
    public void close() {
        close(settings.shutdownTimeoutMillis());
    }
}
