package io.tidemark.engine.db;

import io.tidemark.engine.head.HeadShard;
import io.tidemark.engine.wal.WalStatus;
import io.tidemark.ingest.Ingest;
import io.tidemark.ingest.IngestShard;
import io.tidemark.memory.MemoryTag;
import io.tidemark.tiering.block.BlockMeta;
import io.tidemark.tiering.cache.DecodedChunkCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of what the database is doing, for its self-metrics: per tenant (series, head, refusals,
 * blocks, WAL), per ingest shard (ring occupancy), and process-wide (native memory by tag, compaction,
 * cache). Collected on demand by {@link Tidemark#stats()}: cheap reads of counters, plus a listing of
 * each WAL directory. Counters written by shard threads are read without synchronization: each is a
 * 64-bit value that only grows, so a read is at worst slightly behind.
 *
 * @param tenants          one entry per tenant
 * @param shards           one entry per ingest shard
 * @param nativeBytesByTag off-heap bytes in use by tag
 * @param nativeBytesTotal off-heap bytes in use in all
 * @param blocks           compaction and retention counters
 * @param cache            the decoded chunk cache, or null when it is off
 * @param blocksWritten    blocks written by sealing since open
 * @param sealFailures     background seals that failed (each is retried)
 * @param checkpoints      WAL checkpoints since open
 * @param corruptBlocks    blocks found damaged on open and left out
 * @param headsRestored    shard heads restored from snapshots on open
 */
public record TidemarkStats(List<Tenant> tenants, List<Shard> shards, Map<MemoryTag, Long> nativeBytesByTag, long nativeBytesTotal,
                            BlockCounters blocks, Cache cache, long blocksWritten, long sealFailures, long checkpoints,
                            long corruptBlocks, long headsRestored) {
    /**
     * One tenant.
     *
     * @param name             the tenant's name
     * @param series           series in its head's index
     * @param seriesRemoved    series removed from the head since open, once blocks held all they had
     * @param samplesAppended  samples its heads took since open (replay included)
     * @param outOfOrder       samples refused as out of order
     * @param duplicates       samples refused for a timestamp the series has with another value
     * @param outOfBounds      samples refused as older than what is sealed
     * @param chunksCut        head chunks closed since open
     * @param openChunks       head chunks open now
     * @param headMinTime      oldest sample in the head, ms (Long.MAX_VALUE when empty)
     * @param headMaxTime      newest sample in the head, ms (Long.MIN_VALUE when empty)
     * @param blocks           published blocks
     * @param blockBytes       their bytes on disk
     * @param blockSamples     samples they hold
     * @param walBytes         bytes of its WAL directories (segments and checkpoints)
     * @param walSegments      WAL segment files
     * @param deletionsPending deletions not yet applied to all its data
     * @param seriesLimited    new series its series limit refused since open (one sent again counts again)
     */
    public record Tenant(String name, long series, long seriesRemoved, long samplesAppended, long outOfOrder, long duplicates, long outOfBounds,
                         long chunksCut, long openChunks, long headMinTime, long headMaxTime, long blocks, long blockBytes,
                         long blockSamples, long walBytes, long walSegments, long deletionsPending, long seriesLimited) {
    }

    /**
     * One ingest shard.
     *
     * @param shard    its number
     * @param backlog  ring slots published and not yet applied
     * @param ringSize ring slots in all
     */
    public record Shard(int shard, long backlog, int ringSize) {
    }

    /**
     * The decoded chunk cache.
     *
     * @param hits        lookups that found the chunk
     * @param misses      lookups that did not
     * @param evictions   chunks evicted to stay within the budget
     * @param bytesInUse  bytes held
     * @param budgetBytes the budget
     */
    public record Cache(long hits, long misses, long evictions, long bytesInUse, long budgetBytes) {
    }

    static TidemarkStats collect(final Tidemark db, final Ingest ingest, final Sealer sealer) throws IOException {
        final List<Tenant> tenants = new ArrayList<>();
        for (final io.tidemark.engine.db.Tenant tenant : db.tenants()) {
            long appended = 0;
            long outOfOrder = 0;
            long duplicates = 0;
            long outOfBounds = 0;
            long cut = 0;
            long open = 0;
            long minTime = Long.MAX_VALUE;
            long maxTime = Long.MIN_VALUE;
            for (final HeadShard head : tenant.heads) {
                appended += head.samplesAppended();
                outOfOrder += head.outOfOrder();
                duplicates += head.duplicates();
                outOfBounds += head.outOfBounds();
                cut += head.chunksCut();
                open += head.openChunks();
                minTime = Math.min(minTime, head.minTime());
                maxTime = Math.max(maxTime, head.maxTime());
            }
            long blockBytes = 0;
            long blockSamples = 0;
            final SharedBlock[] blocks = tenant.blocks;
            for (final SharedBlock block : blocks) {
                final BlockMeta meta = block.reader.meta();
                blockBytes += meta.bytesOnDisk();
                blockSamples += meta.sampleCount();
            }
            long walBytes = 0;
            long walSegments = 0;
            for (final WalStatus status : db.walStatus(tenant.name)) {
                walBytes += status.bytesOnDisk();
                walSegments += status.segments();
            }
            long removed = 0;
            for (int shard = 0; shard < tenant.seriesRemoved.length(); shard++) {
                removed += tenant.seriesRemoved.get(shard);
            }
            tenants.add(new Tenant(tenant.name, tenant.index.size(), removed, appended, outOfOrder, duplicates, outOfBounds, cut, open,
                minTime, maxTime, blocks.length, blockBytes, blockSamples, walBytes, walSegments, tenant.deletions.list().size(),
                tenant.seriesLimitRefusals.sum()));
        }
        final List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < ingest.shardCount(); i++) {
            final IngestShard shard = ingest.shard(i);
            shards.add(new Shard(i, shard.backlog(), shard.ringSize()));
        }
        final DecodedChunkCache chunkCache = db.chunkCache();
        final Cache cache = chunkCache == null ? null : new Cache(chunkCache.hits(), chunkCache.misses(), chunkCache.evictions(),
            chunkCache.bytesInUse(), chunkCache.budgetBytes());
        return new TidemarkStats(List.copyOf(tenants), List.copyOf(shards), db.nativeBytesByTag(), db.nativeBytesInUse(),
            sealer.blockCounters(), cache, sealer.blocksWritten(), sealer.sealFailures(), sealer.checkpoints(), db.corruptBlocks(),
            db.headsRestored());
    }
}
