package io.tidemark.server;

import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.promql.eval.EngineOptions;
import io.tidemark.promql.parser.ParserOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Every setting of the server, resolved from flags, environment, config file and defaults by
 * {@link SettingsParser}. Immutable. Durations are milliseconds, sizes bytes.
 *
 * @param dataDirectory         where the database keeps its files
 * @param httpHost              the address the HTTP server binds
 * @param httpPort              the HTTP port (0: any free port)
 * @param tcpPort               the binary protocol's port (0: any free port)
 * @param durability            when a write counts as durable
 * @param shards                ingest shards (shard threads)
 * @param retentionMillis       per tenant, blocks older than this are deleted (0: off)
 * @param retentionBytes        per tenant, the oldest blocks are deleted above this size (0: off)
 * @param blockRangeMillis      the time window of a block
 * @param outOfOrderWindowMillis how late a sample may still be taken (0: none)
 * @param maxSeriesPerTenant    the most series a tenant may have in its head; new ones beyond are refused (0: no limit)
 * @param lookbackDeltaMillis   PromQL's lookback of instant selectors
 * @param queryTimeoutMillis    the longest a query may run
 * @param maxSamples            the most samples a query may hold at once
 * @param compat                the PromQL dialect
 * @param maxBodyBytes          the largest request body taken (larger: 413)
 * @param readTimeoutMillis     the longest a connection may take to send a whole request, or stay idle between two
 * @param queryThreads          threads running queries and other blocking work
 * @param queryQueue            requests waiting for a query thread (or a write thread) before the server answers 503
 * @param writeThreads          threads taking remote writes and imports; each waits for its samples to be durable, so
 *                              more of them than cores keep the cores busy
 * @param shutdownTimeoutMillis how long shutdown waits for requests in flight
 * @param tcpLimits             what one binary-protocol connection may use
 * @param apiKeys               the binary protocol's API keys ({@link io.tidemark.server.tcp.ApiKeys#OPEN}: none)
 * @param ingestIdle            what an idle shard thread does
 */
public record ServerSettings(Path dataDirectory, String httpHost, int httpPort, int tcpPort, Durability durability,
                             int shards, long retentionMillis, long retentionBytes, long blockRangeMillis,
                             long outOfOrderWindowMillis, int maxSeriesPerTenant, long lookbackDeltaMillis, long queryTimeoutMillis,
                             long maxSamples, ParserOptions.Compat compat, int maxBodyBytes, long readTimeoutMillis,
                             int queryThreads, int queryQueue, int writeThreads, long shutdownTimeoutMillis,
                             io.tidemark.server.tcp.TcpLimits tcpLimits, io.tidemark.server.tcp.ApiKeys apiKeys,
                             IngestConfig.Idle ingestIdle) {

    /** The database configuration these settings describe. */
    public TidemarkConfig tidemarkConfig() {
        final IngestConfig base = IngestConfig.DEFAULT;
        return TidemarkConfig.defaults(dataDirectory)
            .withIngest(new IngestConfig(shards, base.ringSize(), base.batchCapacity(), base.backPressure(),
                base.publishTimeoutNanos(), ingestIdle))
            .withWal(WalConfig.defaults().withDurability(durability))
            .withBlockRange(blockRangeMillis)
            .withOutOfOrderWindow(outOfOrderWindowMillis)
            .withMaxSeriesPerTenant(maxSeriesPerTenant)
            .withRetentionTime(retentionMillis)
            .withRetentionSize(retentionBytes);
    }

    /** The PromQL engine options these settings describe. */
    public EngineOptions engineOptions() {
        return EngineOptions.DEFAULT
            .withParser(ParserOptions.DEFAULT.withCompat(compat))
            .withLookbackDelta(Duration.ofMillis(lookbackDeltaMillis))
            .withTimeout(Duration.ofMillis(queryTimeoutMillis))
            .withMaxSamples(maxSamples);
    }
}
