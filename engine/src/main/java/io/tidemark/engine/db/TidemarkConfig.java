package io.tidemark.engine.db;

import io.tidemark.engine.wal.WalConfig;
import io.tidemark.index.SeriesIndex;
import io.tidemark.ingest.IngestConfig;
import java.nio.file.Path;

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
 * @param sealCheckMillis    how often the background sealer looks for windows old enough to seal into blocks
 *                           (0: never; {@link Tidemark#flush()} still seals)
 * @param chunkCacheBytes    budget of the cache of decoded block chunks (0: no cache); part of the native memory limit
 */
public record TidemarkConfig(Path dataDirectory, IngestConfig ingest, WalConfig wal, SeriesIndex.Options index,
                             int regionBytes, int maxSamplesPerChunk, long chunkWindowMillis, int maxHeadPages,
                             long nativeMemoryLimit, long outOfOrderWindowMillis, long sealCheckMillis,
                             long chunkCacheBytes) {
    /** Two hours: Prometheus' block range. */
    public static final long TWO_HOURS_MILLIS = 7_200_000L;

    /** Defaults for a database in {@code dataDirectory}. */
    public static TidemarkConfig defaults(final Path dataDirectory) {
        return new TidemarkConfig(dataDirectory, IngestConfig.DEFAULT, WalConfig.defaults(), SeriesIndex.Options.DEFAULT,
            256, 120, TWO_HOURS_MILLIS, 1 << 14, 8L << 30, 0, 1_000, 256L << 20);
    }

    /** The same with other ingest rings. */
    public TidemarkConfig withIngest(final IngestConfig value) {
        return new TidemarkConfig(dataDirectory, value, wal, index, regionBytes, maxSamplesPerChunk, chunkWindowMillis,
            maxHeadPages, nativeMemoryLimit, outOfOrderWindowMillis, sealCheckMillis, chunkCacheBytes);
    }

    /** The same with another WAL configuration. */
    public TidemarkConfig withWal(final WalConfig value) {
        return new TidemarkConfig(dataDirectory, ingest, value, index, regionBytes, maxSamplesPerChunk, chunkWindowMillis,
            maxHeadPages, nativeMemoryLimit, outOfOrderWindowMillis, sealCheckMillis, chunkCacheBytes);
    }

    /** The same with another block range: head chunks never straddle a multiple of it, and blocks cover one. */
    public TidemarkConfig withBlockRange(final long millis) {
        if (millis < 1) {
            throw new IllegalArgumentException("block range must be positive: " + millis);
        }
        return new TidemarkConfig(dataDirectory, ingest, wal, index, regionBytes, maxSamplesPerChunk, millis,
            maxHeadPages, nativeMemoryLimit, outOfOrderWindowMillis, sealCheckMillis, chunkCacheBytes);
    }

    /** The same with another background sealing interval ({@code 0}: only {@link Tidemark#flush()} seals). */
    public TidemarkConfig withSealCheck(final long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("seal check interval must not be negative: " + millis);
        }
        return new TidemarkConfig(dataDirectory, ingest, wal, index, regionBytes, maxSamplesPerChunk, chunkWindowMillis,
            maxHeadPages, nativeMemoryLimit, outOfOrderWindowMillis, millis, chunkCacheBytes);
    }

    /** The same with another budget for the decoded chunk cache ({@code 0}: none). */
    public TidemarkConfig withChunkCache(final long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("chunk cache budget must not be negative: " + bytes);
        }
        return new TidemarkConfig(dataDirectory, ingest, wal, index, regionBytes, maxSamplesPerChunk, chunkWindowMillis,
            maxHeadPages, nativeMemoryLimit, outOfOrderWindowMillis, sealCheckMillis, bytes);
    }

    /** The same with an out-of-order window ({@code 0} turns it off). */
    public TidemarkConfig withOutOfOrderWindow(final long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("out-of-order window must not be negative: " + millis);
        }
        return new TidemarkConfig(dataDirectory, ingest, wal, index, regionBytes, maxSamplesPerChunk, chunkWindowMillis,
            maxHeadPages, nativeMemoryLimit, millis, sealCheckMillis, chunkCacheBytes);
    }
}
