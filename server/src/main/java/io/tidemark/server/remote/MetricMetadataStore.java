package io.tidemark.server.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Metric metadata (type, help, unit per metric family) as senders report it, per tenant, for
 * {@code /api/v1/metadata}: remote-write requests carry it (Prometheus sends each family's about once a
 * minute) and so do {@code # HELP} and {@code # TYPE} lines of imported text. A family keeps its distinct
 * entries, newest first, at most {@link #MAX_ENTRIES_PER_FAMILY} (a newer one pushes out the oldest,
 * counted as {@code replaced}).
 *
 * <p>Bounded against bad input: at most {@code maxFamilies} families per tenant (an entry for a new
 * family beyond that is dropped and counted as {@code dropped_families}); help and unit are cut to
 * {@link #MAX_TEXT_CHARS} characters (counted as {@code cut_texts}). Kept in memory only: after a restart
 * the API answers what senders have reported since.
 *
 * <p>Thread-safe: any number of ingesting threads and readers. A repeated entry costs a map lookup and a
 * scan of at most {@link #MAX_ENTRIES_PER_FAMILY} entries.
 */
public final class MetricMetadataStore implements MetadataSink {
    /** Distinct entries kept per family. */
    public static final int MAX_ENTRIES_PER_FAMILY = 8;
    /** Longest help or unit kept, in characters. */
    public static final int MAX_TEXT_CHARS = 4096;
    /** Families per tenant by default. */
    public static final int DEFAULT_MAX_FAMILIES = 100_000;

    /** Prometheus' type names, by the remote-write {@code MetricType} number. */
    private static final String[] TYPES = {"unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info",
        "stateset"};

    private final int maxFamilies;
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final LongAdder stored = new LongAdder();
    private final LongAdder replaced = new LongAdder();
    private final LongAdder droppedFamilies = new LongAdder();
    private final LongAdder cutTexts = new LongAdder();

    /** A store keeping at most {@code maxFamilies} families per tenant. */
    public MetricMetadataStore(final int maxFamilies) {
        if (maxFamilies < 1) {
            throw new IllegalArgumentException("maxFamilies must be positive: maxFamilies=" + maxFamilies);
        }
        this.maxFamilies = maxFamilies;
    }

    /** One entry as the API shows it. */
    public record Entry(String type, String help, String unit) {
    }

    /** The Prometheus name of remote-write type number {@code type} ("unknown" for numbers it does not know). */
    public static String typeName(final int type) {
        return type >= 0 && type < TYPES.length ? TYPES[type] : TYPES[0];
    }

    /** The remote-write type number of a text exposition {@code # TYPE} word, or -1 for a word it does not know. */
    public static int typeNumber(final String name) {
        if ("untyped".equals(name)) {
            return 0;
        }
        for (int i = 0; i < TYPES.length; i++) {
            if (TYPES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void metadata(final String tenant, final int type, final String familyName, final String help, final String unit) {
        if (familyName == null || familyName.isEmpty()) {
            return;
        }
        final Tenant families = tenants.computeIfAbsent(tenant, k -> new Tenant());
        Family family = families.families.get(familyName);
        if (family == null) {
            // the count is taken inside the map's atomic insert, so concurrent writers never pass the bound
            family = families.families.computeIfAbsent(familyName, k -> {
                if (families.count.incrementAndGet() > maxFamilies) {
                    families.count.decrementAndGet();
                    return null;
                }
                return new Family();
            });
            if (family == null) {
                droppedFamilies.increment();
                return;
            }
        }
        final Entry entry = new Entry(typeName(type), cut(help), cut(unit));
        synchronized (family) {
            final List<Entry> entries = family.entries;
            final int at = entries.indexOf(entry);
            if (at == 0) {
                return;
            }
            if (at > 0) {
                entries.remove(at);
            } else if (entries.size() == MAX_ENTRIES_PER_FAMILY) {
                entries.removeLast();
                replaced.increment();
            } else {
                stored.increment();
            }
            entries.addFirst(entry);
        }
    }

    private String cut(final String text) {
        if (text == null) {
            return "";
        }
        if (text.length() <= MAX_TEXT_CHARS) {
            return text;
        }
        cutTexts.increment();
        return text.substring(0, MAX_TEXT_CHARS);
    }

    /**
     * The tenant's families in name order with their entries (newest first): only {@code metric} when it is not
     * null or empty; at most {@code limit} families when {@code limit >= 0}; at most {@code limitPerMetric} entries
     * each when it is positive (Prometheus' parameters of {@code /api/v1/metadata}).
     */
    public Map<String, List<Entry>> read(final String tenant, final String metric, final int limit, final int limitPerMetric) {
        final Map<String, List<Entry>> out = new TreeMap<>();
        final Tenant families = tenants.get(tenant);
        if (families == null || limit == 0) {
            return out;
        }
        final Map<String, Family> chosen;
        if (metric != null && !metric.isEmpty()) {
            final Family one = families.families.get(metric);
            chosen = one == null ? Map.of() : Map.of(metric, one);
        } else {
            chosen = new TreeMap<>(families.families);
        }
        for (final Map.Entry<String, Family> family : chosen.entrySet()) {
            if (limit > 0 && out.size() >= limit) {
                break;
            }
            final List<Entry> entries;
            synchronized (family.getValue()) {
                final List<Entry> all = family.getValue().entries;
                entries = new ArrayList<>(limitPerMetric > 0 && all.size() > limitPerMetric ? all.subList(0, limitPerMetric) : all);
            }
            if (!entries.isEmpty()) {
                out.put(family.getKey(), entries);
            }
        }
        return out;
    }

    /** Entries stored (new ones, not repeats) since start. */
    public long stored() {
        return stored.sum();
    }

    /** Entries that pushed out a family's oldest. */
    public long replaced() {
        return replaced.sum();
    }

    /** Entries dropped because their tenant had the most families it may have. */
    public long droppedFamilies() {
        return droppedFamilies.sum();
    }

    /** Help or unit texts cut to {@link #MAX_TEXT_CHARS}. */
    public long cutTexts() {
        return cutTexts.sum();
    }

    /** Families kept, over all tenants. */
    public long families() {
        long total = 0;
        for (final Tenant tenant : tenants.values()) {
            total += tenant.count.get();
        }
        return total;
    }

    private static final class Tenant {
        final Map<String, Family> families = new ConcurrentHashMap<>();
        final AtomicInteger count = new AtomicInteger();
    }

    private static final class Family {
        final List<Entry> entries = new ArrayList<>(2);
    }
}
