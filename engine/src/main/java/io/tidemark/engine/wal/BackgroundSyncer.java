package io.tidemark.engine.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread that forces a {@link WalWriter}'s segment in {@link Durability#FSYNC} mode when
 * {@link WalConfig#backgroundSync()} is on, so the shard thread keeps appending while the device
 * works. The shard thread writes records to the OS and then {@link #request requests} "durable up to
 * sequence S with mark M on this channel"; the syncer forces the channel and publishes S and M.
 * Requests coalesce: a force covers everything written before it began, so while one force runs,
 * later requests pile up and the next force covers them all (group commit across the wait).
 *
 * <p>Only this thread publishes the writer's durable position while it runs, so the position never
 * moves backwards. The handoff is three fields under a lock held for a few loads and stores, never
 * across a force, so the shard thread does not wait on the device. No allocation per request.
 */
final class BackgroundSyncer implements Runnable {
    private static final long IDLE_PARK_NANOS = 1_000_000;

    private final WalFiles files;
    private final DurablePosition durable;
    private final Thread thread;
    private final Object lock = new Object();

    // Guarded by lock: the latest request.
    private FileChannel channel;
    private long requestedSequence;
    private long requestedMark;
    private boolean stopping;

    // Written by the syncer thread only.
    private long forcedSequence;
    private volatile long completedSequence;
    private volatile long completedMark;
    private volatile long forces;
    private volatile IOException failure;

    BackgroundSyncer(final WalFiles files, final DurablePosition durable, final int shard, final long sequence, final long mark) {
        this.files = files;
        this.durable = durable;
        this.requestedSequence = sequence;
        this.requestedMark = mark;
        this.forcedSequence = sequence;
        this.completedSequence = sequence;
        this.completedMark = mark;
        this.thread = new Thread(this, "wal-sync-shard-" + shard);
        thread.setDaemon(true);
        thread.start();
    }

    /** Shard thread: records up to {@code sequence}, all written to {@code segment}, are to become durable with {@code mark}. */
    void request(final FileChannel segment, final long sequence, final long mark) {
        synchronized (lock) {
            channel = segment;
            requestedSequence = sequence;
            requestedMark = mark;
        }
        LockSupport.unpark(thread);
    }

    /** Shard thread: waits until the request for {@code sequence} and {@code mark} is published; throws the syncer's failure. */
    void awaitCompleted(final long sequence, final long mark) throws IOException {
        long park = 1_000;
        while (completedSequence < sequence || completedMark < mark) {
            final IOException failed = failure;
            if (failed != null) {
                throw failed;
            }
            LockSupport.parkNanos(park);
            park = Math.min(park << 1, DurablePosition.MAX_PARK_NANOS);
        }
    }

    /** The last sequence this syncer made durable and published. */
    long completedSequence() {
        return completedSequence;
    }

    /** The syncer's I/O error, or null. */
    IOException failure() {
        return failure;
    }

    /** Forces done on segment files. */
    long forces() {
        return forces;
    }

    /** Shard thread: stops the syncer after it finished the last request, and waits for it. */
    void stop() {
        synchronized (lock) {
            stopping = true;
        }
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (final InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        while (true) {
            final FileChannel segment;
            final long sequence;
            final long mark;
            final boolean stop;
            synchronized (lock) {
                segment = channel;
                sequence = requestedSequence;
                mark = requestedMark;
                stop = stopping;
            }
            if (sequence == completedSequence && mark == completedMark) {
                if (stop) {
                    return;
                }
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                continue;
            }
            if (sequence > forcedSequence) {
                try {
                    files.force(segment);
                } catch (final IOException | RuntimeException e) {
                    final IOException cause = e instanceof IOException io ? io : new IOException("WAL fsync failed", e);
                    failure = cause;
                    durable.failed(cause);
                    return;
                }
                forcedSequence = sequence;
                forces++;
            }
            durable.publish(sequence, mark);
            completedMark = mark;
            completedSequence = sequence;
        }
    }
}
