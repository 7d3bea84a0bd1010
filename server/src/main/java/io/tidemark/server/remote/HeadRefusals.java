package io.tidemark.server.remote;

import io.tidemark.engine.head.HeadShard;
import io.tidemark.ingest.BatchListener;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The samples the head refused among one remote-write request's, reported by the shard threads while they apply
 * the request's batches ({@link BatchListener}): counts by reason and the first one. A request is a tag; reports of
 * another tag (a request whose wait timed out) are ignored. Once the request's samples are applied (durable implies
 * applied) every report of its tag has arrived. Written by shard threads, read by the request's thread; allocates
 * nothing.
 */
final class HeadRefusals implements BatchListener {
    private volatile long tag = -1;
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong outOfBounds = new AtomicLong();
    private final AtomicLong first = new AtomicLong(-1);
    private volatile int firstSeries;
    private volatile long firstTimestamp;
    private volatile int firstReason;

    /** Starts counting for request {@code requestTag}. */
    void begin(final long requestTag) {
        outOfOrder.set(0);
        duplicates.set(0);
        outOfBounds.set(0);
        first.set(-1);
        tag = requestTag;
    }

    @Override
    public void refused(final long batchTag, final int seriesId, final long timestamp, final int reason) {
        if (batchTag != tag) {
            return;
        }
        switch (reason) {
            case HeadShard.OUT_OF_ORDER -> outOfOrder.incrementAndGet();
            case HeadShard.DUPLICATE_TIMESTAMP -> duplicates.incrementAndGet();
            default -> outOfBounds.incrementAndGet();
        }
        if (first.compareAndSet(-1, batchTag)) {
            firstSeries = seriesId;
            firstTimestamp = timestamp;
            firstReason = reason;
        }
    }

    @Override
    public void applied(final long batchTag) {
        // the request's thread waits on the watermarks, not on this
    }

    long total() {
        return outOfOrder.get() + duplicates.get() + outOfBounds.get();
    }

    long outOfOrder() {
        return outOfOrder.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    long outOfBounds() {
        return outOfBounds.get();
    }

    /** The first refused sample's series id; valid when {@link #total()} is positive. */
    int firstSeries() {
        return firstSeries;
    }

    long firstTimestamp() {
        return firstTimestamp;
    }

    /** Prometheus' words for the first refusal's reason. */
    String firstReason() {
        return switch (firstReason) {
            case HeadShard.OUT_OF_ORDER -> "out of order sample";
            case HeadShard.DUPLICATE_TIMESTAMP -> "duplicate sample for timestamp";
            default -> "out of bounds";
        };
    }
}
