package io.tidemark.server.remote;

import io.tidemark.engine.db.TenantAppender;
import io.tidemark.index.series.SeriesKeyCache;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link SeriesKeyCache} (keyed by the raw protobuf bytes of a series' labels) of each tenant, shared by every ingester that checks labels with the same
 * limit (a cache holds only keys that passed that limit), within one heap {@link SeriesKeyCache.Budget};
 * with the counts of series found and not found in them, for the self-metrics. Thread-safe.
 */
public final class RawLabelsCaches {
    private final ConcurrentHashMap<String, SeriesKeyCache> byTenant = new ConcurrentHashMap<>();
    private final SeriesKeyCache.Budget budget;
    private final int maxLabelsPerSeries;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** Caches for ingesters allowing {@code maxLabelsPerSeries} labels, within {@code budget}. */
    public RawLabelsCaches(final SeriesKeyCache.Budget budget, final int maxLabelsPerSeries) {
        this.budget = budget;
        this.maxLabelsPerSeries = maxLabelsPerSeries;
    }

    /** The label limit of the ingesters that may share these caches. */
    int maxLabelsPerSeries() {
        return maxLabelsPerSeries;
    }

    /** The tenant's cache, or null before its first request is stored. */
    SeriesKeyCache get(final String tenant) {
        return byTenant.get(tenant);
    }

    /** The tenant's cache, made on first use; {@code appender} (the tenant's) tells it which series were removed. */
    SeriesKeyCache of(final String tenant, final TenantAppender appender) {
        final SeriesKeyCache cache = byTenant.get(tenant);
        return cache != null ? cache : byTenant.computeIfAbsent(tenant, t -> new SeriesKeyCache(budget, appender::isRemoved));
    }

    /** Counts one request's series found in the cache and resolved the slow way. */
    void count(final int found, final int notFound) {
        if (found > 0) {
            hits.add(found);
        }
        if (notFound > 0) {
            misses.add(notFound);
        }
    }

    /** Series found by their raw label bytes since start. */
    public long hits() {
        return hits.sum();
    }

    /** Series looked up and not found (new, changed, removed, or forgotten when a generation filled) since start. */
    public long misses() {
        return misses.sum();
    }

    /** Heap bytes held by every tenant's cache. */
    public long bytes() {
        return budget.used();
    }
}
