package io.tidemark.server;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.engine.query.TenantQueryable;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.server.remote.MetricMetadataStore;
import io.tidemark.tiering.block.LabelOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.TreeSet;

/**
 * {@code /api/v1/series}, {@code /api/v1/labels}, {@code /api/v1/label/<name>/values} and {@code /api/v1/metadata}
 * over the request's tenant. Series are those with a sample in {@code [start, end]} (every selected one when neither
 * is given). Label names and values come from the tenant's index when no time range is given; with one, from the
 * series that may have samples in it (head series by their newest sample, block series by their block's range), a
 * superset of Prometheus' answer for a narrow range as Prometheus' own is at block granularity.
 */
final class MetadataApi {
    /** Prometheus' {@code model.LabelNameRE}, bounded. */
    private static final Pattern LEGACY_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,1023}");

    private final Supplier<Tidemark> db;
    private final MetricMetadataStore metadata;

    MetadataApi(final Supplier<Tidemark> db, final MetricMetadataStore metadata) {
        this.db = db;
        this.metadata = metadata;
    }

    void register(final Router router) {
        for (final String method : new String[] {"GET", "POST"}) {
            router.add(method, "/api/v1/series", this::series, true);
            router.add(method, "/api/v1/labels", this::labels, true);
        }
        router.add("GET", "/api/v1/label/{name}/values", this::labelValues, true);
        router.add("GET", "/api/v1/metadata", this::metadata, false);
    }

    private HttpHandler.Response series(final ApiRequest request, final JsonWriter json) {
        if (request.parameters("match[]").isEmpty()) {
            throw ApiException.badData("no match[] parameter provided");
        }
        final long start = Params.time(request, "start", PromFormat.MIN_TIME);
        final long end = Params.time(request, "end", PromFormat.MAX_TIME);
        final List<List<LabelMatcher>> sets = Params.matchers(request, true);
        final int limit = Params.limit(request);
        // Without a time range every selected series qualifies, and no samples need loading to say so.
        final boolean anyTime = start == PromFormat.MIN_TIME && end == PromFormat.MAX_TIME;
        final Set<LabelSet> seen = new HashSet<>();
        final List<LabelSet> found = new ArrayList<>();
        final SampleBuffer samples = new SampleBuffer(64);
        for (final List<LabelMatcher> matchers : sets) {
            final SeriesSet set = db.get().queryable(request.tenant()).select(matchers, start, end);
            while (set.next()) {
                final LabelSet labels = set.labels();
                if ((anyTime || set.samples(samples) > 0) && seen.add(labels)) {
                    found.add(labels);
                }
            }
        }
        found.sort((a, b) -> compare(a, b));
        final int n = limit > 0 ? Math.min(limit, found.size()) : found.size();
        json.raw("{\"status\":\"success\",\"data\":[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                json.comma();
            }
            final LabelSet labels = found.get(i);
            json.raw('{');
            for (int k = 0; k < labels.size(); k++) {
                if (k > 0) {
                    json.comma();
                }
                json.name(labels.name(k)).string(labels.value(k));
            }
            json.raw('}');
        }
        json.raw(']');
        truncated(json, n < found.size());
        json.raw('}');
        return HttpHandler.Response.OK_JSON;
    }

    private HttpHandler.Response labels(final ApiRequest request, final JsonWriter json) {
        return strings(json, namesOrValues(request, null), Params.limit(request));
    }

    /**
     * Label names ({@code name} null) or the values of label {@code name} of the series any {@code match[]} selects
     * (every series without one) that may have samples in [start, end], head and blocks, the whole of both when the
     * request names no time range ({@link TenantQueryable#labelNames(List, long, long)}).
     */
    private TreeSet<String> namesOrValues(final ApiRequest request, final String name) {
        final long start = Params.time(request, "start", PromFormat.MIN_TIME);
        final long end = Params.time(request, "end", PromFormat.MAX_TIME);
        final List<List<LabelMatcher>> sets = Params.matchers(request, false);
        final TreeSet<String> found = new TreeSet<>(LabelOrder::compare);
        final Tidemark database = db.get();
        final boolean anyTime = start == PromFormat.MIN_TIME && end == PromFormat.MAX_TIME;
        final TenantQueryable queryable = new TenantQueryable(database, request.tenant());
        for (final List<LabelMatcher> matchers : sets.isEmpty() ? List.<List<LabelMatcher>>of(List.of()) : sets) {
            if (anyTime) {
                found.addAll(name == null ? queryable.labelNames(matchers) : queryable.labelValues(name, matchers));
            } else {
                found.addAll(name == null ? queryable.labelNames(matchers, start, end) : queryable.labelValues(name, matchers, start, end));
            }
        }
        return found;
    }

    private HttpHandler.Response labelValues(final ApiRequest request, final JsonWriter json) {
        final String name = request.pathValue();
        if (!LEGACY_NAME.matcher(name).matches()) {
            throw ApiException.badData("invalid label name: \"" + SettingsParser.shorten(name) + "\"");
        }
        return strings(json, namesOrValues(request, name), Params.limit(request));
    }

    /**
     * The tenant's metric metadata as senders reported it, families in name order, each with its distinct
     * entries newest first; {@code metric}, {@code limit} (families; negative or absent: all) and
     * {@code limit_per_metric} (entries; positive caps) as Prometheus reads them.
     */
    private HttpHandler.Response metadata(final ApiRequest request, final JsonWriter json) {
        final int limit = signedNumber(request, "limit");
        final int limitPerMetric = signedNumber(request, "limit_per_metric");
        final Map<String, List<MetricMetadataStore.Entry>> families =
            metadata.read(request.tenant(), request.parameter("metric"), limit, limitPerMetric);
        json.raw("{\"status\":\"success\",\"data\":{");
        boolean first = true;
        for (final Map.Entry<String, List<MetricMetadataStore.Entry>> family : families.entrySet()) {
            if (!first) {
                json.comma();
            }
            first = false;
            json.name(family.getKey()).raw('[');
            for (int i = 0; i < family.getValue().size(); i++) {
                final MetricMetadataStore.Entry entry = family.getValue().get(i);
                if (i > 0) {
                    json.comma();
                }
                json.raw('{').name("type").string(entry.type()).comma().name("help").string(entry.help()).comma()
                    .name("unit").string(entry.unit()).raw('}');
            }
            json.raw(']');
        }
        json.raw("}}");
        return HttpHandler.Response.OK_JSON;
    }

    /** An optional integer parameter, -1 when absent; Prometheus' error when it is not a number. */
    private static int signedNumber(final ApiRequest request, final String name) {
        final String text = request.parameter(name);
        if (text == null || text.isEmpty()) {
            return -1;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (final NumberFormatException e) {
            throw ApiException.badData(name + " must be a number");
        }
    }

    private static HttpHandler.Response strings(final JsonWriter json, final Collection<String> values, final int limit) {
        json.raw("{\"status\":\"success\",\"data\":[");
        int i = 0;
        for (final String value : values) {
            if (limit > 0 && i == limit) {
                break;
            }
            if (i > 0) {
                json.comma();
            }
            json.string(value);
            i++;
        }
        json.raw(']');
        truncated(json, limit > 0 && values.size() > limit);
        json.raw('}');
        return HttpHandler.Response.OK_JSON;
    }

    private static void truncated(final JsonWriter json, final boolean truncated) {
        if (truncated) {
            json.raw(",\"warnings\":[\"results truncated due to limit\"]");
        }
    }

    /** Label sets in Prometheus' order: name by name, value by value, the shorter set first on a tie. */
    private static int compare(final LabelSet a, final LabelSet b) {
        final int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = a.name(i).compareTo(b.name(i));
            if (c != 0) {
                return c;
            }
            c = a.value(i).compareTo(b.value(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
