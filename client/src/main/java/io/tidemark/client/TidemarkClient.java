package io.tidemark.client;

import io.tidemark.client.protocol.HelloFrame;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.PingFrame;
import io.tidemark.client.protocol.Protocol;
import io.tidemark.client.protocol.QueryFrame;
import io.tidemark.client.protocol.SelectFrame;
import io.tidemark.client.protocol.WelcomeFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client of Tidemark's binary protocol (docs/protocol.md) over one TCP connection that it keeps alive: heartbeats
 * when idle, and when the connection breaks, fails what was in flight with a retryable {@link TidemarkException},
 * reconnects in the background with back-off and registers its series again. Thread-safe: any number of threads may
 * query, and each writing thread takes its own {@link #writer()}. Requests are pipelined: the caller thread sends
 * under a lock, one reader thread completes the answers. Every call is bounded by the request timeout, including the
 * wait for a reconnection.
 */
public final class TidemarkClient implements AutoCloseable {
    private final ClientConfig config;
    private final ClientMetrics metrics = new ClientMetrics();
    private final ReconnectingLink link;

    private TidemarkClient(final ClientConfig config) {
        this.config = config;
        this.link = new ReconnectingLink(config, metrics, new SeriesRegistry());
    }

    /**
     * Connects and does the handshake; throws {@link TidemarkException} if the server cannot be reached
     * ({@code CONNECTION_LOST}), does not answer in time ({@code TIMEOUT}) or refuses ({@code AUTH_FAILED},
     * {@code UNSUPPORTED_VERSION}, {@code INVALID_TENANT}, ...). Later failures are handled by reconnecting.
     */
    public static TidemarkClient connect(final ClientConfig config) {
        checkLength("clientName", config.clientName(), Protocol.MAX_CLIENT_NAME_BYTES);
        checkLength("tenant", config.tenant(), HelloFrame.MAX_TENANT_BYTES);
        checkLength("token", config.token(), Protocol.MAX_TOKEN_BYTES);
        final TidemarkClient client = new TidemarkClient(config);
        client.link.start();
        return client;
    }

    private static void checkLength(final String name, final String text, final int maxBytes) {
        final int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new IllegalArgumentException(name + " of " + bytes + " bytes is above the limit of " + maxBytes);
        }
    }

    /** The configuration. */
    public ClientConfig config() {
        return config;
    }

    /** This client's counters and acknowledgement latency. */
    public ClientMetrics metrics() {
        return metrics;
    }

    /** A new writer for the calling thread (writers are not thread-safe; they share this client's connection). */
    public SeriesWriter writer() {
        return new SeriesWriter(link);
    }

    /** True while a connection is up (false while reconnecting and after close). */
    public boolean isConnected() {
        return !link.closed() && link.current() != null;
    }

    /** The limits the server gave the current connection, or null while disconnected. */
    public WelcomeFrame serverLimits() {
        final Connection connection = link.current();
        return connection == null ? null : connection.welcome();
    }

    /** Evaluates an instant PromQL query at {@code timeMillis}. Server errors throw with their code, e.g. BAD_QUERY. */
    public QueryResult query(final String promql, final long timeMillis) {
        return query(QueryFrame.INSTANT, promql, timeMillis, 0, 0);
    }

    /** Evaluates a range PromQL query from {@code startMillis} to {@code endMillis} every {@code stepMillis}. */
    public QueryResult queryRange(final String promql, final long startMillis, final long endMillis,
                                  final long stepMillis) {
        if (stepMillis <= 0 || endMillis < startMillis) {
            throw new IllegalArgumentException("start=" + startMillis + " end=" + endMillis + " step=" + stepMillis
                + ": the step must be positive and end >= start");
        }
        return query(QueryFrame.RANGE, promql, startMillis, endMillis, stepMillis);
    }

    private QueryResult query(final int kind, final String promql, final long time, final long end,
                              final long step) {
        final int bytes = promql.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Protocol.MAX_QUERY_BYTES) {
            throw new IllegalArgumentException("query of " + bytes + " bytes is above " + Protocol.MAX_QUERY_BYTES);
        }
        final long timeoutMillis = Math.min(0xFFFF_FFFFL, config.requestTimeout().toMillis());
        final PendingRequest.Query request = new PendingRequest.Query();
        return call(request, request.future,
            (out, id) -> new QueryFrame(id, kind, timeoutMillis, time, end, step, promql).encode(out));
    }

    /**
     * The raw samples in {@code [startMillis, endMillis]} of every series the matchers select (at least one matcher
     * must not match the empty string), decoded from the server's XOR chunks, series in label order.
     */
    public List<SeriesSamples> select(final long startMillis, final long endMillis, final Matcher... matchers) {
        if (matchers.length < 1 || matchers.length > Protocol.MAX_MATCHERS) {
            throw new IllegalArgumentException("matchers=" + matchers.length + "; 1 to " + Protocol.MAX_MATCHERS
                + " are allowed");
        }
        final List<SelectFrame.Matcher> wire = new ArrayList<>(matchers.length);
        for (final Matcher matcher : matchers) {
            wire.add(matcher.toFrame());
        }
        final PendingRequest.Select request = new PendingRequest.Select(startMillis, endMillis);
        return call(request, request.future, (out, id) -> new SelectFrame(id, startMillis, endMillis, wire).encode(out));
    }

    /** Sends a PING and waits for its PONG; returns the round trip in nanoseconds. */
    public long ping(final Duration timeout) {
        final PendingRequest.Ping request = new PendingRequest.Ping();
        return call(request, request.future, (out, id) -> PingFrame.encode(out, MessageType.PING, id),
            System.nanoTime() + timeout.toNanos());
    }

    private <T> T call(final PendingRequest request, final CompletableFuture<T> future,
                       final ReconnectingLink.RequestEncoder encoder) {
        return call(request, future, encoder, System.nanoTime() + config.requestTimeout().toNanos());
    }

    private <T> T call(final PendingRequest request, final CompletableFuture<T> future,
                       final ReconnectingLink.RequestEncoder encoder, final long deadlineNanos) {
        final long id = link.send(request, encoder, deadlineNanos);
        try {
            return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof TidemarkException failure) {
                throw failure;
            }
            throw new TidemarkException(TidemarkException.CONNECTION_LOST, "request " + id + " failed", e.getCause());
        } catch (final TimeoutException e) {
            link.forget(id);
            throw new TidemarkException(TidemarkException.TIMEOUT, "request " + id + " not answered within the"
                + " timeout");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            link.forget(id);
            throw new TidemarkException(TidemarkException.TIMEOUT, "interrupted waiting for request " + id, e);
        }
    }

    /**
     * Closes cleanly: sends GOODBYE, waits (up to the close timeout) for the server to answer what it took and say
     * GOODBYE, then closes the socket and stops the threads. Requests still unanswered fail with {@code CLOSED}.
     * Idempotent.
     */
    @Override
    public void close() {
        link.close();
    }

    @Override
    public String toString() {
        return "TidemarkClient[" + config.host() + ":" + config.port() + (isConnected() ? " connected" : "") + "]";
    }
}
