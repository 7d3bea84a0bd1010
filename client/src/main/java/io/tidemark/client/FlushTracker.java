package io.tidemark.client;

import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.WriteAckFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gathers the answers to the WRITEs of one flush (or, for {@link SeriesWriter#flush}, of every flush since the last
 * {@link SeriesWriter#awaitAcks}): the sender {@link #expect}s each request id before sending, the connection's reader
 * thread reports each {@link #acked} or {@link #failed}, and the flush is complete once {@link #seal}ed with nothing
 * outstanding. Monitor-guarded: one writer thread and one reader thread touch it. Reused by a writer between flushes,
 * so the blocking path allocates only the result.
 */
class FlushTracker {
    /** Most request ids, refusals and failures one result keeps (a writer that never awaits must not grow forever). */
    static final int MAX_KEPT = 4096;

    private long lastId;
    private long[] ids = new long[4];
    private int idCount;
    private int outstanding;
    private boolean sealed;
    private long stored;
    private long refused;
    private boolean truncated;
    private List<WriteResult.Refusal> refusals;
    private List<TidemarkException> failures;
    private boolean fired;

    /** Starts a new flush: forgets the previous one. */
    final synchronized void reset(final boolean alwaysSealed) {
        idCount = 0;
        lastId = 0;
        outstanding = 0;
        sealed = alwaysSealed;
        stored = 0;
        refused = 0;
        truncated = false;
        refusals = null;
        failures = null;
        fired = false;
    }

    /** Records that WRITE {@code id} is about to be sent. */
    final synchronized void expect(final long id) {
        if (idCount == ids.length && idCount < MAX_KEPT) {
            ids = Arrays.copyOf(ids, idCount * 2);
        }
        if (idCount < ids.length) {
            ids[idCount++] = id;
        }
        lastId = id;
        outstanding++;
    }

    /** Takes back {@link #expect}: the WRITE was not sent after all. */
    final void retract(final long id) {
        final boolean complete;
        synchronized (this) {
            if (lastId == id) {
                if (idCount > 0 && ids[idCount - 1] == id) {
                    idCount--;
                }
                lastId = idCount == 0 ? 0 : ids[idCount - 1];
                outstanding--;
            }
            complete = justCompleted();
        }
        if (complete) {
            completed();
        }
    }

    /** No more WRITEs will be expected. */
    final void seal() {
        final boolean complete;
        synchronized (this) {
            sealed = true;
            complete = justCompleted();
        }
        if (complete) {
            completed();
        }
    }

    /** The id of the WRITE expected last, or 0. */
    final synchronized long lastId() {
        return lastId;
    }

    /** True once one of the WRITEs failed. */
    final synchronized boolean hasFailed() {
        return failures != null;
    }

    /** Records an acknowledgement, mapping each refusal's handle to its series. */
    final void acked(final WriteAckFrame ack, final SeriesRegistry registry) {
        final boolean complete;
        synchronized (this) {
            stored += ack.stored();
            refused += ack.refused();
            truncated |= ack.detailsTruncated();
            if (ack.details() > 0) {
                if (refusals == null) {
                    refusals = new ArrayList<>(ack.details());
                }
                for (int i = 0; i < ack.details(); i++) {
                    if (refusals.size() >= MAX_KEPT) {
                        truncated = true;
                        break;
                    }
                    final int handle = ack.handle(i);
                    final int reason = ack.reason(i);
                    refusals.add(new WriteResult.Refusal(registry.get(handle), handle, reason,
                        ErrorCode.reasonName(reason), ack.samples(i), ack.firstTimestamp(i)));
                }
            }
            outstanding--;
            complete = justCompleted();
        }
        if (complete) {
            completed();
        }
    }

    /** Records a WRITE answered by an ERROR or lost with its connection; later failures are suppressed in the first. */
    final void failed(final TidemarkException failure) {
        final boolean complete;
        synchronized (this) {
            if (failures == null) {
                failures = new ArrayList<>(2);
            } else if (failures.get(0) != failure && failures.size() < MAX_KEPT) {
                failures.get(0).addSuppressed(failure);
            }
            if (failures.size() < MAX_KEPT) {
                failures.add(failure);
            }
            outstanding--;
            complete = justCompleted();
        }
        if (complete) {
            completed();
        }
    }

    /** Records a failure to send (no connection or credits in time): the flush fails once its WRITEs are answered. */
    final void aborted(final TidemarkException failure) {
        final boolean complete;
        synchronized (this) {
            if (failures == null) {
                failures = new ArrayList<>(2);
            } else {
                failures.get(0).addSuppressed(failure);
            }
            failures.add(failure);
            complete = justCompleted();
        }
        if (complete) {
            completed();
        }
    }

    /** True when sealed and every WRITE is answered. */
    final synchronized boolean done() {
        return sealed && outstanding <= 0;
    }

    /** Waits until {@link #done()} or the deadline ({@link System#nanoTime()}); false on timeout. */
    final synchronized boolean await(final long deadlineNanos) throws InterruptedException {
        while (!done()) {
            final long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(left / 1_000_000, (int) (left % 1_000_000));
        }
        return true;
    }

    /** The result so far. */
    final synchronized WriteResult result() {
        return new WriteResult(Arrays.copyOf(ids, idCount), stored, refused,
            refusals == null ? List.of() : List.copyOf(refusals), truncated,
            failures == null ? List.of() : List.copyOf(failures));
    }

    /** The first failure (the others suppressed in it), or null. */
    final synchronized TidemarkException failure() {
        return failures == null ? null : failures.get(0);
    }

    private boolean justCompleted() {
        if (!done()) {
            return false;
        }
        notifyAll();
        if (fired) {
            return false;
        }
        fired = true;
        return true;
    }

    /** Called once, without the monitor, when the flush is complete; the async flush completes its future here. */
    void completed() {
    }
}
