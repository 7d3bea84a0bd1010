package io.tidemark.engine.db;

import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.ingest.IngestConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The configuration many database tests share: two shards with 64-slot rings that block when full, WAL segments of
 * 64 KiB written without fsync, and one-hour blocks.
 */
final class HourBlocks {
    static final long HOUR = 3_600_000;

    private HourBlocks() {
    }

    /** That configuration in {@code data}, checking for windows to seal every {@code sealCheckMillis} (0: never, tests flush). */
    static TidemarkConfig config(final Path data, final long sealCheckMillis) {
        return TidemarkConfig.defaults(data)
            .withIngest(new IngestConfig(2, 64, 64, IngestConfig.BackPressure.BLOCK, TimeUnit.SECONDS.toNanos(30), IngestConfig.Idle.BACKOFF))
            .withWal(WalConfig.defaults().withDurability(Durability.OS_WRITE_LOST_ON_POWER_FAILURE).withSizes(64 << 10, 32 << 10, 16 << 10))
            .withBlockRange(HOUR)
            .withSealCheck(sealCheckMillis);
    }
}
