package io.tidemark.ingest;

/**
 * One monitor that every shard of an {@link Ingest} signals when its applied or durable watermark moves, for a thread
 * that watches many producers' progress at once (the binary protocol's acknowledger) instead of one shard at a time.
 * Signalling costs a shard one volatile read while nobody {@linkplain #watch() watches}.
 *
 * <p>Use: {@link #watch()} while there is progress to wait for, read {@link #version()}, check the watermarks, and
 * {@link #await(long, long)} with the version read before the check: a move after the read changes the version, so
 * the wait returns at once and no wake-up is lost. {@link #unwatch()} when there is nothing left to wait for.
 */
public final class ProgressSignal {
    private final Object lock = new Object();
    private volatile int watchers;
    private volatile long version;

    /** Counts one more watcher: from now on every move bumps the version and wakes waiters. */
    public void watch() {
        synchronized (lock) {
            watchers++;
        }
    }

    /** Counts one watcher less. */
    public void unwatch() {
        synchronized (lock) {
            watchers--;
        }
    }

    /** Changes whenever a watermark moved while someone watched. */
    public long version() {
        return version;
    }

    /** Shard side: a watermark moved. */
    void signal() {
        if (watchers > 0) {
            synchronized (lock) {
                version++;
                lock.notifyAll();
            }
        }
    }

    /** Blocks until the version differs from {@code seen} or about {@code maxNanos} pass (millisecond granularity). */
    public void await(final long seen, final long maxNanos) {
        synchronized (lock) {
            if (version != seen) {
                return;
            }
            try {
                lock.wait(Math.max(1, maxNanos / 1_000_000));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
