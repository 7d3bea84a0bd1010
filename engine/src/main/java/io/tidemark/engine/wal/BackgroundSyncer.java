package io.tidemark.engine.wal;

import io.tidemark.engine.util.Threads;
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
 * <p>This thread publishes the writer's durable position, and so does the shard thread for a mark
 * given while no record is in flight ({@link WalWriter#mark(long)}); {@link DurablePosition} only
 * raises its values, so a late, older publish never moves the position backwards. The handoff is three fields under a lock held for a few loads and stores, never
 * across a force, so the shard thread does not wait on the device. No allocation per request.
 *
 * <p>The thread's loop body is {@link #syncOnce()}. A syncer made with {@link #unstarted} has no
 * thread: one thread of the caller's plays the syncer by calling {@link #syncOnce()}, which is how
 * the jcstress scenarios ({@code jcstress-tests}, {@code WalGroupCommitTests}) interleave the shard
 * thread and the syncer step by step.
 */
final class BackgroundSyncer implements Runnable {
    /** What one {@link #syncOnce()} did. */
    enum Step {
        /** Published the latest request, after forcing the segment if no earlier force covered it. */
        SYNCED,
        /** Nothing requested beyond what is published. */
        IDLE,
        /** Done for good: stopped with nothing left to publish, or a force failed ({@link #failure()}). */
        FINISHED
    }

    private static final long IDLE_PARK_NANOS = 1_000_000;

    private final WalFiles files;
    private final DurablePosition durable;
    /** The syncer's own thread; null when the caller drives {@link #syncOnce()}. */
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

    private BackgroundSyncer(final WalFiles files, final DurablePosition durable, final long sequence, final long mark,
                             final String threadName) {
        this.files = files;
        this.durable = durable;
        this.requestedSequence = sequence;
        this.requestedMark = mark;
        this.forcedSequence = sequence;
        this.completedSequence = sequence;
        this.completedMark = mark;
        if (threadName == null) {
            this.thread = null;
        } else {
            this.thread = new Thread(this, threadName);
            thread.setDaemon(true);
        }
    }

    /** A syncer on a daemon thread of its own, started; everything up to {@code sequence} and {@code mark} is durable. */
    static BackgroundSyncer start(final WalFiles files, final DurablePosition durable, final int shard, final long sequence,
                                  final long mark) {
        final BackgroundSyncer syncer = new BackgroundSyncer(files, durable, sequence, mark, "wal-sync-shard-" + shard);
        syncer.thread.start();
        return syncer;
    }

    /**
     * A syncer without a thread, for concurrency tests: exactly one thread at a time plays the syncer
     * thread by calling {@link #syncOnce()}. {@link #awaitCompleted} throws instead of waiting for a
     * request nobody is publishing.
     */
    static BackgroundSyncer unstarted(final WalFiles files, final DurablePosition durable, final long sequence, final long mark) {
        return new BackgroundSyncer(files, durable, sequence, mark, null);
    }

    /** Shard thread: records up to {@code sequence}, all written to {@code segment}, are to become durable with {@code mark}. */
    void request(final FileChannel segment, final long sequence, final long mark) {
        synchronized (lock) {
            channel = segment;
            requestedSequence = sequence;
            requestedMark = mark;
        }
        LockSupport.unpark(thread); // no effect when the syncer has no thread
    }

    /** Shard thread: waits until the request for {@code sequence} and {@code mark} is published; throws the syncer's failure. */
    void awaitCompleted(final long sequence, final long mark) throws IOException {
        long park = 1_000;
        while (completedSequence < sequence || completedMark < mark) {
            final IOException failed = failure;
            if (failed != null) {
                throw failed;
            }
            if (thread == null) {
                throw new IllegalStateException("the syncer has no thread: run syncOnce() until the request is published"
                    + " before waiting for it: sequence=" + sequence + " mark=" + mark);
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
        if (thread == null) {
            return;
        }
        LockSupport.unpark(thread);
        Threads.joinUninterruptibly(thread);
    }

    @Override
    public void run() {
        Step step;
        while ((step = syncOnce()) != Step.FINISHED) {
            if (step == Step.IDLE) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
        }
    }

    /**
     * One turn of the syncer thread: takes the latest request and, unless it is published already,
     * forces the segment (when no earlier force covered its records) and only then publishes its
     * sequence and mark. The request is read once, before the force, so what is published never goes
     * beyond what was written when the force began. Syncer thread only.
     */
    Step syncOnce() {
        if (failure != null) {
            return Step.FINISHED;
        }
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
            return stop ? Step.FINISHED : Step.IDLE;
        }
        if (sequence > forcedSequence) {
            try {
                files.force(segment);
            } catch (final IOException | RuntimeException e) {
                final IOException cause = e instanceof IOException io ? io : new IOException("WAL fsync failed", e);
                failure = cause;
                durable.failed(cause);
                return Step.FINISHED;
            }
            forcedSequence = sequence;
            forces++;
        }
        durable.publish(sequence, mark);
        completedMark = mark;
        completedSequence = sequence;
        return Step.SYNCED;
    }
}
