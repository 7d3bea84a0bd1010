package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.engine.wal.WalFsyncLatency;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.memory.MemoryTag;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TidemarkStatsTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path data;

    @Test
    void shouldCountWhatTheDatabaseDidPerTenantAndShard() throws Exception {
        final long fsyncsBefore = Arrays.stream(WalFsyncLatency.counts()).sum();
        final TidemarkConfig config = TidemarkConfig.defaults(data)
            .withIngest(new IngestConfig(2, 64, 64, IngestConfig.BackPressure.BLOCK, TIMEOUT, IngestConfig.Idle.BACKOFF))
            .withWal(WalConfig.defaults().withDurability(Durability.FSYNC))
            .withBlockRange(3_600_000)
            .withSealCheck(0);
        try (Tidemark db = Tidemark.open(config)) {
            final TenantAppender appender = db.appender("alpha");
            final int a = appender.series(LabelSet.of("__name__", "up", "job", "a"));
            final int b = appender.series(LabelSet.of("__name__", "up", "job", "b"));
            for (int k = 0; k < 300; k++) {
                appender.append(a, k * 15_000L, k);
                appender.append(b, k * 15_000L, k);
            }
            appender.append(a, 0, 5); // out of order
            appender.append(b, 299 * 15_000L, 1); // duplicate timestamp, another value
            appender.commit();
            assertThat(appender.awaitDurable(TIMEOUT)).isTrue();
            db.appender("beta");
            db.flush();
            db.deleteSeries("alpha", List.of(List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "job", "a"))), 0, 1_000_000);

            final TidemarkStats stats = db.stats();
            assertThat(stats.tenants()).extracting(TidemarkStats.Tenant::name).containsExactly("alpha", "beta");
            final TidemarkStats.Tenant alpha = stats.tenants().getFirst();
            assertThat(alpha.series()).isEqualTo(2);
            assertThat(alpha.samplesAppended()).isEqualTo(600);
            assertThat(alpha.outOfOrder()).isEqualTo(1);
            assertThat(alpha.duplicates()).isEqualTo(1);
            assertThat(alpha.blocks()).isEqualTo(2); // 300 samples at 15 s: 75 min, two 1 h windows
            assertThat(alpha.blockSamples()).isEqualTo(600);
            assertThat(alpha.blockBytes()).isPositive();
            assertThat(alpha.walBytes()).isPositive();
            assertThat(alpha.walSegments()).isPositive();
            assertThat(alpha.deletionsPending()).isEqualTo(1);
            assertThat(stats.tenants().get(1).series()).isZero();
            assertThat(stats.shards()).hasSize(2).allSatisfy(shard -> assertThat(shard.ringSize()).isEqualTo(64));
            assertThat(stats.blocksWritten()).isEqualTo(2);
            assertThat(stats.nativeBytesByTag()).containsKey(MemoryTag.HEAD_CHUNKS);
            assertThat(stats.nativeBytesTotal()).isPositive();
            assertThat(stats.cache()).isNotNull();
            assertThat(Arrays.stream(WalFsyncLatency.counts()).sum()).as("FSYNC mode fsyncs the WAL").isGreaterThan(fsyncsBefore);
            assertThat(WalFsyncLatency.sumSeconds()).isPositive();
        }
    }
}
