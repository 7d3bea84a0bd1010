package io.tidemark.server;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkStats;
import io.tidemark.index.CardinalityStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Status and administration: {@code /api/v1/status/buildinfo}, {@code /api/v1/status/tsdb},
 * {@code POST /api/v1/admin/flush}, {@code /-/healthy} and {@code /-/ready}.
 */
final class StatusApi {
    private static final System.Logger LOG = System.getLogger(StatusApi.class.getName());
    private static final int DEFAULT_TSDB_LIMIT = 10;
    private static final int MAX_TSDB_LIMIT = 10_000;

    private final Supplier<Tidemark> db;
    private final BooleanSupplier ready;
    private final String version;

    StatusApi(final Supplier<Tidemark> db, final BooleanSupplier ready) {
        this.db = db;
        this.ready = ready;
        final String implementation = StatusApi.class.getPackage().getImplementationVersion();
        this.version = implementation == null ? "0.1.0-SNAPSHOT" : implementation;
    }

    /** The build's version, as buildinfo reports it. */
    String version() {
        return version;
    }

    void register(final Router router) {
        router.add("GET", "/api/v1/status/buildinfo", this::buildInfo, false);
        router.add("GET", "/api/v1/status/tsdb", this::tsdb, true);
        // Tidemark evaluates no rules: Grafana's alerting pages ask every Prometheus data source for them
        router.add("GET", "/api/v1/rules", (r, json) -> constant(json, "{\"groups\":[]}"), false);
        router.add("GET", "/api/v1/alerts", (r, json) -> constant(json, "{\"alerts\":[]}"), false);
        router.add("POST", "/api/v1/admin/flush", this::flush, true);
        for (final String method : new String[] {"GET", "HEAD"}) {
            router.add(method, "/-/healthy", StatusApi::healthy, false);
            router.add(method, "/-/ready", this::readiness, false);
        }
    }

    private HttpHandler.Response buildInfo(final ApiRequest request, final JsonWriter json) {
        json.raw("{\"status\":\"success\",\"data\":{\"version\":").string(version)
            .raw(",\"revision\":\"\",\"branch\":\"\",\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":")
            .string("java" + Runtime.version()).raw("}}");
        return HttpHandler.Response.OK_JSON;
    }

    /**
     * Prometheus' TSDB status for the request's tenant. {@code headStats} carries {@code numSeries} and
     * {@code numLabelPairs} from the head's index (a series leaves it once blocks hold all its samples), and
     * {@code minTime} and {@code maxTime} of the samples the head holds (left out while it holds none);
     * {@code chunkCount} is not tracked and is left out.
     */
    private HttpHandler.Response tsdb(final ApiRequest request, final JsonWriter json) {
        int limit = Params.limit(request);
        if (limit == 0 && request.parameter("limit") == null) {
            limit = DEFAULT_TSDB_LIMIT;
        }
        if (limit < 1 || limit > MAX_TSDB_LIMIT) {
            throw ApiException.invalidParameter("limit", "limit must be a positive number no larger than "
                + MAX_TSDB_LIMIT);
        }
        final CardinalityStats stats = db.get().cardinality(request.tenant(), limit);
        json.raw("{\"status\":\"success\",\"data\":{\"headStats\":{\"numSeries\":").number(stats.numSeries())
            .raw(",\"numLabelPairs\":").number(stats.numLabelPairs());
        for (final TidemarkStats.Tenant tenant : stats().tenants()) {
            if (tenant.name().equals(request.tenant()) && tenant.headMinTime() <= tenant.headMaxTime()) {
                json.raw(",\"minTime\":").number(tenant.headMinTime()).raw(",\"maxTime\":").number(tenant.headMaxTime());
            }
        }
        json.raw('}');
        entries(json, "seriesCountByMetricName", stats.seriesCountByMetricName());
        entries(json, "labelValueCountByLabelName", stats.labelValueCountByLabelName());
        entries(json, "memoryInBytesByLabelName", stats.memoryInBytesByLabelName());
        entries(json, "seriesCountByLabelValuePair", stats.seriesCountByLabelValuePair());
        json.raw("}}");
        return HttpHandler.Response.OK_JSON;
    }

    private static void entries(final JsonWriter json, final String name, final List<CardinalityStats.Entry> entries) {
        json.comma().name(name).raw('[');
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                json.comma();
            }
            json.raw("{\"name\":").string(entries.get(i).name()).raw(",\"value\":").number(entries.get(i).value())
                .raw('}');
        }
        json.raw(']');
    }

    private static HttpHandler.Response constant(final JsonWriter json, final String data) {
        json.raw("{\"status\":\"success\",\"data\":").raw(data).raw('}');
        return HttpHandler.Response.OK_JSON;
    }

    private TidemarkStats stats() {
        try {
            return db.get().stats();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpHandler.Response flush(final ApiRequest request, final JsonWriter json) {
        final long started = System.nanoTime();
        final int blocks;
        try {
            blocks = db.get().flush();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.log(System.Logger.Level.INFO, "event=flush blocks=" + blocks + " ms="
            + (System.nanoTime() - started) / 1_000_000);
        json.raw("{\"status\":\"success\",\"data\":{\"blocks\":").number(blocks).raw("}}");
        return HttpHandler.Response.OK_JSON;
    }

    private static HttpHandler.Response healthy(final ApiRequest request, final JsonWriter json) {
        json.raw("Tidemark Server is Healthy.\n");
        return new HttpHandler.Response(200, "text/plain; charset=utf-8");
    }

    private HttpHandler.Response readiness(final ApiRequest request, final JsonWriter json) {
        if (ready.getAsBoolean()) {
            json.raw("Tidemark Server is Ready.\n");
            return new HttpHandler.Response(200, "text/plain; charset=utf-8");
        }
        json.raw("Service Unavailable");
        return new HttpHandler.Response(503, "text/plain; charset=utf-8");
    }
}
