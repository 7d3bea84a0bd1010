package io.tidemark.server.metrics;

import io.tidemark.engine.db.BlockCounters;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkStats;
import io.tidemark.engine.wal.WalFsyncLatency;
import io.tidemark.memory.MemoryTag;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes the {@code /metrics} page: the database's {@link TidemarkStats}, its ingest latencies
 * ({@link IngestLatency}), the WAL fsync histogram and the {@link ServerMetrics}, in the Prometheus text format 0.0.4 (content type
 * {@code text/plain; version=0.0.4; charset=utf-8}). Allocates per scrape, not per sample of the database.
 */
public final class SelfMetrics {
    /** The content type of the page. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private SelfMetrics() {
    }

    /** The page for {@code db} and {@code server}, {@code version} being the build's. */
    public static String render(final Tidemark db, final ServerMetrics server, final String version) throws IOException {
        final TidemarkStats stats = db.stats();
        final IngestLatency.Snapshot ingest = server.ingestLatency().drain(db);
        final Page page = new Page();
        page.family("tidemark_build_info", "gauge", "Always 1; the version is a label.");
        page.sample("tidemark_build_info", "version", version, 1);

        page.family("tidemark_series", "gauge", "Series in the tenant's head index.");
        stats.tenants().forEach(t -> page.sample("tidemark_series", "tenant", t.name(), t.series()));
        page.family("tidemark_series_removed_total", "counter", "Series removed from the head once blocks held all their samples.");
        stats.tenants().forEach(t -> page.sample("tidemark_series_removed_total", "tenant", t.name(), t.seriesRemoved()));
        page.family("tidemark_series_limit_refused_total", "counter",
            "New series refused by the tenant's series limit (a series sent again counts again).");
        stats.tenants().forEach(t -> page.sample("tidemark_series_limit_refused_total", "tenant", t.name(), t.seriesLimited()));
        page.family("tidemark_samples_appended_total", "counter", "Samples the heads took since start (WAL replay included).");
        stats.tenants().forEach(t -> page.sample("tidemark_samples_appended_total", "tenant", t.name(), t.samplesAppended()));
        page.family("tidemark_samples_refused_total", "counter", "Samples the heads refused, by reason.");
        for (final TidemarkStats.Tenant t : stats.tenants()) {
            page.sample2("tidemark_samples_refused_total", "tenant", t.name(), "reason", "out_of_order", t.outOfOrder());
            page.sample2("tidemark_samples_refused_total", "tenant", t.name(), "reason", "duplicate_timestamp", t.duplicates());
            page.sample2("tidemark_samples_refused_total", "tenant", t.name(), "reason", "out_of_bounds", t.outOfBounds());
        }
        page.family("tidemark_head_chunks_cut_total", "counter", "Head chunks closed since start.");
        stats.tenants().forEach(t -> page.sample("tidemark_head_chunks_cut_total", "tenant", t.name(), t.chunksCut()));
        page.family("tidemark_head_chunks_open", "gauge", "Head chunks open now.");
        stats.tenants().forEach(t -> page.sample("tidemark_head_chunks_open", "tenant", t.name(), t.openChunks()));
        page.family("tidemark_blocks", "gauge", "Published blocks.");
        stats.tenants().forEach(t -> page.sample("tidemark_blocks", "tenant", t.name(), t.blocks()));
        page.family("tidemark_block_bytes", "gauge", "Bytes of the published blocks on disk.");
        stats.tenants().forEach(t -> page.sample("tidemark_block_bytes", "tenant", t.name(), t.blockBytes()));
        page.family("tidemark_block_samples", "gauge", "Samples in the published blocks.");
        stats.tenants().forEach(t -> page.sample("tidemark_block_samples", "tenant", t.name(), t.blockSamples()));
        page.family("tidemark_wal_bytes", "gauge", "Bytes of the WAL directories: segments and checkpoints.");
        stats.tenants().forEach(t -> page.sample("tidemark_wal_bytes", "tenant", t.name(), t.walBytes()));
        page.family("tidemark_wal_segments", "gauge", "WAL segment files.");
        stats.tenants().forEach(t -> page.sample("tidemark_wal_segments", "tenant", t.name(), t.walSegments()));
        page.family("tidemark_deletions_pending", "gauge", "Series deletions not yet applied to all the data.");
        stats.tenants().forEach(t -> page.sample("tidemark_deletions_pending", "tenant", t.name(), t.deletionsPending()));

        page.family("tidemark_ingest_ring_backlog", "gauge", "Ring slots published and not yet applied, per shard.");
        stats.shards().forEach(s -> page.sample("tidemark_ingest_ring_backlog", "shard", Integer.toString(s.shard()), s.backlog()));
        page.family("tidemark_ingest_ring_slots", "gauge", "Ring slots in all, per shard.");
        stats.shards().forEach(s -> page.sample("tidemark_ingest_ring_slots", "shard", Integer.toString(s.shard()), s.ringSize()));

        page.family("tidemark_ingest_applied_latency_seconds", "histogram",
            "Time from a batch's publish into its shard's ring to its samples being in the head and the WAL's buffer.");
        page.histogram("tidemark_ingest_applied_latency_seconds", null, null, IngestLatency.BOUNDS, ingest.applied(), ingest.appliedSum());
        page.family("tidemark_ingest_durable_latency_seconds", "histogram",
            "Time from a batch's publish to its WAL records being durable (fsynced, or written to the OS in os-write mode).");
        page.histogram("tidemark_ingest_durable_latency_seconds", null, null, IngestLatency.BOUNDS, ingest.durable(), ingest.durableSum());

        page.family("tidemark_native_bytes", "gauge", "Off-heap bytes in use, by what holds them.");
        for (final Map.Entry<MemoryTag, Long> tag : new TreeMap<>(stats.nativeBytesByTag()).entrySet()) {
            page.sample("tidemark_native_bytes", "tag", tag.getKey().name().toLowerCase(Locale.ROOT), tag.getValue());
        }

        final BlockCounters blocks = stats.blocks();
        page.counter("tidemark_compactions_total", "Compactions run.", blocks.compactions());
        page.counter("tidemark_compaction_failures_total", "Compactions that failed (retried with back-off).", blocks.compactionFailures());
        page.counter("tidemark_compaction_input_blocks_total", "Blocks merged by compaction.", blocks.blocksCompacted());
        page.counter("tidemark_compaction_written_bytes_total", "Bytes written by compaction.", blocks.bytesWrittenByCompaction());
        page.counter("tidemark_retention_deleted_blocks_total", "Blocks deleted by retention.", blocks.blocksDeletedByRetention());
        page.counter("tidemark_retention_deleted_bytes_total", "Bytes deleted by retention.", blocks.bytesDeletedByRetention());
        page.counter("tidemark_blocks_sealed_total", "Blocks written by sealing since start.", stats.blocksWritten());
        page.counter("tidemark_seal_failures_total", "Background seals that failed (each is retried).", stats.sealFailures());
        page.counter("tidemark_wal_checkpoints_total", "WAL checkpoints since start.", stats.checkpoints());
        page.gauge("tidemark_blocks_corrupt", "Blocks found damaged at start and left out.", stats.corruptBlocks());
        page.gauge("tidemark_heads_restored", "Shard heads restored from snapshots at start.", stats.headsRestored());
        if (stats.cache() != null) {
            page.counter("tidemark_chunk_cache_hits_total", "Decoded chunk cache lookups that hit.", stats.cache().hits());
            page.counter("tidemark_chunk_cache_misses_total", "Decoded chunk cache lookups that missed.", stats.cache().misses());
            page.counter("tidemark_chunk_cache_evictions_total", "Chunks evicted from the cache.", stats.cache().evictions());
            page.gauge("tidemark_chunk_cache_bytes", "Bytes the cache holds.", stats.cache().bytesInUse());
            page.gauge("tidemark_chunk_cache_budget_bytes", "The cache's budget.", stats.cache().budgetBytes());
        }

        page.family("tidemark_wal_fsync_duration_seconds", "histogram", "Duration of WAL segment fdatasync calls.");
        page.histogram("tidemark_wal_fsync_duration_seconds", null, null, WalFsyncLatency.bounds(), WalFsyncLatency.counts(),
            WalFsyncLatency.sumSeconds());

        page.family("tidemark_http_requests_total", "counter", "HTTP requests by handler and status code.");
        for (final Map.Entry<String, AtomicReferenceArray<LongAdder>> handler : new TreeMap<>(server.requests()).entrySet()) {
            final AtomicReferenceArray<LongAdder> codes = handler.getValue();
            for (int code = 0; code < codes.length(); code++) {
                final LongAdder count = codes.get(code);
                if (count != null) {
                    page.sample2("tidemark_http_requests_total", "handler", handler.getKey(), "code", Integer.toString(code), count.sum());
                }
            }
        }
        page.family("tidemark_http_request_duration_seconds", "histogram", "HTTP request latency by handler.");
        for (final Map.Entry<String, LatencyHistogram> handler : new TreeMap<>(server.requestLatency()).entrySet()) {
            final LatencyHistogram h = handler.getValue();
            page.histogram("tidemark_http_request_duration_seconds", "handler", handler.getKey(), LatencyHistogram.BOUNDS, h.counts(),
                h.sumSeconds());
        }
        page.family("tidemark_remote_write_total", "counter", "Remote write: samples stored and refused, series skipped, by what.");
        for (final Map.Entry<String, LongAdder> what : new TreeMap<>(server.remoteWriteCounters()).entrySet()) {
            page.sample("tidemark_remote_write_total", "what", what.getKey(), what.getValue().sum());
        }
        final io.tidemark.server.remote.RawLabelsCaches caches = server.labelCaches();
        if (caches != null) {
            page.family("tidemark_remote_write_series_cache_lookups_total", "counter",
                "Remote-write series looked up by the raw bytes of their labels: hit (found) or miss (resolved through the index).");
            page.sample("tidemark_remote_write_series_cache_lookups_total", "result", "hit", caches.hits());
            page.sample("tidemark_remote_write_series_cache_lookups_total", "result", "miss", caches.misses());
            page.gauge("tidemark_remote_write_series_cache_bytes", "Java heap bytes the remote-write series caches hold, over all tenants.",
                caches.bytes());
        }
        final io.tidemark.server.remote.MetricMetadataStore metadata = server.metadata();
        if (metadata != null) {
            page.gauge("tidemark_metric_metadata_families", "Metric families with metadata kept, over all tenants.", metadata.families());
            page.family("tidemark_metric_metadata_entries_total", "counter",
                "Metric metadata entries by outcome: stored, replaced (pushed out a family's oldest), dropped_families (the "
                    + "tenant had the most families it may keep), cut_texts (help or unit cut).");
            page.sample("tidemark_metric_metadata_entries_total", "outcome", "stored", metadata.stored());
            page.sample("tidemark_metric_metadata_entries_total", "outcome", "replaced", metadata.replaced());
            page.sample("tidemark_metric_metadata_entries_total", "outcome", "dropped_families", metadata.droppedFamilies());
            page.sample("tidemark_metric_metadata_entries_total", "outcome", "cut_texts", metadata.cutTexts());
        }
        final io.tidemark.server.tcp.TcpMetrics tcp = server.tcp();
        if (tcp != null) {
            page.gauge("tidemark_tcp_connections", "Binary protocol connections open.", tcp.connectionsOpen());
            page.counter("tidemark_tcp_connections_accepted_total", "Binary protocol connections accepted.", tcp.connectionsAccepted());
            page.counter("tidemark_tcp_frames_total", "Binary protocol frames received.", tcp.frames());
            page.counter("tidemark_tcp_samples_received_total", "Samples received in WRITE frames.", tcp.samplesReceived());
            page.counter("tidemark_tcp_samples_refused_total", "Samples refused and reported in WRITE_ACKs.", tcp.samplesRefused());
            page.counter("tidemark_tcp_writes_acknowledged_total", "WRITEs acknowledged.", tcp.writesAcknowledged());
            page.counter("tidemark_tcp_writes_failed_total", "WRITEs answered with ERROR (overloaded, unavailable).", tcp.writesFailed());
            page.counter("tidemark_tcp_protocol_errors_total", "Connections closed for breaking the protocol.", tcp.protocolErrors());
            page.counter("tidemark_tcp_queries_total", "QUERY and SELECT requests.", tcp.queries());
            page.counter("tidemark_tcp_internal_errors_total", "Connections closed by a fault of the server.", tcp.internalErrors());
            page.counter("tidemark_tcp_late_refusals_total", "Refusals that came after their WRITE was answered (held by a full disk); "
                + "counted, not reported to the client.", tcp.lateRefusals());
        }
        return page.text.toString();
    }

    /** The text being written, one family at a time. */
    private static final class Page {
        final StringBuilder text = new StringBuilder(16_384);

        void family(final String name, final String type, final String help) {
            text.append("# HELP ").append(name).append(' ').append(help).append('\n');
            text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        void counter(final String name, final String help, final long value) {
            family(name, "counter", help);
            text.append(name).append(' ').append(value).append('\n');
        }

        void gauge(final String name, final String help, final long value) {
            family(name, "gauge", help);
            text.append(name).append(' ').append(value).append('\n');
        }

        void sample(final String name, final String label, final String value, final long sample) {
            text.append(name).append('{');
            label(label, value);
            text.append("} ").append(sample).append('\n');
        }

        void sample2(final String name, final String label1, final String value1, final String label2, final String value2,
                     final long sample) {
            text.append(name).append('{');
            label(label1, value1);
            text.append(',');
            label(label2, value2);
            text.append("} ").append(sample).append('\n');
        }

        /** A histogram's cumulative buckets, sum and count; {@code label} may be null. */
        void histogram(final String name, final String label, final String value, final double[] bounds, final long[] counts,
                       final double sum) {
            long cumulative = 0;
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += counts[i];
                text.append(name).append("_bucket{");
                if (label != null) {
                    label(label, value);
                    text.append(',');
                }
                text.append("le=\"").append(i == bounds.length ? "+Inf" : Double.toString(bounds[i])).append("\"} ")
                    .append(cumulative).append('\n');
            }
            text.append(name).append("_sum");
            if (label != null) {
                text.append('{');
                label(label, value);
                text.append('}');
            }
            text.append(' ').append(sum).append('\n');
            text.append(name).append("_count");
            if (label != null) {
                text.append('{');
                label(label, value);
                text.append('}');
            }
            text.append(' ').append(cumulative).append('\n');
        }

        private void label(final String name, final String value) {
            text.append(name).append("=\"");
            for (int i = 0; i < value.length(); i++) {
                final char c = value.charAt(i);
                switch (c) {
                    case '\\' -> text.append("\\\\");
                    case '"' -> text.append("\\\"");
                    case '\n' -> text.append("\\n");
                    default -> text.append(c);
                }
            }
            text.append('"');
        }
    }
}
