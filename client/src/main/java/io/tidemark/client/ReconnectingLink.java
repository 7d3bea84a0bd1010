package io.tidemark.client;

import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.FrameWriter;
import io.tidemark.client.protocol.GoodbyeFrame;
import io.tidemark.client.protocol.HelloFrame;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.PingFrame;
import io.tidemark.client.protocol.Protocol;
import io.tidemark.client.protocol.WelcomeFrame;
import io.tidemark.client.protocol.WriteFrame;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one logical connection of a {@link TidemarkClient}: the current {@link Connection}, the send lock and frame
 * writer every sender uses, and a scheduler thread that sends heartbeats and reconnects. When a connection ends, its
 * requests have failed already; the link reconnects with exponential back-off (initial delay doubling to the maximum,
 * each delay jittered down by up to half), redoes the handshake and registers every series of the client again before
 * publishing the new connection, so no WRITE can reach it before its handles are bound. Callers wait for a connection
 * up to their deadline. Lock order: the send lock, then the state lock.
 */
final class ReconnectingLink {
    /** A request's frames, written under the send lock with the request id it was given. */
    @FunctionalInterface
    interface RequestEncoder {
        /** Writes the request's frame for {@code requestId}. */
        void encode(FrameWriter out, long requestId);
    }

    private final ClientConfig config;
    private final ClientMetrics metrics;
    private final SeriesRegistry registry;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final FrameWriter out = new FrameWriter(64 * 1024, 1 << 30);
    private final AtomicLong requestIds = new AtomicLong();
    private final PendingRequest.Register registerAnswer;
    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition stateChanged = stateLock.newCondition();
    private final ScheduledThreadPoolExecutor scheduler;
    private volatile Connection current;
    private volatile boolean closed;
    private volatile TidemarkException fatal;
    private TidemarkException lastFailure;
    private int generation;
    private long backoffNanos;
    private int registerCount;
    private long registerCountAt;

    ReconnectingLink(final ClientConfig config, final ClientMetrics metrics, final SeriesRegistry registry) {
        this.config = config;
        this.metrics = metrics;
        this.registry = registry;
        this.registerAnswer = new PendingRequest.Register(registry);
        this.backoffNanos = config.reconnectInitialBackoff().toNanos();
        this.scheduler = new ScheduledThreadPoolExecutor(1, task -> Thread.ofPlatform().daemon()
            .name("tidemark-client-scheduler").unstarted(task));
        scheduler.setRemoveOnCancelPolicy(true);
    }

    ClientConfig config() {
        return config;
    }

    ClientMetrics metrics() {
        return metrics;
    }

    SeriesRegistry registry() {
        return registry;
    }

    String address() {
        return config.host() + ":" + config.port();
    }

    long nextRequestId() {
        return requestIds.incrementAndGet();
    }

    /** The current connection if it is alive, else null. */
    Connection current() {
        final Connection connection = current;
        return connection != null && connection.alive() ? connection : null;
    }

    /** Opens the first connection; throws (and stops) if it cannot. */
    void start() {
        try {
            openConnection();
        } catch (final RuntimeException e) {
            closed = true;
            scheduler.shutdownNow();
            throw e;
        }
        scheduler.schedule(this::heartbeat, heartbeatTickNanos(), TimeUnit.NANOSECONDS);
    }

    private void openConnection() {
        final Connection connection;
        try {
            connection = Connection.open(this, ++generation);
        } catch (final IOException e) {
            throw new TidemarkException(TidemarkException.CONNECTION_LOST, "cannot connect to " + address() + ": " + e,
                e);
        }
        try {
            sendLock.lock();
            try {
                clearOut();
                out.maxFrameBytes(Protocol.HANDSHAKE_MAX_FRAME_BYTES);
                new HelloFrame(Protocol.VERSION_1, Protocol.VERSION_1, config.clientName(), config.tenant(),
                    config.token()).encode(out);
                connection.write(out.buffer());
            } finally {
                sendLock.unlock();
            }
            final WelcomeFrame welcome = connection.awaitWelcome(config.connectTimeout());
            sendLock.lock();
            try {
                clearOut();
                out.maxFrameBytes(welcome.maxFrameBytes());
                for (int handle = 0; handle < registry.size(); handle++) {
                    register(connection, registry.get(handle));
                }
                endRegister(connection);
                connection.write(out.buffer());
                out.clear();
                publish(connection);
            } finally {
                sendLock.unlock();
            }
        } catch (final IOException e) {
            connection.end("handshake failed: " + e, e, 0);
            throw new TidemarkException(TidemarkException.CONNECTION_LOST, "handshake with " + address() + " failed",
                e);
        } catch (final RuntimeException e) {
            connection.end("handshake failed: " + e, e, 0);
            throw e;
        }
    }

    private void publish(final Connection connection) {
        stateLock.lock();
        try {
            if (closed) {
                throw closedException();
            }
            if (!connection.alive()) {
                throw new TidemarkException(TidemarkException.CONNECTION_LOST, "connection to " + address()
                    + " ended during the handshake");
            }
            current = connection;
            backoffNanos = config.reconnectInitialBackoff().toNanos();
            stateChanged.signalAll();
        } finally {
            stateLock.unlock();
        }
    }

    /** Called once by each connection that ends: reconnects unless closed or the server refused us for good. */
    void connectionEnded(final Connection connection, final int serverCode, final String message,
                         final Throwable cause) {
        stateLock.lock();
        try {
            if (current != connection) {
                return; // never published: its opener reports the failure
            }
            current = null;
            lastFailure = new TidemarkException(serverCode != 0 ? serverCode : TidemarkException.CONNECTION_LOST,
                message, cause);
            if (!closed && isFatal(serverCode)) {
                fatal = lastFailure;
            }
            stateChanged.signalAll();
            if (!closed && fatal == null) {
                scheduleReconnect();
            }
        } finally {
            stateLock.unlock();
        }
    }

    /** Codes after which connecting again cannot help: the configuration must change. */
    static boolean isFatal(final int code) {
        return code == ErrorCode.AUTH_FAILED || code == ErrorCode.UNSUPPORTED_VERSION || code == ErrorCode.BAD_MAGIC
            || code == ErrorCode.INVALID_TENANT;
    }

    private void scheduleReconnect() {
        final long delay = backoffNanos / 2 + ThreadLocalRandom.current().nextLong(backoffNanos / 2 + 1);
        try {
            scheduler.schedule(this::reconnect, delay, TimeUnit.NANOSECONDS);
        } catch (final RejectedExecutionException ignored) {
            // The client is closing.
        }
    }

    private void reconnect() {
        if (closed) {
            return;
        }
        try {
            openConnection();
            metrics.reconnected();
        } catch (final TidemarkException e) {
            stateLock.lock();
            try {
                lastFailure = e;
                if (isFatal(e.code())) {
                    fatal = e;
                    stateChanged.signalAll();
                } else if (!closed) {
                    backoffNanos = Math.min(backoffNanos * 2, config.reconnectMaxBackoff().toNanos());
                    scheduleReconnect();
                }
            } finally {
                stateLock.unlock();
            }
        }
    }

    /** The live connection, waiting for a reconnection up to {@code deadlineNanos}. */
    Connection awaitConnection(final long deadlineNanos) {
        final Connection fast = current;
        if (fast != null && fast.alive() && !closed) {
            return fast;
        }
        stateLock.lock();
        try {
            while (true) {
                if (closed) {
                    throw closedException();
                }
                if (fatal != null) {
                    throw new TidemarkException(fatal.code(), "the server refused the connection: "
                        + fatal.getMessage(), fatal);
                }
                final Connection connection = current;
                if (connection != null && connection.alive()) {
                    return connection;
                }
                final long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    throw new TidemarkException(TidemarkException.NOT_CONNECTED, "no connection to " + address()
                        + " within the request timeout", lastFailure);
                }
                stateChanged.awaitNanos(left);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(TidemarkException.NOT_CONNECTED, "interrupted waiting for a connection", e);
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * Sends one request (not a WRITE) and registers its pending answer; returns its id. A connection that ends
     * before the frame is out makes it wait for the next one; one that ends after fails the request.
     */
    long send(final PendingRequest request, final RequestEncoder encoder, final long deadlineNanos) {
        while (true) {
            final Connection connection = awaitConnection(deadlineNanos);
            long id = 0;
            sendLock.lock();
            try {
                if (closed) {
                    throw closedException();
                }
                if (connection != current || !connection.alive()) {
                    continue;
                }
                id = nextRequestId();
                clearOut();
                encoder.encode(out, id);
                connection.pending().put(id, request);
                if (!connection.alive()) {
                    if (connection.pending().remove(id) != null) {
                        continue; // nothing was sent: try the next connection
                    }
                    return id; // the ending connection failed the request
                }
                connection.write(out.buffer());
                return id;
            } catch (final IOException e) {
                connection.end("write failed: " + e, e, 0);
                return id;
            } finally {
                sendLock.unlock();
            }
        }
    }

    /** Forgets a request that timed out, so a late answer is skipped. */
    void forget(final long requestId) {
        final Connection connection = current;
        if (connection != null) {
            connection.pending().remove(requestId);
        }
    }

    /**
     * Sends one WRITE of at most {@code available} samples of the columns from {@code from}, preceded by REGISTER
     * frames for series this connection does not know yet; returns the samples sent. Waits for a connection and for
     * credits up to {@code deadlineNanos}. A connection that ends after the frame was written fails it through
     * {@code tracker}, and it still counts as sent.
     */
    int sendWrite(final int[] handles, final long[] timestamps, final double[] values, final int from,
                  final int available, final int durability, final FlushTracker tracker, final long deadlineNanos) {
        while (true) {
            final Connection connection = awaitConnection(deadlineNanos);
            final WriteWindow window = connection.window();
            final int n = Math.min(available, window.maxSamplesPerWrite());
            if (!window.acquire(n, deadlineNanos)) {
                continue;
            }
            boolean pushed = false;
            sendLock.lock();
            try {
                if (closed) {
                    throw closedException();
                }
                if (connection != current || !connection.alive()) {
                    continue;
                }
                clearOut();
                for (int i = from; i < from + n; i++) {
                    register(connection, registry.get(handles[i]));
                }
                endRegister(connection);
                final long id = nextRequestId();
                WriteFrame.encode(out, id, durability, handles, timestamps, values, from, n);
                tracker.expect(id);
                if (!window.push(id, tracker, n, System.nanoTime())) {
                    tracker.retract(id);
                    continue;
                }
                pushed = true;
                connection.write(out.buffer());
                return n;
            } catch (final IOException e) {
                connection.end("write failed: " + e, e, 0);
                if (pushed) {
                    return n;
                }
            } finally {
                if (!pushed) {
                    window.release(n);
                }
                sendLock.unlock();
            }
        }
    }

    /** Adds {@code series} to the REGISTER frame being written unless this connection has it; under the send lock. */
    private void register(final Connection connection, final Series series) throws IOException {
        if (series.registeredGeneration == connection.generation()) {
            return;
        }
        if (registerCount > 0 && out.frameLength() + series.entryBytes() > out.maxFrameBytes()) {
            endRegister(connection);
        }
        if (registerCount == 0) {
            final long id = nextRequestId();
            connection.pending().put(id, registerAnswer);
            out.begin(MessageType.REGISTER).i64(id);
            registerCountAt = out.position();
            out.u32(0);
        }
        series.encodeEntry(out);
        registerCount++;
        series.registeredGeneration = connection.generation();
    }

    /** Starts the frame buffer afresh (under the send lock), forgetting a REGISTER left unfinished by a failure. */
    private void clearOut() {
        out.clear();
        registerCount = 0;
    }

    private void endRegister(final Connection connection) throws IOException {
        if (registerCount == 0) {
            return;
        }
        out.patchU32(registerCountAt, registerCount);
        out.end();
        registerCount = 0;
        if (out.size() >= out.maxFrameBytes()) {
            connection.write(out.buffer()); // many new series: do not let the buffer grow without bound
            out.clear();
        }
    }

    private void heartbeat() {
        if (closed) {
            return;
        }
        final Connection connection = current();
        if (connection != null && connection.welcome() != null) {
            final long now = System.nanoTime();
            if (connection.heartbeatOutstanding()) {
                final long dead = deadAfterNanos(connection.welcome());
                if (now - connection.heartbeatSentNanos() > dead) {
                    connection.end("no PONG within " + TimeUnit.NANOSECONDS.toMillis(dead) + " ms", null, 0);
                }
            } else if (now - connection.lastSendNanos() >= heartbeatNanos(connection.welcome())
                && sendLock.tryLock()) {
                try {
                    if (connection == current && connection.alive()) {
                        final long nonce = nextRequestId();
                        clearOut();
                        PingFrame.encode(out, MessageType.PING, nonce);
                        connection.heartbeatSending(nonce, now);
                        connection.write(out.buffer());
                    }
                } catch (final IOException e) {
                    connection.end("heartbeat write failed: " + e, e, 0);
                } finally {
                    sendLock.unlock();
                }
            }
        }
        try {
            scheduler.schedule(this::heartbeat, heartbeatTickNanos(), TimeUnit.NANOSECONDS);
        } catch (final RejectedExecutionException ignored) {
            // The client is closing.
        }
    }

    /** The heartbeat interval: configured, or a third of the server's idle timeout (10 s if it has none). */
    long heartbeatNanos(final WelcomeFrame welcome) {
        if (config.heartbeatInterval() != null) {
            return config.heartbeatInterval().toNanos();
        }
        return welcome.idleTimeoutMillis() > 0 ? TimeUnit.MILLISECONDS.toNanos(welcome.idleTimeoutMillis()) / 3
            : TimeUnit.SECONDS.toNanos(10);
    }

    private long deadAfterNanos(final WelcomeFrame welcome) {
        return welcome.idleTimeoutMillis() > 0 ? TimeUnit.MILLISECONDS.toNanos(welcome.idleTimeoutMillis())
            : 3 * heartbeatNanos(welcome);
    }

    private long heartbeatTickNanos() {
        final Connection connection = current();
        final long interval = connection != null && connection.welcome() != null
            ? heartbeatNanos(connection.welcome())
            : config.heartbeatInterval() != null ? config.heartbeatInterval().toNanos() : TimeUnit.SECONDS.toNanos(1);
        return Math.clamp(interval / 4, TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.SECONDS.toNanos(1));
    }

    /**
     * Closes: no request is sent after this; GOODBYE goes out, the server answers what it took and says GOODBYE
     * (waited for up to the close timeout), then the socket and the threads stop. Idempotent.
     */
    void close() {
        stateLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            stateChanged.signalAll();
        } finally {
            stateLock.unlock();
        }
        final Connection connection = current();
        if (connection != null) {
            sayGoodbye(connection);
            connection.awaitGoodbye(config.closeTimeout());
        }
        final Connection last = connection != null ? connection : current;
        if (last != null) {
            last.close(Duration.ofSeconds(1));
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(1, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sayGoodbye(final Connection connection) {
        try {
            // A sender stuck writing to a server that stopped reading must not hold close() forever.
            if (!sendLock.tryLock(config.closeTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                connection.end("the send lock stayed busy, GOODBYE not sent", null, 0);
                return;
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.end("interrupted before GOODBYE", e, 0);
            return;
        }
        try {
            clearOut();
            GoodbyeFrame.encode(out, MessageType.GOODBYE);
            connection.goodbyeSent();
            connection.write(out.buffer());
        } catch (final IOException e) {
            connection.end("GOODBYE failed: " + e, e, 0);
        } finally {
            sendLock.unlock();
        }
    }

    boolean closed() {
        return closed;
    }

    private TidemarkException closedException() {
        return new TidemarkException(TidemarkException.CLOSED, "the client to " + address() + " is closed");
    }
}
