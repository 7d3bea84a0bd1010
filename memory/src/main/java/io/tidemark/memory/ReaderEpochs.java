package io.tidemark.memory;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Epoch-based reclamation for memory that readers reach without locks: a writer may free what it
 * unlinked only once every reader that could still hold it has left.
 *
 * <p>Readers bracket their work with {@link #enter()} and {@link #exit(long)}: entering counts the
 * reader in the current epoch's counter (two counters, for even and odd epochs) and re-reads the
 * epoch, retrying if it moved, so a counted reader entered while its epoch was current. The writer
 * unlinks an object (replaces the reference readers follow), notes {@link #epoch()} as the object's
 * retirement epoch {@code r}, and frees it once {@link #safeToFree(long)} says the epoch has reached
 * {@code r + 2}.
 *
 * <p>Why that is safe: the epoch moves from {@code e} to {@code e + 1} only when no reader is
 * counted in {@code e - 1} (the counter that {@code e + 1} reuses). Reaching {@code r + 2} therefore
 * means that every reader of epoch {@code r} or earlier has left; a reader of a later epoch entered
 * after the epoch moved past {@code r}, which happened after the unlink, so it can only see the new
 * reference. A reader that reads an epoch, stalls, and counts itself after the epoch moved on sees
 * the change on its re-read and retries before reading anything.
 *
 * <p>Threads: {@link #enter()} and {@link #exit(long)} from any thread; {@link #tryAdvance()} by one
 * writer at a time (the owner's lock). A reader costs two atomic increments on a shared counter, so
 * this guards queries (microseconds and up), not per-sample paths.
 */
public final class ReaderEpochs {
    /** Longs between the two counters, so they sit on different cache lines. */
    private static final int STRIDE = 16;

    private final AtomicLongArray active = new AtomicLongArray(2 * STRIDE);
    private volatile long epoch;

    /** Counts the caller as a reader; returns the epoch to pass to {@link #exit(long)}. */
    public long enter() {
        while (true) {
            final long entered = epoch;
            active.getAndIncrement(counter(entered));
            if (epoch == entered) {
                return entered;
            }
            active.getAndDecrement(counter(entered));
        }
    }

    /** Ends a read that {@link #enter()} began. */
    public void exit(final long entered) {
        active.getAndDecrement(counter(entered));
    }

    /** The current epoch: what an object unlinked now is retired at. */
    public long epoch() {
        return epoch;
    }

    /** Moves the epoch on by one if no reader of the previous epoch remains; writer only. */
    public boolean tryAdvance() {
        final long current = epoch;
        if (active.get(counter(current + 1)) != 0) {
            return false;
        }
        epoch = current + 1;
        return true;
    }

    /** True once an object retired at {@code retiredAt} can be freed, advancing the epoch if it may; writer only. */
    public boolean safeToFree(final long retiredAt) {
        while (epoch < retiredAt + 2) {
            if (!tryAdvance()) {
                return false;
            }
        }
        return true;
    }

    private static int counter(final long epoch) {
        return (int) (epoch & 1) * STRIDE;
    }
}
