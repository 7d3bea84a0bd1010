package io.tidemark.server.tcp;

import io.tidemark.client.protocol.Protocol;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WRITE between its arrival and its answer: what to wait for (the last ring sequence per shard), and the refusals
 * reported for it, folded per handle and reason. Shard threads add refusals while the event loop may read the
 * entry, so the refusal fields are guarded by the entry's monitor; the rest is written by the event loop before it
 * publishes the entry ({@link TcpWrites}'s volatile tail) and read after.
 *
 * <p>Detail arrays start empty and grow (to at most {@link Protocol#MAX_REFUSAL_DETAILS}) on the first refusals, and
 * are then kept: a connection that never sees a refusal never pays for them.
 */
final class PendingWrite {
    /** The tag of a free entry. */
    static final long FREE = -1;

    final long[] sequences;
    /** Batches of this write the shards have applied ({@code BatchListener.applied}). */
    final AtomicInteger appliedBatches = new AtomicInteger();
    /** Batches this write was published in; -1 until its commit returned. */
    volatile int expectedBatches = -1;
    volatile long tag = FREE;
    long requestId;
    int durability;
    int count;
    /** Non-zero: answered by ERROR with this code. */
    int errorCode;
    String errorMessage;

    // Guarded by this.
    long refused;
    int details;
    boolean truncated;
    /** A series id (at least 0), or {@code ~handle} for a handle that was not bound. */
    long[] keys = new long[0];
    int[] reasons = new int[0];
    long[] samples = new long[0];
    long[] firstTimestamps = new long[0];

    PendingWrite(final int shards) {
        this.sequences = new long[shards];
    }

    /** Starts the entry for a new WRITE (event loop). */
    synchronized void reset(final long newTag, final long id, final int samplesInWrite, final int mode) {
        appliedBatches.set(0);
        expectedBatches = -1;
        tag = newTag;
        requestId = id;
        count = samplesInWrite;
        durability = mode;
        errorCode = 0;
        errorMessage = null;
        refused = 0;
        details = 0;
        truncated = false;
    }

    /** True once every batch of the write is applied (its refusals all reported). */
    boolean allApplied() {
        final int expected = expectedBatches;
        return expected >= 0 && appliedBatches.get() == expected;
    }

    /** Answers the WRITE with an ERROR instead of an acknowledgement. */
    void fail(final int code, final String message) {
        errorCode = code;
        errorMessage = message;
    }

    /** Adds one refused sample, folding it into the last detail when that has the same key and reason. */
    synchronized void refuse(final long key, final int reason, final long timestamp) {
        refused++;
        final int last = details - 1;
        if (last >= 0 && keys[last] == key && reasons[last] == reason) {
            samples[last]++;
            return;
        }
        if (details == Protocol.MAX_REFUSAL_DETAILS) {
            truncated = true;
            return;
        }
        if (details == keys.length) {
            grow();
        }
        keys[details] = key;
        reasons[details] = reason;
        samples[details] = 1;
        firstTimestamps[details] = timestamp;
        details++;
    }

    private void grow() {
        final int size = Math.min(Protocol.MAX_REFUSAL_DETAILS, Math.max(8, keys.length * 2));
        keys = java.util.Arrays.copyOf(keys, size);
        reasons = java.util.Arrays.copyOf(reasons, size);
        samples = java.util.Arrays.copyOf(samples, size);
        firstTimestamps = java.util.Arrays.copyOf(firstTimestamps, size);
    }
}
