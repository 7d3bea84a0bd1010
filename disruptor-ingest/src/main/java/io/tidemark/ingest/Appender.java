package io.tidemark.ingest;


/**
 * One producer's way in: samples are gathered per shard in the appender's own buffers and published
 * as whole batches, so a request of many samples costs one ring slot per {@code batchCapacity}
 * samples per shard. Not thread-safe: one appender per producer thread.
 *
 * <p>Waiting for what one wrote allocates nothing: the appender remembers the last sequence it
 * published to each shard, and {@link #awaitApplied} / {@link #awaitDurable} wait until every shard's
 * watermark has passed it.
 */
public final class Appender {
    private static final long NOTHING = -1;

    private final Ingest ingest;
    private final int tenant;
    private final int capacity;
    private final int[][] series;
    private final long[][] timestamps;
    private final double[][] values;
    private final int[] counts;
    private final long[] lastPublished;
    private BatchListener refusals;
    private long batchesPublished;
    private long tag;

    Appender(final Ingest ingest, final int tenant) {
        this.ingest = ingest;
        this.tenant = tenant;
        this.capacity = ingest.config().batchCapacity();
        final int shards = ingest.shardCount();
        this.series = new int[shards][capacity];
        this.timestamps = new long[shards][capacity];
        this.values = new double[shards][capacity];
        this.counts = new int[shards];
        this.lastPublished = new long[shards];
        java.util.Arrays.fill(lastPublished, NOTHING);
    }

    /**
     * Adds one sample; publishes the shard's batch when it is full.
     *
     * @throws RingFullException if a full batch could not be published (the batch stays buffered)
     * @throws RuntimeException  the shard's reason while it refuses writes ({@link IngestShard#refuseWrites}, a
     *                           full disk say); the batch stays buffered as for {@link RingFullException}
     */
    public void append(final int seriesId, final long timestamp, final double value) {
        final int shard = ingest.shardOf(seriesId);
        int count = counts[shard];
        if (count == capacity) {
            publish(shard);
            count = 0;
        }
        series[shard][count] = seriesId;
        timestamps[shard][count] = timestamp;
        values[shard][count] = value;
        counts[shard] = count + 1;
    }

    /**
     * Publishes every buffered sample.
     *
     * @throws RingFullException if a shard's ring stayed full; what was not published stays buffered
     *                           and goes with the next commit
     * @throws RuntimeException  the shard's reason while it refuses writes ({@link IngestShard#refuseWrites});
     *                           what was not published stays buffered, as above, unless {@link #discard()}ed
     */
    public void commit() {
        for (int shard = 0; shard < counts.length; shard++) {
            if (counts[shard] > 0) {
                publish(shard);
            }
        }
    }

    private void publish(final int shard) {
        lastPublished[shard] = ingest.publish(shard, tenant, series[shard], timestamps[shard], values[shard], counts[shard],
            refusals, tag);
        counts[shard] = 0;
        batchesPublished++;
    }

    /**
     * Batches published from now on report their refused samples and their application to {@code sink} with
     * {@code batchTag} (null: refusals are only counted, as by default). Samples already buffered go with the next publish, and so under the new tag:
     * commit first to keep requests apart.
     */
    public void reportRefusals(final BatchListener sink, final long batchTag) {
        this.refusals = sink;
        this.tag = batchTag;
    }

    /** Drops every sample buffered and not yet published, for a producer that gives up after a refusal. */
    public void discard() {
        java.util.Arrays.fill(counts, 0);
    }

    /** Samples buffered and not yet published. */
    public int buffered() {
        int total = 0;
        for (final int count : counts) {
            total += count;
        }
        return total;
    }

    /** Copies the last sequence published to each shard (-1: none) into {@code into}, one per shard. */
    public void published(final long[] into) {
        System.arraycopy(lastPublished, 0, into, 0, lastPublished.length);
    }

    /**
     * True if every shard's applied watermark (and, if {@code durable}, its durable one too) has reached
     * {@code sequences} (as {@link #published} gave them); once true, every refusal of the batches up to them has been
     * reported ({@link BatchListener}). Allocates nothing.
     *
     * @throws IllegalStateException if a shard that has not reached its sequence has stopped
     */
    public boolean reached(final long[] sequences, final boolean durable) {
        for (int shard = 0; shard < sequences.length; shard++) {
            final IngestShard target = ingest.shard(shard);
            if (target.appliedSequence() < sequences[shard] || durable && target.durableSequence() < sequences[shard]) {
                final Throwable failed = target.failure();
                if (failed != null) {
                    throw new IllegalStateException("ingest shard " + shard + " has stopped", failed);
                }
                return false;
            }
        }
        return true;
    }

    /** Batches published by this appender so far (each one later heard of by its {@link BatchListener}, if any). */
    public long batchesPublished() {
        return batchesPublished;
    }

    /** Number of shards, the length {@link #published} fills. */
    public int shards() {
        return lastPublished.length;
    }

    /** The signal every shard gives when a watermark moves. */
    public ProgressSignal progress() {
        return ingest.progress();
    }

    /**
     * Waits until everything published so far is applied; false on timeout.
     *
     * @throws RuntimeException the reason of a shard that refuses writes and holds some of it, as {@link #awaitDurable}
     */
    public boolean awaitApplied(final long timeoutNanos) {
        return await(timeoutNanos, false);
    }

    /**
     * Waits until everything published so far is durable; false on timeout. Batches published before a
     * shard began to refuse writes wait in its ring meanwhile, and are neither applied nor durable until
     * it takes writes again: a waiter for them is told at once, with the shard's reason, rather than
     * left to its timeout.
     *
     * @throws RuntimeException the reason of a shard that refuses writes ({@link IngestShard#refuseWrites}) and
     *                          holds some of what this appender is waiting for, which may still become durable
     *                          when it takes writes again
     */
    public boolean awaitDurable(final long timeoutNanos) {
        return await(timeoutNanos, true);
    }

    private boolean await(final long timeoutNanos, final boolean durable) {
        final long start = System.nanoTime();
        int spins = 0;
        for (int shard = 0; shard < lastPublished.length; shard++) {
            final long wanted = lastPublished[shard];
            final IngestShard target = ingest.shard(shard);
            while ((durable ? target.durableSequence() : target.appliedSequence()) < wanted) {
                final Throwable failed = target.failure();
                if (failed != null) {
                    throw new IllegalStateException("ingest shard " + shard + " has stopped", failed);
                }
                final RuntimeException refused = target.refusal();
                if (refused != null) {
                    throw refused;
                }
                if (System.nanoTime() - start > timeoutNanos) {
                    return false;
                }
                if (++spins < 100) {
                    Thread.onSpinWait();
                } else {
                    // blocks until the shard moves its watermark, instead of waking every few microseconds
                    target.awaitProgress(durable, wanted, Math.min(timeoutNanos - (System.nanoTime() - start), 1_000_000));
                }
            }
        }
        return true;
    }
}
