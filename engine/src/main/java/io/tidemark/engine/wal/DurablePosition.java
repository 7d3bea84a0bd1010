package io.tidemark.engine.wal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * How far a {@link WalWriter}'s records are durable, published by the writer's thread and read by
 * any thread without locks: the highest durable record {@link #sequence()} and the highest durable
 * {@link #mark()} (a caller's own position, such as a ring-buffer sequence, given to
 * {@link WalWriter#mark(long)}). Both only grow. "Durable" means what the writer's
 * {@link Durability} says.
 *
 * <p>A waiter polls with {@link #awaitSequence} or {@link #awaitMark}, which spin briefly and then
 * park with a growing back-off (at most {@value #MAX_PARK_NANOS} ns), allocating nothing. The
 * writer thread never blocks on waiters.
 *
 * <p>Thread-safety: the writer's thread and its background syncer publish; any thread reads and waits.
 */
public final class DurablePosition {
    /** Longest park between two polls of a waiter. */
    public static final long MAX_PARK_NANOS = 100_000;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    // The values sit in the middle of a padded array so that readers polling them never share a cache
    // line with the writer's hot fields or another writer's position.
    private static final int SEQUENCE = 8;
    private static final int MARK = 9;
    private static final int STATE = 10;
    private static final int SLOT_COUNT = 19;
    private static final long OPEN = 0;
    private static final long CLOSED = 1;
    private static final long FAILED = 2;
    private static final int SPINS = 64;

    private final long[] slots = new long[SLOT_COUNT];
    private volatile Throwable failure;

    DurablePosition(final long sequence, final long mark) {
        slots[SEQUENCE] = sequence;
        slots[MARK] = mark;
        VarHandle.releaseFence();
    }

    /** The highest record sequence number that is durable: every record up to it is. */
    public long sequence() {
        return (long) SLOTS.getAcquire(slots, SEQUENCE);
    }

    /** The highest caller mark whose records are all durable; -1 before the first. */
    public long mark() {
        return (long) SLOTS.getAcquire(slots, MARK);
    }

    /** Whether the writer failed: its position will not move again; {@link #failure()} says why. */
    public boolean isFailed() {
        return (long) SLOTS.getAcquire(slots, STATE) == FAILED;
    }

    /** Whether the writer was closed (or failed): the position will not move again. */
    public boolean isFinished() {
        return (long) SLOTS.getAcquire(slots, STATE) != OPEN;
    }

    /** Why the writer failed, or null. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Waits until {@link #sequence()} reaches {@code sequence}. Returns true if it did, false after
     * {@code timeoutNanos} or once the writer is closed or failed without reaching it.
     */
    public boolean awaitSequence(final long sequence, final long timeoutNanos) {
        return await(SEQUENCE, sequence, timeoutNanos);
    }

    /**
     * Waits until {@link #mark()} reaches {@code mark}. Returns true if it did, false after
     * {@code timeoutNanos} or once the writer is closed or failed without reaching it.
     */
    public boolean awaitMark(final long mark, final long timeoutNanos) {
        return await(MARK, mark, timeoutNanos);
    }

    private boolean await(final int slot, final long target, final long timeoutNanos) {
        if ((long) SLOTS.getAcquire(slots, slot) >= target) {
            return true;
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        long park = 1_000;
        for (int round = 0; ; round++) {
            if ((long) SLOTS.getAcquire(slots, slot) >= target) {
                return true;
            }
            if (isFinished()) {
                return (long) SLOTS.getAcquire(slots, slot) >= target;
            }
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (round < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(Math.min(park, left));
                park = Math.min(park << 1, MAX_PARK_NANOS);
            }
        }
    }

    /**
     * Publishes a durable sequence and mark. Each only grows: a value below the published one is
     * ignored, so the writer's thread and its syncer may both publish without a lock.
     */
    void publish(final long sequence, final long mark) {
        // The sequence first: a reader that sees a mark also sees the records it stands for as durable.
        raise(SEQUENCE, sequence);
        raise(MARK, mark);
        final Runnable wake = onPublish;
        if (wake != null) {
            wake.run();
        }
    }

    /** Run after each publish, on the publishing thread (the WAL's syncer, say), or null. */
    private volatile Runnable onPublish;

    /**
     * Has every publish run {@code wake} afterwards: the shard that owns the WAL wakes when the syncer makes its records
     * durable, rather than when its park runs out, and moves its durable watermark at once. Cheap to call again.
     */
    public void wakeOnPublish(final Runnable wake) {
        if (onPublish != wake) {
            onPublish = wake;
        }
    }

    private void raise(final int slot, final long value) {
        long current;
        do {
            current = (long) SLOTS.getVolatile(slots, slot);
            if (current >= value) {
                return;
            }
        } while (!SLOTS.compareAndSet(slots, slot, current, value));
    }

    void closed() {
        SLOTS.compareAndSet(slots, STATE, OPEN, CLOSED);
    }

    void failed(final Throwable cause) {
        failure = cause;
        SLOTS.setRelease(slots, STATE, FAILED);
    }
}
