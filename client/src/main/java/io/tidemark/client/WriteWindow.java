package io.tidemark.client;

import io.tidemark.client.protocol.FrameReader;
import io.tidemark.client.protocol.WelcomeFrame;
import io.tidemark.client.protocol.WriteAckFrame;
import io.tidemark.client.protocol.WriteFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Flow control and the WRITEs in flight of one connection (docs/protocol.md, "Flow control"). A sender
 * {@link #acquire}s credits for its samples and one in-flight slot, blocking until acknowledgements give them back,
 * then {@link #push}es the WRITE into a ring preallocated at WELCOME, in send order; the reader thread completes
 * entries by request id as WRITE_ACK or ERROR frames come (in send order, so almost always at the ring's head) and
 * gives the credits back. The client never sends past the credits or {@code maxInFlightWrites}, which would make the
 * server close the connection. One lock guards it all; trackers are called after it is released.
 */
final class WriteWindow {
    /** The ring never holds more than this many WRITEs, whatever the server allows. */
    static final int MAX_RING = 4096;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition space = lock.newCondition();
    private final ClientMetrics metrics;
    private final long totalCredits;
    private final int maxInFlight;
    private final int maxSamplesPerWrite;
    private final long[] ids;
    private final FlushTracker[] trackers;
    private final int[] counts;
    private final long[] sentNanos;
    private long credits;
    private int inFlight;
    private int head;
    private int size;
    private boolean dead;

    WriteWindow(final WelcomeFrame welcome, final ClientMetrics metrics) {
        this.metrics = metrics;
        this.totalCredits = welcome.credits();
        this.credits = totalCredits;
        this.maxInFlight = Math.min(welcome.maxInFlightWrites(), MAX_RING);
        this.maxSamplesPerWrite = (int) Math.min(WriteFrame.maxSamples(welcome.maxFrameBytes()), totalCredits);
        this.ids = new long[maxInFlight];
        this.trackers = new FlushTracker[maxInFlight];
        this.counts = new int[maxInFlight];
        this.sentNanos = new long[maxInFlight];
    }

    /** Most samples one WRITE may carry: what fits a frame, and never more than all the credits. */
    int maxSamplesPerWrite() {
        return maxSamplesPerWrite;
    }

    /**
     * Takes {@code n} credits and an in-flight slot, waiting until acknowledgements give them back. False if the
     * connection died meanwhile (the caller moves to the next one); {@link TidemarkException#TIMEOUT} past the deadline.
     */
    boolean acquire(final int n, final long deadlineNanos) {
        lock.lock();
        try {
            while (!dead && (credits < n || inFlight >= maxInFlight)) {
                final long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    throw new TidemarkException(TidemarkException.TIMEOUT, "no credits for " + n + " samples within the"
                        + " request timeout: credits=" + credits + "/" + totalCredits + " inFlightWrites=" + inFlight);
                }
                space.awaitNanos(left);
            }
            if (dead) {
                return false;
            }
            credits -= n;
            inFlight++;
            return true;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(TidemarkException.TIMEOUT, "interrupted while waiting for credits", e);
        } finally {
            lock.unlock();
        }
    }

    /** Gives back what {@link #acquire} took for a WRITE that was not sent. */
    void release(final int n) {
        lock.lock();
        try {
            if (!dead) {
                credits += n;
                inFlight--;
                space.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Records WRITE {@code id} of {@code n} samples as sent now; false if the connection died (nothing recorded). */
    boolean push(final long id, final FlushTracker tracker, final int n, final long nowNanos) {
        lock.lock();
        try {
            if (dead) {
                return false;
            }
            final int at = (head + size) % ids.length;
            ids[at] = id;
            trackers[at] = tracker;
            counts[at] = n;
            sentNanos[at] = nowNanos;
            size++;
            metrics.writeSent(n);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Completes the WRITE that {@code ack} answers; a WRITE_ACK for no WRITE in flight breaks the protocol. */
    void acked(final WriteAckFrame ack, final SeriesRegistry registry) {
        final FlushTracker tracker;
        lock.lock();
        try {
            final int at = find(ack.requestId());
            if (at < 0) {
                throw FrameReader.malformed("WRITE_ACK for request " + ack.requestId() + ", which is not a WRITE in"
                    + " flight");
            }
            tracker = trackers[at];
            final int n = counts[at];
            if (ack.stored() + ack.refused() != n) {
                throw FrameReader.malformed("WRITE_ACK " + ack.requestId() + ": stored=" + ack.stored() + " + refused="
                    + ack.refused() + " differ from the " + n + " samples sent");
            }
            metrics.writeAcknowledged(n, ack.stored(), ack.refused(), System.nanoTime() - sentNanos[at]);
            credits = Math.min(totalCredits, credits + ack.credits());
            remove(at);
        } finally {
            lock.unlock();
        }
        tracker.acked(ack, registry);
    }

    /** Fails WRITE {@code id}, answered by an ERROR: its credits come back. False if it is not a WRITE in flight. */
    boolean failed(final long id, final TidemarkException failure) {
        final FlushTracker tracker;
        lock.lock();
        try {
            final int at = find(id);
            if (at < 0) {
                return false;
            }
            tracker = trackers[at];
            metrics.writeFailed(counts[at]);
            credits = Math.min(totalCredits, credits + counts[at]);
            remove(at);
        } finally {
            lock.unlock();
        }
        tracker.failed(failure);
        return true;
    }

    /** The connection died: fails every WRITE in flight (one exception each) and wakes every waiting sender. */
    void failAll(final int code, final String message, final Throwable cause) {
        final List<FlushTracker> failed = new ArrayList<>();
        final List<Long> failedIds = new ArrayList<>();
        lock.lock();
        try {
            dead = true;
            while (size > 0) {
                if (trackers[head] != null) {
                    failed.add(trackers[head]);
                    failedIds.add(ids[head]);
                    metrics.writeFailed(counts[head]);
                }
                trackers[head] = null;
                head = (head + 1) % ids.length;
                size--;
            }
            space.signalAll();
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < failed.size(); i++) {
            failed.get(i).failed(new TidemarkException(code, "WRITE " + failedIds.get(i) + ": " + message, cause));
        }
    }

    /** Credits left now. */
    long credits() {
        lock.lock();
        try {
            return credits;
        } finally {
            lock.unlock();
        }
    }

    /** WRITEs in flight now. */
    int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no WRITE is in flight (or the connection died, or the deadline); true if none is. */
    boolean awaitEmpty(final long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (!dead && size > 0) {
                final long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                space.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return size == 0;
        } finally {
            lock.unlock();
        }
    }

    private int find(final long id) {
        for (int k = 0; k < size; k++) {
            final int at = (head + k) % ids.length;
            if (trackers[at] != null && ids[at] == id) {
                return at;
            }
        }
        return -1;
    }

    private void remove(final int at) {
        trackers[at] = null;
        // A slot counts as in flight until it leaves the ring's head, so an answer out of order (a hole) can never
        // let a push overrun the head: in flight = ring size + slots acquired and not yet pushed.
        while (size > 0 && trackers[head] == null) {
            head = (head + 1) % ids.length;
            size--;
            inFlight--;
        }
        space.signalAll();
    }
}
