package io.tidemark.engine.db;

import io.tidemark.engine.head.AppendPrefetch;
import io.tidemark.engine.head.HeadShard;
import io.tidemark.engine.wal.WalDiskFullException;
import io.tidemark.engine.wal.WalWriter;
import io.tidemark.ingest.IngestShard;
import io.tidemark.ingest.BatchListener;
import io.tidemark.ingest.SampleBatch;
import io.tidemark.ingest.ShardHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * What one shard thread does with a batch: for each sample of the batch's tenant, the series' labels
 * go to the shard's WAL the first time the shard sees it; the sample goes to the head, which applies
 * Prometheus' rules; the samples the head took go to the WAL as one SAMPLES record, marked with the
 * batch's ring sequence. When the WAL says a mark is durable, the shard's durable watermark follows.
 * Ahead of the appends, the series' records and open chunks are read into the cache a group at a time
 * ({@link AppendPrefetch}), so that their misses overlap instead of stalling each append in turn.
 *
 * <p>From its idle loop the shard thread also applies the boundaries the sealer asks for (refuse
 * samples before one, truncate the head before one, removing the series left empty) and frees retired
 * head windows. A sample for a series removed that way (its writer resolved it earlier, or keeps the id as
 * a handle) goes to the series now holding its labels, created if need be on this same shard
 * ({@link Tenant#successor}); only a refusal report names the id the writer sent.
 *
 * <p>Refused samples are counted by the head, by reason, and reported to the batch's {@link BatchListener} when its
 * producer gave one; they are not logged, so a replay applies exactly what was applied before. An identical
 * duplicate (same time, same value) is not a refusal: it changes nothing and is not reported.
 *
 * <p><b>Disk full.</b> When a WAL reports {@link WalDiskFullException}, the shard
 * {@linkplain IngestShard#refuseWrites refuses writes}: producers get a {@link DiskFullException},
 * batches already in the ring wait there, and the thread retries the WAL from its idle loop, every
 * 100 ms at first and then up to every second. The batch being logged when the disk filled is held,
 * not dropped: its samples up to the one the WAL refused are in the head and in the WAL's buffer, the
 * rest are copied out of the ring slot and go to the head and the WAL, in order, once the WAL writes
 * again. A sample is thus never in the head without being on its way to the WAL, and no batch is
 * acknowledged before its records are written (and forced, in FSYNC mode), because the WAL publishes
 * no mark while it is disk full. Once everything waiting is written, the shard takes writes again by
 * itself. Any other WAL failure is a fault: the shard stops and producers waiting on it are told.
 */
final class ShardWorker implements ShardHandler {
    private static final System.Logger LOG = System.getLogger(ShardWorker.class.getName());
    static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Samples per prefetch group: records are read two groups ahead of the appends, chunks one group ahead. */
    static final int PREFETCH_GROUP = 16;
    private final int shard;
    private final int shards;
    private final Tidemark database;
    private IngestShard ingestShard;
    /** Wakes this shard when a WAL syncer publishes a durable position, so the durable watermark follows at once. */
    private Runnable wake;
    private long lastSequence = -1;

    // Progress through the batch being logged, kept across a full disk in the middle of it.
    /** Samples of the batch whose series are known to be logged. */
    private int seriesChecked;
    /** Samples of the batch handled (logged or refused by the head). */
    private int samplesDone;
    private boolean samplesBegun;
    /** The sample at {@link #samplesDone} is in the head but not yet in the WAL. */
    private boolean inHead;
    /**
     * The batch's series ids with removed ones replaced by their {@link Tenant#successor} (copied from the batch at
     * the first removed id met; until then the batch's own array is used), kept with the progress above.
     */
    private int[] resolved = new int[0];
    /** The local slot ({@code id / shards}) of each sample's series in the batch being logged, filled with the progress above. */
    private int[] slots = new int[0];
    private boolean forwarding;
    /** Where the batch being logged reports its refused samples (null: nowhere), and its tag. */
    private BatchListener refusals;
    private long tag;

    /** The batch the WAL could not take whole, while {@link #holding}; allocated at the first full disk. */
    private HeldBatch held;
    private boolean holding;
    private boolean refusing;
    private long retryAtNanos;
    private long retryDelayNanos = FIRST_RETRY_NANOS;

    ShardWorker(final int shard, final int shards, final Tidemark database) {
        this.shard = shard;
        this.shards = shards;
        this.database = database;
    }

    @Override
    public void onStart(final IngestShard owner) {
        this.ingestShard = owner;
        this.wake = owner::wake;
    }

    @Override
    public void onBatch(final SampleBatch batch, final long sequence, final boolean endOfBatch) {
        final Tenant tenant = database.tenant(batch.tenant());
        seriesChecked = 0;
        samplesDone = 0;
        samplesBegun = false;
        inHead = false;
        forwarding = false;
        refusals = batch.refusals();
        tag = batch.tag();
        if (!log(tenant, batch.seriesArray(), batch.timestampArray(), batch.valueArray(), batch.count(), sequence)) {
            if (held == null) {
                held = new HeldBatch(batch.capacity());
            }
            held.copy(tenant, sequence, batch);
            holding = true;
        }
        final WalDiskFullException full = tenant.wals[shard].diskFull();
        if (full != null) {
            refuse(tenant, full, System.nanoTime());
        }
    }

    /**
     * Logs (the rest of) a batch and applies its samples to the head, from the progress fields on.
     * Returns true when done and marked; false if the WAL ran out of space (the progress says where).
     */
    private boolean log(final Tenant tenant, final int[] series, final long[] timestamps, final double[] values,
                        final int count, final long sequence) {
        final WalWriter wal = tenant.wals[shard];
        final HeadShard head = tenant.heads[shard];
        try {
            int[] ids = forwarding ? resolved : series;
            if (slots.length < count) {
                slots = new int[Math.max(count, 2 * slots.length)]; // grows to the batch capacity once
            }
            for (; seriesChecked < count; seriesChecked++) {
                int id = ids[seriesChecked];
                int slot = id / shards;
                if (!tenant.isLogged(shard, slot) && tenant.index.isRemoved(id)) {
                    if (!forwarding) {
                        if (resolved.length < count) {
                            resolved = new int[Math.max(count, 2 * resolved.length)];
                        }
                        System.arraycopy(series, 0, resolved, 0, count);
                        ids = resolved;
                        forwarding = true;
                    }
                    id = tenant.successor(shard, id);
                    ids[seriesChecked] = id;
                    slot = id / shards;
                }
                if (!tenant.isLogged(shard, slot)) {
                    final MemorySegment labels = tenant.index.labels(id).encode(); // once per series
                    wal.appendSeries(id, labels, 0, (int) labels.byteSize());
                    tenant.setLogged(shard, slot);
                }
                slots[seriesChecked] = slot;
            }
            if (!samplesBegun) {
                wal.beginSamples();
                samplesBegun = true;
            }
            final AppendPrefetch prefetch = tenant.prefetches[shard];
            final int group = PREFETCH_GROUP;
            if (samplesDone == 0) {
                prefetch.touchStates(slots, 0, Math.min(count, 2 * group));
                prefetch.touchChunks(slots, 0, Math.min(count, group));
            }
            for (; samplesDone < count; samplesDone++) {
                if (samplesDone % group == 0) {
                    prefetch.touchStates(slots, Math.min(count, samplesDone + 2 * group), Math.min(count, samplesDone + 3 * group));
                    prefetch.touchChunks(slots, Math.min(count, samplesDone + group), Math.min(count, samplesDone + 2 * group));
                }
                final int id = ids[samplesDone];
                final long bits = Double.doubleToRawLongBits(values[samplesDone]);
                if (!inHead) {
                    final int result = head.append(slots[samplesDone], timestamps[samplesDone], bits);
                    if (result != HeadShard.APPENDED) {
                        if (result != HeadShard.IDENTICAL_DUPLICATE && refusals != null) {
                            refusals.refused(tag, series[samplesDone], timestamps[samplesDone], result); // the id the writer sent
                        }
                        continue;
                    }
                    inHead = true;
                }
                wal.addSampleBits(id, timestamps[samplesDone], bits);
                inHead = false;
            }
            wal.endSamples();
            wal.mark(sequence);
        } catch (final WalDiskFullException full) {
            return false;
        } catch (final IOException e) {
            throw new UncheckedIOException("WAL of tenant " + tenant.name + " shard " + shard + " failed", e);
        }
        tenant.lastMarked[shard] = sequence;
        lastSequence = sequence;
        return true;
    }

    @Override
    public int onIdle(final long nowNanos) {
        final Tenant[] tenants = database.tenants();
        for (final Tenant tenant : tenants) {
            tenant.applySealRequests(shard); // boundaries the sealer asked for; cheap when none
        }
        if (refusing && !retry(tenants, nowNanos)) {
            return 0;
        }
        long durable = lastSequence;
        for (final Tenant tenant : tenants) {
            final WalWriter wal = tenant.wals[shard];
            wal.durablePosition().wakeOnPublish(wake);
            try {
                wal.maybeCommit(nowNanos);
            } catch (final WalDiskFullException full) {
                refuse(tenant, full, nowNanos);
            } catch (final IOException e) {
                throw new UncheckedIOException("WAL commit failed: tenant " + tenant.name + " shard " + shard, e);
            }
            final long marked = tenant.lastMarked[shard];
            final long safe = wal.durablePosition().mark();
            if (safe < marked) {
                durable = Math.min(durable, safe);
            }
        }
        if (durable > ingestShard.durableSequence()) {
            ingestShard.markDurable(durable);
            return 1;
        }
        return 0;
    }

    /** Starts refusing writes, if not yet, and schedules the first retry. */
    private void refuse(final Tenant tenant, final WalDiskFullException full, final long nowNanos) {
        if (refusing) {
            return;
        }
        refusing = true;
        retryDelayNanos = FIRST_RETRY_NANOS;
        retryAtNanos = nowNanos + retryDelayNanos;
        final DiskFullException refusal = new DiskFullException(tenant.name, shard, full);
        ingestShard.refuseWrites(refusal);
        LOG.log(Level.WARNING, refusal.getMessage() + " (retrying every " + TimeUnit.NANOSECONDS.toMillis(FIRST_RETRY_NANOS)
            + " to " + TimeUnit.NANOSECONDS.toMillis(MAX_RETRY_NANOS) + " ms)");
    }

    /**
     * When due, tries every WAL of the shard again, then the held batch; returns true if all is
     * written and the shard takes writes again, false (retry later, with a longer delay) if not.
     */
    private boolean retry(final Tenant[] tenants, final long nowNanos) {
        if (nowNanos - retryAtNanos < 0) {
            return false;
        }
        try {
            for (final Tenant tenant : tenants) {
                if (!tenant.wals[shard].resume()) {
                    return backOff(nowNanos);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("WAL of shard " + shard + " failed while resuming after a full disk", e);
        }
        if (holding) {
            refusals = held.refusals;
            tag = held.tag;
            if (!log(held.tenant, held.series, held.timestamps, held.values, held.count, held.sequence)) {
                return backOff(nowNanos);
            }
            holding = false;
        }
        for (final Tenant tenant : tenants) {
            if (tenant.wals[shard].diskFull() != null) {
                return backOff(nowNanos); // the held batch's records filled the disk again
            }
        }
        refusing = false;
        ingestShard.acceptWrites();
        LOG.log(Level.INFO, "shard " + shard + ": the WAL writes again; writes are taken again");
        return true;
    }

    private boolean backOff(final long nowNanos) {
        retryDelayNanos = Math.min(retryDelayNanos * 2, MAX_RETRY_NANOS);
        retryAtNanos = nowNanos + retryDelayNanos;
        return false;
    }

    @Override
    public void onClose() {
        boolean synced = true;
        for (final Tenant tenant : database.tenants()) {
            final WalWriter wal = tenant.wals[shard];
            try {
                if (holding && held.tenant == tenant && samplesBegun) {
                    wal.endSamples(); // the held batch's first part; never acknowledged, written if there is room
                }
                wal.sync();
            } catch (final WalDiskFullException full) {
                synced = false;
                LOG.log(Level.WARNING, "closing with the disk full: what tenant " + tenant.name + " shard " + shard
                    + " could not write is lost, and none of it was acknowledged: " + full.getMessage());
            } catch (final IOException e) {
                throw new UncheckedIOException("WAL sync on close failed: tenant " + tenant.name + " shard " + shard, e);
            }
        }
        if (synced && lastSequence >= 0) {
            ingestShard.markDurable(lastSequence);
        }
    }

    /** A copy of a batch's samples, out of its ring slot, kept while the WAL cannot take them. */
    private static final class HeldBatch {
        final int[] series;
        final long[] timestamps;
        final double[] values;
        Tenant tenant;
        long sequence;
        int count;
        BatchListener refusals;
        long tag;

        HeldBatch(final int capacity) {
            this.series = new int[capacity];
            this.timestamps = new long[capacity];
            this.values = new double[capacity];
        }

        void copy(final Tenant owner, final long batchSequence, final SampleBatch batch) {
            tenant = owner;
            sequence = batchSequence;
            count = batch.count();
            refusals = batch.refusals();
            tag = batch.tag();
            System.arraycopy(batch.seriesArray(), 0, series, 0, count);
            System.arraycopy(batch.timestampArray(), 0, timestamps, 0, count);
            System.arraycopy(batch.valueArray(), 0, values, 0, count);
        }
    }
}
