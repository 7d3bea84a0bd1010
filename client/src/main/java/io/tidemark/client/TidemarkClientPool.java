package io.tidemark.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * {@link ClientConfig#poolSize()} connections to one server, handed out round-robin by {@link #client()}, skipping
 * those that are unhealthy: disconnected, or whose last health-check PING (every
 * {@link ClientConfig#healthCheckInterval()}, from one daemon thread) was not answered. An unhealthy client
 * reconnects by itself and is handed out again once a check succeeds. Thread-safe.
 */
public final class TidemarkClientPool implements AutoCloseable {
    private final List<TidemarkClient> clients;
    private final AtomicIntegerArray healthy;
    private final AtomicInteger next = new AtomicInteger();
    private final ScheduledThreadPoolExecutor checker;
    private final Duration pingTimeout;
    private volatile boolean closing;

    private TidemarkClientPool(final ClientConfig config, final List<TidemarkClient> clients) {
        this.clients = List.copyOf(clients);
        this.healthy = new AtomicIntegerArray(clients.size());
        for (int i = 0; i < clients.size(); i++) {
            healthy.set(i, 1);
        }
        final Duration interval = config.healthCheckInterval();
        this.pingTimeout = interval.compareTo(config.requestTimeout()) < 0 ? interval : config.requestTimeout();
        this.checker = new ScheduledThreadPoolExecutor(1, task -> Thread.ofPlatform().daemon()
            .name("tidemark-client-pool-health").unstarted(task));
        checker.scheduleWithFixedDelay(this::check, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Opens {@code config.poolSize()} clients; if one cannot connect, closes the others and throws its failure. */
    public static TidemarkClientPool connect(final ClientConfig config) {
        final List<TidemarkClient> clients = new ArrayList<>(config.poolSize());
        try {
            for (int i = 0; i < config.poolSize(); i++) {
                clients.add(TidemarkClient.connect(config));
            }
        } catch (final RuntimeException e) {
            clients.forEach(TidemarkClient::close);
            throw e;
        }
        return new TidemarkClientPool(config, clients);
    }

    /**
     * The next healthy client, round-robin; {@link TidemarkException#NOT_CONNECTED} (retryable) if none is healthy.
     */
    public TidemarkClient client() {
        final int n = clients.size();
        final int start = Math.floorMod(next.getAndIncrement(), n);
        for (int k = 0; k < n; k++) {
            final int i = (start + k) % n;
            final TidemarkClient client = clients.get(i);
            if (healthy.get(i) == 1 && client.isConnected()) {
                return client;
            }
        }
        throw new TidemarkException(TidemarkException.NOT_CONNECTED, "none of the " + n + " pooled connections is"
            + " healthy");
    }

    /** Every client of the pool, healthy or not. */
    public List<TidemarkClient> clients() {
        return clients;
    }

    /** Clients healthy at the last check. */
    public int healthyCount() {
        int count = 0;
        for (int i = 0; i < clients.size(); i++) {
            count += healthy.get(i) == 1 && clients.get(i).isConnected() ? 1 : 0;
        }
        return count;
    }

    /** Checks every client now (the background check does this every interval). */
    public void check() {
        for (int i = 0; i < clients.size() && !closing; i++) {
            final TidemarkClient client = clients.get(i);
            boolean ok = client.isConnected();
            if (ok) {
                try {
                    client.ping(pingTimeout);
                } catch (final TidemarkException e) {
                    ok = false;
                }
            }
            healthy.set(i, ok ? 1 : 0);
        }
    }

    /**
     * Stops the health check and closes every client, each with its GOODBYE. The check is let finish the PING it may
     * be waiting for (at most the ping timeout) rather than interrupted: an interrupt that reaches a thread in, or
     * on its way to, a socket channel's write closes that channel (NIO's rule), and the client would then lose its
     * connection without a GOODBYE.
     */
    @Override
    public void close() {
        closing = true;
        checker.shutdown();
        try {
            if (!checker.awaitTermination(pingTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS)) {
                checker.shutdownNow();
            }
        } catch (final InterruptedException e) {
            checker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        clients.forEach(TidemarkClient::close);
    }
}
