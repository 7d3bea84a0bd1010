package io.tidemark.server;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.promql.eval.Annotations;
import io.tidemark.promql.eval.EngineOptions;
import io.tidemark.promql.eval.Labels;
import io.tidemark.promql.eval.PromQlEngine;
import io.tidemark.promql.eval.QueryException;
import io.tidemark.promql.eval.QueryResult;
import io.tidemark.promql.parser.PromQlParseException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /api/v1/query} and {@code /api/v1/query_range}: PromQL over the request's tenant, answered in Prometheus'
 * shapes ({@code {"status":"success","data":{"resultType":...,"result":...}}}, plus {@code warnings} and
 * {@code infos} when the query raised any).
 */
final class QueryApi {
    /** Prometheus' limit on the points of one series a range query may return. */
    static final long MAX_POINTS = 11_000;
    private static final String TRUNCATED = "results truncated due to limit";

    private final Supplier<Tidemark> db;
    private final PromQlEngine engine;

    QueryApi(final Supplier<Tidemark> db, final EngineOptions options) {
        this.db = db;
        this.engine = new PromQlEngine(options);
    }

    void register(final Router router) {
        for (final String method : new String[] {"GET", "POST"}) {
            router.add(method, "/api/v1/query", this::instant, true);
            router.add(method, "/api/v1/query_range", this::range, true);
            router.add(method, "/api/v1/query_exemplars", this::exemplars, true);
        }
    }

    /**
     * {@code /api/v1/query_exemplars}: Tidemark keeps no exemplars (remote write skips and counts them), so the
     * answer is Prometheus' empty one, after the same checks of {@code query}, {@code start} and {@code end}, so
     * that Grafana's exemplar queries get an answer and bad ones Prometheus' error.
     */
    private HttpHandler.Response exemplars(final ApiRequest request, final JsonWriter json) {
        final long start = Params.time(request, "start", PromFormat.MIN_TIME);
        final long end = Params.time(request, "end", PromFormat.MAX_TIME);
        if (end < start) {
            throw ApiException.badData("end timestamp must not be before start timestamp");
        }
        try {
            io.tidemark.promql.parser.PromQlParser.parse(Params.query(request), engine.options().parser());
        } catch (final PromQlParseException e) {
            throw ApiException.badData(e.getMessage());
        }
        json.raw("{\"status\":\"success\",\"data\":[]}");
        return HttpHandler.Response.OK_JSON;
    }

    private HttpHandler.Response instant(final ApiRequest request, final JsonWriter json) {
        final String query = Params.query(request);
        final long time = Params.time(request, "time", System.currentTimeMillis());
        final PromQlEngine run = engineFor(request);
        final int limit = Params.limit(request);
        final Annotations annotations = new Annotations();
        final QueryResult result;
        try {
            result = run.instantQuery(db.get().queryable(request.tenant()), query, time, null, annotations);
        } catch (final PromQlParseException e) {
            throw ApiException.invalidParameter("query", e.getMessage());
        } catch (final QueryException e) {
            throw failure(e);
        }
        write(json, result, limit, annotations);
        return HttpHandler.Response.OK_JSON;
    }

    private HttpHandler.Response range(final ApiRequest request, final JsonWriter json) {
        final String query = Params.query(request);
        final long start = required(request, "start");
        final long end = required(request, "end");
        if (end < start) {
            throw ApiException.badData("end timestamp must not be before start time");
        }
        if (request.parameter("step") == null) {
            throw ApiException.invalidParameter("step", "cannot parse \"\" to a valid duration");
        }
        final long step = Params.duration(request, "step", 0);
        if (step <= 0) {
            throw ApiException.badData("zero or negative query resolution step widths are not accepted. "
                + "Try a positive integer");
        }
        if ((end - start) / step > MAX_POINTS) {
            throw ApiException.badData("exceeded maximum resolution of 11,000 points per timeseries. "
                + "Try decreasing the query resolution (?step=XX)");
        }
        final PromQlEngine run = engineFor(request);
        final int limit = Params.limit(request);
        final Annotations annotations = new Annotations();
        final QueryResult result;
        try {
            result = run.rangeQuery(db.get().queryable(request.tenant()), query, start, end, step, null, annotations);
        } catch (final PromQlParseException e) {
            throw ApiException.invalidParameter("query", e.getMessage());
        } catch (final QueryException e) {
            throw failure(e);
        }
        write(json, result, limit, annotations);
        return HttpHandler.Response.OK_JSON;
    }

    private static long required(final ApiRequest request, final String name) {
        final String text = request.parameter(name);
        if (text == null || text.isEmpty()) {
            throw ApiException.invalidParameter(name, "cannot parse \"\" to a valid timestamp");
        }
        return Params.time(request, name, 0);
    }

    /** The engine, with the request's {@code timeout} when it is shorter than the configured one. */
    private PromQlEngine engineFor(final ApiRequest request) {
        final long configured = engine.options().timeout().toMillis();
        final long timeout = Params.duration(request, "timeout", configured);
        if (timeout <= 0 || timeout >= configured) {
            return engine;
        }
        return new PromQlEngine(engine.options().withTimeout(Duration.ofMillis(timeout)));
    }

    /** Prometheus' {@code returnAPIError}: canceled and timeout are 503, everything else at run time 422. */
    static ApiException failure(final QueryException e) {
        return switch (e.kind()) {
            case BAD_DATA -> ApiException.badData(e.getMessage());
            case TIMEOUT -> new ApiException(503, "timeout", e.getMessage());
            case CANCELED -> new ApiException(503, "canceled", e.getMessage());
            case EXECUTION, TOO_MANY_SAMPLES -> new ApiException(422, "execution", e.getMessage());
        };
    }

    private static void write(final JsonWriter json, final QueryResult result, final int limit,
                              final Annotations annotations) {
        boolean truncated = false;
        json.raw("{\"status\":\"success\",\"data\":{\"resultType\":");
        switch (result) {
            case QueryResult.Scalar s -> {
                json.string("scalar").raw(",\"result\":");
                point(json, s.timestamp(), s.value());
            }
            case QueryResult.Str s -> {
                json.string("string").raw(",\"result\":[");
                PromFormat.writeTimestamp(json, s.timestamp());
                json.comma().string(s.value()).raw(']');
            }
            case QueryResult.Vector v -> {
                json.string("vector").raw(",\"result\":[");
                final List<QueryResult.Sample> samples = v.samples();
                final int n = limit > 0 ? Math.min(limit, samples.size()) : samples.size();
                truncated = n < samples.size();
                for (int i = 0; i < n; i++) {
                    final QueryResult.Sample sample = samples.get(i);
                    if (i > 0) {
                        json.comma();
                    }
                    json.raw("{\"metric\":");
                    labels(json, sample.labels());
                    json.raw(",\"value\":");
                    point(json, sample.timestamp(), sample.value());
                    json.raw('}');
                }
                json.raw(']');
            }
            case QueryResult.Matrix m -> {
                json.string("matrix").raw(",\"result\":[");
                final List<QueryResult.Series> series = m.series();
                final int n = limit > 0 ? Math.min(limit, series.size()) : series.size();
                truncated = n < series.size();
                for (int i = 0; i < n; i++) {
                    final QueryResult.Series s = series.get(i);
                    if (i > 0) {
                        json.comma();
                    }
                    json.raw("{\"metric\":");
                    labels(json, s.labels());
                    json.raw(",\"values\":[");
                    final long[] ts = s.timestamps();
                    final double[] vs = s.values();
                    for (int k = 0; k < ts.length; k++) {
                        if (k > 0) {
                            json.comma();
                        }
                        point(json, ts[k], vs[k]);
                    }
                    json.raw("]}");
                }
                json.raw(']');
            }
        }
        json.raw('}');
        final List<String> warnings = annotations.warnings();
        if (truncated) {
            warnings.add(TRUNCATED);
        }
        strings(json, "warnings", warnings);
        strings(json, "infos", annotations.infos());
        json.raw('}');
    }

    private static void strings(final JsonWriter json, final String name, final List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        json.comma().name(name).raw('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                json.comma();
            }
            json.string(values.get(i));
        }
        json.raw(']');
    }

    static void point(final JsonWriter json, final long timestamp, final double value) {
        json.raw('[');
        PromFormat.writeTimestamp(json, timestamp);
        json.comma().string(PromFormat.formatValue(value)).raw(']');
    }

    static void labels(final JsonWriter json, final Labels labels) {
        json.raw('{');
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                json.comma();
            }
            json.name(labels.name(i)).string(labels.value(i));
        }
        json.raw('}');
    }
}
