package io.tidemark.engine.db;

import io.tidemark.engine.head.HeadShard;
import io.tidemark.engine.wal.WalWriter;
import io.tidemark.ingest.IngestShard;
import io.tidemark.ingest.SampleBatch;
import io.tidemark.ingest.ShardHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;

/**
 * What one shard thread does with a batch: for each sample of the batch's tenant, the series' labels
 * go to the shard's WAL the first time the shard sees it; the sample goes to the head, which applies
 * Prometheus' rules; the samples the head took go to the WAL as one SAMPLES record, marked with the
 * batch's ring sequence. When the WAL says a mark is durable, the shard's durable watermark follows.
 *
 * <p>From its idle loop the shard thread also applies the boundaries the sealer asks for (refuse
 * samples before one, truncate the head before one) and frees retired head windows.
 *
 * <p>Refused samples are counted by the head, by reason; they are not logged, so a replay applies
 * exactly what was applied before. A WAL failure is a fault: the shard stops and producers waiting
 * on it are told.
 */
final class ShardWorker implements ShardHandler {
    private final int shard;
    private final int shards;
    private final Tidemark database;
    private IngestShard ingestShard;
    private long lastSequence = -1;

    ShardWorker(final int shard, final int shards, final Tidemark database) {
        this.shard = shard;
        this.shards = shards;
        this.database = database;
    }

    @Override
    public void onStart(final IngestShard owner) {
        this.ingestShard = owner;
    }

    @Override
    public void onBatch(final SampleBatch batch, final long sequence, final boolean endOfBatch) {
        final Tenant tenant = database.tenant(batch.tenant());
        final WalWriter wal = tenant.wals[shard];
        final HeadShard head = tenant.heads[shard];
        final int count = batch.count();
        try {
            for (int i = 0; i < count; i++) {
                final int series = batch.series(i);
                final int slot = series / shards;
                if (!tenant.isLogged(shard, slot)) {
                    final MemorySegment labels = tenant.index.labels(series).encode(); // once per series
                    wal.appendSeries(series, labels, 0, (int) labels.byteSize());
                    tenant.setLogged(shard, slot);
                }
            }
            wal.beginSamples();
            for (int i = 0; i < count; i++) {
                final long bits = Double.doubleToRawLongBits(batch.value(i));
                if (head.append(batch.series(i) / shards, batch.timestamp(i), bits) == HeadShard.APPENDED) {
                    wal.addSampleBits(batch.series(i), batch.timestamp(i), bits);
                }
            }
            wal.endSamples();
            wal.mark(sequence);
        } catch (final IOException e) {
            throw new UncheckedIOException("WAL of tenant " + tenant.name + " shard " + shard + " failed", e);
        }
        tenant.lastMarked[shard] = sequence;
        lastSequence = sequence;
    }

    @Override
    public int onIdle(final long nowNanos) {
        final Tenant[] tenants = database.tenants();
        long durable = lastSequence;
        try {
            for (final Tenant tenant : tenants) {
                tenant.applySealRequests(shard); // boundaries the sealer asked for; cheap when none
                final WalWriter wal = tenant.wals[shard];
                wal.maybeCommit(nowNanos);
                final long marked = tenant.lastMarked[shard];
                final long safe = wal.durablePosition().mark();
                if (safe < marked) {
                    durable = Math.min(durable, safe);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("WAL commit failed on shard " + shard, e);
        }
        if (durable > ingestShard.durableSequence()) {
            ingestShard.markDurable(durable);
            return 1;
        }
        return 0;
    }

    @Override
    public void onClose() {
        for (final Tenant tenant : database.tenants()) {
            try {
                tenant.wals[shard].sync();
            } catch (final IOException e) {
                throw new UncheckedIOException("WAL sync on close failed: tenant " + tenant.name + " shard " + shard, e);
            }
        }
        if (lastSequence >= 0) {
            ingestShard.markDurable(lastSequence);
        }
    }
}
