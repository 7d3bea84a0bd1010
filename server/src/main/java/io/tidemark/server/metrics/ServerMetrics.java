package io.tidemark.server.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the server counts besides the database: HTTP requests by handler and status code, request
 * latency by handler (PromQL query latency is that of {@code /api/v1/query} and {@code /api/v1/query_range}),
 * and remote-write outcomes. Thread-safe; recording
 * allocates nothing once a handler, code or type has been seen (handlers are a fixed set of names).
 */
public final class ServerMetrics {
    /** Per handler, a counter per status code (100..599), made when first needed. */
    private final Map<String, AtomicReferenceArray<LongAdder>> requests = new ConcurrentHashMap<>();
    private final Map<String, LatencyHistogram> requestLatency = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> remoteWrite = new ConcurrentHashMap<>();
    private final IngestLatency ingestLatency = new IngestLatency();

    private volatile io.tidemark.server.tcp.TcpMetrics tcp;
    private volatile io.tidemark.server.remote.MetricMetadataStore metadata;
    private volatile io.tidemark.server.remote.RawLabelsCaches labelCaches;

    /** The metric metadata store, whose counts {@code /metrics} shows. */
    public void metadata(final io.tidemark.server.remote.MetricMetadataStore store) {
        this.metadata = store;
    }

    /** The metric metadata store, or null. */
    public io.tidemark.server.remote.MetricMetadataStore metadata() {
        return metadata;
    }

    /** Remote write's series caches, whose hits, misses and bytes {@code /metrics} shows. */
    public void labelCaches(final io.tidemark.server.remote.RawLabelsCaches caches) {
        this.labelCaches = caches;
    }

    /** Remote write's series caches, or null. */
    public io.tidemark.server.remote.RawLabelsCaches labelCaches() {
        return labelCaches;
    }

    /** The binary protocol's counters, once it listens. */
    public void tcp(final io.tidemark.server.tcp.TcpMetrics metrics) {
        this.tcp = metrics;
    }

    /** The binary protocol's counters, or null. */
    public io.tidemark.server.tcp.TcpMetrics tcp() {
        return tcp;
    }

    /** Counts a request to {@code handler} answered with {@code code} after {@code nanos}. */
    public void request(final String handler, final int code, final long nanos) {
        final AtomicReferenceArray<LongAdder> codes = requests.computeIfAbsent(handler, k -> new AtomicReferenceArray<>(600));
        final int slot = code >= 100 && code < 600 ? code : 599;
        LongAdder counter = codes.get(slot);
        if (counter == null) {
            codes.compareAndSet(slot, null, new LongAdder());
            counter = codes.get(slot);
        }
        counter.increment();
        requestLatency.computeIfAbsent(handler, k -> new LatencyHistogram()).record(nanos);
    }

    /** Adds to a remote-write counter: {@code what} is "samples", "refused_samples", "skipped_series", ... */
    public void remoteWrite(final String what, final long count) {
        if (count != 0) {
            remoteWrite.computeIfAbsent(what, k -> new LongAdder()).add(count);
        }
    }

    Map<String, AtomicReferenceArray<LongAdder>> requests() {
        return requests;
    }

    Map<String, LatencyHistogram> requestLatency() {
        return requestLatency;
    }

    Map<String, LongAdder> remoteWriteCounters() {
        return remoteWrite;
    }

    IngestLatency ingestLatency() {
        return ingestLatency;
    }
}
