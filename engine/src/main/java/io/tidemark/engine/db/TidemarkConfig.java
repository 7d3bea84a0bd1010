package io.tidemark.engine.db;

import io.tidemark.engine.wal.WalConfig;
import io.tidemark.index.SeriesIndex;
import io.tidemark.ingest.IngestConfig;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How a {@link Tidemark} database is laid out and sized.
 *
 * @param dataDirectory      where tenants keep their WAL (created if missing)
 * @param ingest             rings and shard threads; its shard count is the database's
 * @param wal                durability mode, group commit and segment sizes of every WAL
 * @param index              memory sizes of each tenant's series index
 * @param regionBytes        bytes of each open chunk's region (a power of two)
 * @param maxSamplesPerChunk samples after which a head chunk is cut
 * @param chunkWindowMillis  head chunks never straddle a multiple of this (the block range)
 * @param maxHeadPages       the most 64 KiB pages of open chunks per tenant and shard
 * @param nativeMemoryLimit  the most off-heap bytes the database takes, all tenants together
 * @param outOfOrderWindowMillis how far behind its shard's newest sample a late sample is still taken,
 *                           as Prometheus' {@code out_of_order_time_window}; 0 (the default) refuses every
 *                           sample older than its series' newest
 * @param sealCheckMillis    how often the background sealer looks for windows old enough to seal into blocks,
 *                           then applies retention and compacts (0: never; {@link Tidemark#flush()} still seals
 *                           and {@link Tidemark#compact()} still compacts)
 * @param compactionRanges   compaction levels as multiples of the block range, each a multiple of the one before,
 *                           starting at 1 ({@code 1, 6, 36}: 2 h → 12 h → 3 d by default); {@code 1} alone merges
 *                           only blocks that overlap
 * @param retentionMillis    per tenant, blocks whose max time is more than this before the newest block's are
 *                           deleted (0: off)
 * @param retentionBytes     per tenant, the oldest blocks are deleted until the rest take at most this many bytes
 *                           on disk (0: off)
 * @param chunkCacheBytes    budget of the cache of decoded block chunks (0: no cache); part of the native memory limit
 * @param maxSeriesPerTenant the most series a tenant may have in its head (0: no limit); a new series beyond it is
 *                           refused ({@link SeriesLimitException}, or {@link TenantAppender#SERIES_LIMITED}) while the
 *                           tenant's existing series still take samples. Checked before a series is created, so threads
 *                           creating series at the same moment can pass it by at most one series each
 */
public record TidemarkConfig(Path dataDirectory, IngestConfig ingest, WalConfig wal, SeriesIndex.Options index,
                             int regionBytes, int maxSamplesPerChunk, long chunkWindowMillis, int maxHeadPages,
                             long nativeMemoryLimit, long outOfOrderWindowMillis, long sealCheckMillis,
                             long[] compactionRanges, long retentionMillis, long retentionBytes,
                             long chunkCacheBytes, int maxSeriesPerTenant) {
    /** Two hours: Prometheus' block range. */
    public static final long TWO_HOURS_MILLIS = 7_200_000L;
    /** 2 h → 12 h → 3 d with the default block range. */
    private static final long[] DEFAULT_COMPACTION_RANGES = {1, 6, 36};

    /** Defaults for a database in {@code dataDirectory}. */
    public static TidemarkConfig defaults(final Path dataDirectory) {
        return new TidemarkConfig(dataDirectory, IngestConfig.DEFAULT, WalConfig.defaults(), SeriesIndex.Options.DEFAULT,
            256, 120, TWO_HOURS_MILLIS, 1 << 14, 8L << 30, 0, 1_000, DEFAULT_COMPACTION_RANGES, 0, 0, 256L << 20, 0);
    }

    /** Checks the compaction levels; keeps a copy. */
    public TidemarkConfig {
        compactionRanges = compactionRanges.clone();
        if (compactionRanges.length == 0 || compactionRanges[0] != 1) {
            throw new IllegalArgumentException("compaction ranges start at 1 (the block range): "
                + Arrays.toString(compactionRanges));
        }
        for (int i = 1; i < compactionRanges.length; i++) {
            if (compactionRanges[i] <= compactionRanges[i - 1] || compactionRanges[i] % compactionRanges[i - 1] != 0
                || chunkWindowMillis > 0 && compactionRanges[i] > Long.MAX_VALUE / chunkWindowMillis) {
                throw new IllegalArgumentException("each compaction range must be a larger multiple of the one before: "
                    + Arrays.toString(compactionRanges));
            }
        }
        if (maxSeriesPerTenant < 0) {
            throw new IllegalArgumentException("series limit must not be negative (0: none): " + maxSeriesPerTenant);
        }
        if (retentionMillis < 0 || retentionBytes < 0 || chunkCacheBytes < 0) {
            throw new IllegalArgumentException("retention and chunk cache budget must not be negative: retentionMillis="
                + retentionMillis + " retentionBytes=" + retentionBytes + " chunkCacheBytes=" + chunkCacheBytes);
        }
    }

    /** The compaction levels as multiples of the block range (a copy). */
    @Override
    public long[] compactionRanges() {
        return compactionRanges.clone();
    }

    /** The compaction levels in milliseconds: the block range, then each larger range. */
    public long[] compactionRangesMillis() {
        final long[] millis = new long[compactionRanges.length];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = compactionRanges[i] * chunkWindowMillis;
        }
        return millis;
    }

    /** The same with other compaction levels, multiples of the block range starting at 1 ({@code 1}: overlaps only). */
    public TidemarkConfig withCompactionRanges(final long... multiples) {
        return new TidemarkConfig(dataDirectory, ingest, wal, index, regionBytes, maxSamplesPerChunk, chunkWindowMillis,
            maxHeadPages, nativeMemoryLimit, outOfOrderWindowMillis, sealCheckMillis, multiples,
            retentionMillis, retentionBytes, chunkCacheBytes, maxSeriesPerTenant);
    }

    /** The same with retention by age ({@code 0} turns it off). */
    public TidemarkConfig withRetentionTime(final long millis) {
        return new TidemarkConfig(dataDirectory, ingest, wal, index, regionBytes, maxSamplesPerChunk, chunkWindowMillis,
            maxHeadPages, nativeMemoryLimit, outOfOrderWindowMillis, sealCheckMillis, compactionRanges,
            millis, retentionBytes, chunkCacheBytes, maxSeriesPerTenant);
    }

    /** The same with retention by total block size per tenant ({@code 0} turns it off). */
    public TidemarkConfig withRetentionSize(final long bytes) {
        return new TidemarkConfig(dataDirectory, ingest, wal, index, regionBytes, maxSamplesPerChunk, chunkWindowMillis,
            maxHeadPages, nativeMemoryLimit, outOfOrderWindowMillis, sealCheckMillis, compactionRanges,
            retentionMillis, bytes, chunkCacheBytes, maxSeriesPerTenant);
    }

    /** The same with other ingest rings. */
    public TidemarkConfig withIngest(final IngestConfig value) {
        return new TidemarkConfig(dataDirectory, value, wal, index, regionBytes, maxSamplesPerChunk, chunkWindowMillis,
            maxHeadPages, nativeMemoryLimit, outOfOrderWindowMillis, sealCheckMillis, compactionRanges, retentionMillis,
            retentionBytes, chunkCacheBytes, maxSeriesPerTenant);
    }

    /** The same with another WAL configuration. */
    public TidemarkConfig withWal(final WalConfig value) {
        return new TidemarkConfig(dataDirectory, ingest, value, index, regionBytes, maxSamplesPerChunk, chunkWindowMillis,
            maxHeadPages, nativeMemoryLimit, outOfOrderWindowMillis, sealCheckMillis, compactionRanges, retentionMillis,
            retentionBytes, chunkCacheBytes, maxSeriesPerTenant);
    }

    /** The same with another block range: head chunks never straddle a multiple of it, and blocks cover one. */
    public TidemarkConfig withBlockRange(final long millis) {
        if (millis < 1) {
            throw new IllegalArgumentException("block range must be positive: " + millis);
        }
        return new TidemarkConfig(dataDirectory, ingest, wal, index, regionBytes, maxSamplesPerChunk, millis,
            maxHeadPages, nativeMemoryLimit, outOfOrderWindowMillis, sealCheckMillis, compactionRanges, retentionMillis,
            retentionBytes, chunkCacheBytes, maxSeriesPerTenant);
    }

    /** The same with another background sealing interval ({@code 0}: only {@link Tidemark#flush()} seals). */
    public TidemarkConfig withSealCheck(final long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("seal check interval must not be negative: " + millis);
        }
        return new TidemarkConfig(dataDirectory, ingest, wal, index, regionBytes, maxSamplesPerChunk, chunkWindowMillis,
            maxHeadPages, nativeMemoryLimit, outOfOrderWindowMillis, millis, compactionRanges,
            retentionMillis, retentionBytes, chunkCacheBytes, maxSeriesPerTenant);
    }

    /** The same with another budget for the decoded chunk cache ({@code 0}: none). */
    public TidemarkConfig withChunkCache(final long bytes) {
        return new TidemarkConfig(dataDirectory, ingest, wal, index, regionBytes, maxSamplesPerChunk, chunkWindowMillis,
            maxHeadPages, nativeMemoryLimit, outOfOrderWindowMillis, sealCheckMillis, compactionRanges, retentionMillis,
            retentionBytes, bytes, maxSeriesPerTenant);
    }

    /** The same with an out-of-order window ({@code 0} turns it off). */
    public TidemarkConfig withOutOfOrderWindow(final long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("out-of-order window must not be negative: " + millis);
        }
        return new TidemarkConfig(dataDirectory, ingest, wal, index, regionBytes, maxSamplesPerChunk, chunkWindowMillis,
            maxHeadPages, nativeMemoryLimit, millis, sealCheckMillis, compactionRanges, retentionMillis,
            retentionBytes, chunkCacheBytes, maxSeriesPerTenant);
    }

    /** The same with a limit on each tenant's series ({@code 0}: none); see {@link #maxSeriesPerTenant()}. */
    public TidemarkConfig withMaxSeriesPerTenant(final int series) {
        return new TidemarkConfig(dataDirectory, ingest, wal, index, regionBytes, maxSamplesPerChunk, chunkWindowMillis,
            maxHeadPages, nativeMemoryLimit, outOfOrderWindowMillis, sealCheckMillis, compactionRanges, retentionMillis,
            retentionBytes, chunkCacheBytes, series);
    }
}
