package io.tidemark.server.tcp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.promql.eval.EngineOptions;
import io.tidemark.server.EventLog;
import io.tidemark.server.HttpServer;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The binary protocol's listener (docs/protocol.md) on the HTTP server's event loops and query threads. Until API
 * keys are configured it runs open: any token is taken, and the log says so at start.
 */
public final class TcpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TcpServer.class.getName());

    private final Tidemark database;
    private final TcpLimits limits;
    private final TcpMetrics metrics = new TcpMetrics();
    private final Acknowledger acknowledger = new Acknowledger();
    private final TcpQueries queries;
    private final ApiKeys apiKeys;
    private final String version;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel listener;

    /**
     * A server over {@code database}, answering queries on {@code queryThreads} with {@code options}.
     *
     * @param apiKeys the tokens taken; {@link ApiKeys#OPEN} takes any
     */
    public TcpServer(final Tidemark database, final TcpLimits limits, final Executor queryThreads,
                     final EngineOptions options, final ApiKeys apiKeys, final String version) {
        this.database = database;
        this.limits = limits;
        this.queries = new TcpQueries(this, queryThreads, options);
        this.apiKeys = apiKeys;
        this.version = version;
    }

    /** Binds {@code host:port} on {@code boss} and {@code workers}; returns the port bound. */
    public int start(final EventLoopGroup boss, final EventLoopGroup workers, final String host, final int port)
        throws InterruptedException {
        acknowledger.start();
        final ServerBootstrap bootstrap = HttpServer.bootstrap(boss, workers)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(limits.maxFrameBytes(), 4 * limits.maxFrameBytes()))
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(final SocketChannel ch) {
                    connections.add(ch);
                    ch.pipeline().addLast("tidemark-protocol", new TcpConnection(TcpServer.this));
                }
            });
        listener = bootstrap.bind(host, port).sync().channel();
        final int bound = ((InetSocketAddress) listener.localAddress()).getPort();
        EventLog.info(LOG, "event=tcp_listening host=" + host + " port=" + bound + " auth="
            + (open() ? "open note=\"no API keys are configured (--api-keys-file): any token is taken\""
                : "api_keys keys=" + apiKeys.size()));
        return bound;
    }

    /**
     * Stops accepting, asks every connection to answer what it took and close (ERROR {@code SHUTTING_DOWN}), waits up
     * to {@code waitMillis} for them, closes what is left and stops the acknowledger.
     */
    public boolean close(final long waitMillis) {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        for (final Channel channel : connections) {
            final TcpConnection connection = channel.pipeline().get(TcpConnection.class);
            if (connection != null) {
                channel.eventLoop().execute(connection::shutdown);
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        final boolean clean = connections.isEmpty();
        connections.close().awaitUninterruptibly(waitMillis);
        acknowledger.stop();
        EventLog.info(LOG, "event=tcp_closed clean=" + clean);
        return clean;
    }

    @Override
    public void close() {
        close(5_000);
    }

    TcpLimits limits() {
        return limits;
    }

    /** The counters. */
    public TcpMetrics metrics() {
        return metrics;
    }

    Acknowledger acknowledger() {
        return acknowledger;
    }

    TcpQueries queries() {
        return queries;
    }

    Tidemark database() {
        return database;
    }

    String version() {
        return version;
    }

    /** True while no API key is configured. */
    boolean open() {
        return apiKeys.open();
    }

    /** Whether {@code token} may open a connection to {@code tenant}. */
    boolean authenticate(final String token, final String tenant) {
        return apiKeys.allows(token, tenant);
    }
}
