package io.tidemark.server.tcp;

import io.tidemark.ingest.ProgressSignal;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread that answers DURABLE writes: it watches every connection's writes in flight and, when the shards' durable
 * watermarks pass a write's batches, has the connection's event loop send the acknowledgements
 * ({@link TcpConnection#answer}). (An APPLIED write needs no watermark: the shard that applies its last batch asks
 * the event loop itself.) While a DURABLE write waits it sleeps on the ingest's {@link ProgressSignal}, which every
 * shard signals when a watermark moves; otherwise it parks until a connection {@linkplain #wake() wakes} it. It
 * allocates nothing per write.
 */
final class Acknowledger implements Runnable {
    private static final long MAX_WAIT_NANOS = 1_000_000;
    private static final long IDLE_PARK_NANOS = 50_000_000;

    /** The ingest's signal, known from the first connection (every appender of a database shares it). */
    private volatile ProgressSignal progress;
    private volatile TcpConnection[] connections = new TcpConnection[0];
    private volatile boolean parked;
    private volatile boolean running = true;
    private final Thread thread;

    Acknowledger() {
        this.thread = Thread.ofPlatform().name("tidemark-tcp-ack").daemon(true).unstarted(this);
    }

    void start() {
        thread.start();
    }

    synchronized void add(final TcpConnection connection, final ProgressSignal signal) {
        if (progress == null) {
            progress = signal;
        }
        final TcpConnection[] now = connections;
        final TcpConnection[] next = java.util.Arrays.copyOf(now, now.length + 1);
        next[now.length] = connection;
        connections = next;
    }

    synchronized void remove(final TcpConnection connection) {
        final TcpConnection[] now = connections;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == connection) {
                final TcpConnection[] next = new TcpConnection[now.length - 1];
                System.arraycopy(now, 0, next, 0, i);
                System.arraycopy(now, i + 1, next, i, now.length - i - 1);
                connections = next;
                return;
            }
        }
    }

    /** A connection queued a write: wakes the thread if it is parked for want of work. */
    void wake() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void run() {
        boolean watching = false;
        while (running) {
            final ProgressSignal progress = this.progress;
            if (progress == null) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                continue;
            }
            final long version = progress.version();
            final boolean waiting = scan();
            if (waiting) {
                if (!watching) {
                    progress.watch(); // from now on a move bumps the version: scan again before sleeping on it
                    watching = true;
                    continue;
                }
                progress.await(version, MAX_WAIT_NANOS);
                continue;
            }
            if (watching) {
                progress.unwatch();
                watching = false;
            }
            parked = true; // a write queued after this sees it and unparks; one queued before is seen by this scan
            if (!scan()) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
            parked = false;
        }
    }

    /** Completes what can be completed; returns true if some write still waits for a watermark. */
    private boolean scan() {
        boolean waiting = false;
        for (final TcpConnection connection : connections) {
            final TcpWrites writes = connection.writes();
            if (writes == null) {
                continue;
            }
            if (writes.advance()) {
                connection.answer();
            }
            waiting |= writes.waiting();
        }
        return waiting;
    }

    /** Stops the thread. */
    void stop() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
