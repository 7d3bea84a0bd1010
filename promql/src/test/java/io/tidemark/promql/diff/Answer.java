package io.tidemark.promql.diff;

import io.tidemark.promql.eval.Labels;
import io.tidemark.promql.eval.QueryResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One engine's answer to a query, reduced to what both engines can be compared on: an error, or a result type and
 * its series (labels as a sorted map, points in time order). Vectors are compared as sets (sorted by labels), so
 * the order {@code sort()} or {@code topk()} gives is not compared.
 */
record Answer(String error, String type, List<Points> series) {
    /** Relative tolerance for values; NaN equals NaN and infinities must match exactly. */
    static final double RELATIVE_TOLERANCE = 1e-9;

    /** One series: sorted labels and its points. */
    record Points(Map<String, String> labels, long[] timestamps, double[] values) {
    }

    static Answer failed(final String message) {
        return new Answer(message, null, List.of());
    }

    boolean isError() {
        return error != null;
    }

    /** Reads a {@code /api/v1/query} or {@code /api/v1/query_range} response body. */
    @SuppressWarnings("unchecked")
    static Answer fromPrometheus(final String body) {
        final Map<String, Object> root = (Map<String, Object>) MiniJson.parse(body);
        if (!"success".equals(root.get("status"))) {
            return failed(root.get("errorType") + ": " + root.get("error"));
        }
        final Map<String, Object> data = (Map<String, Object>) root.get("data");
        final String type = (String) data.get("resultType");
        final Object result = data.get("result");
        final List<Points> series = new ArrayList<>();
        switch (type) {
            case "scalar", "string" -> series.add(point(Map.of(), (List<Object>) result));
            case "vector" -> {
                for (final Object o : (List<Object>) result) {
                    final Map<String, Object> s = (Map<String, Object>) o;
                    series.add(point((Map<String, Object>) s.get("metric"), (List<Object>) s.get("value")));
                }
            }
            case "matrix" -> {
                for (final Object o : (List<Object>) result) {
                    final Map<String, Object> s = (Map<String, Object>) o;
                    final List<Object> values = (List<Object>) s.get("values");
                    final long[] ts = new long[values.size()];
                    final double[] vs = new double[values.size()];
                    for (int i = 0; i < ts.length; i++) {
                        final List<Object> p = (List<Object>) values.get(i);
                        ts[i] = Math.round((Double) p.get(0) * 1000);
                        vs[i] = parseValue((String) p.get(1));
                    }
                    series.add(new Points(sortedLabels((Map<String, Object>) s.get("metric")), ts, vs));
                }
            }
            default -> throw new IllegalArgumentException("resultType=" + type);
        }
        return new Answer(null, type, sorted(series));
    }

    private static Points point(final Map<String, Object> metric, final List<Object> value) {
        final String v = (String) value.get(1);
        // A string result keeps its text in the labels so that it is compared too.
        final Map<String, String> labels = sortedLabels(metric);
        double parsed;
        try {
            parsed = parseValue(v);
        } catch (NumberFormatException text) {
            labels.put("__string__", v);
            parsed = 0;
        }
        return new Points(labels, new long[] {Math.round((Double) value.get(0) * 1000)}, new double[] {parsed});
    }

    private static Map<String, String> sortedLabels(final Map<String, Object> metric) {
        final Map<String, String> labels = new TreeMap<>();
        metric.forEach((k, v) -> labels.put(k, (String) v));
        return labels;
    }

    static double parseValue(final String v) {
        return switch (v) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    /** Tidemark's result in the same form; {@code range} says it answered a range query (always a matrix). */
    static Answer fromTidemark(final QueryResult result) {
        final List<Points> series = new ArrayList<>();
        final String type;
        switch (result) {
            case QueryResult.Scalar s -> {
                type = "scalar";
                series.add(new Points(new TreeMap<>(), new long[] {s.timestamp()}, new double[] {s.value()}));
            }
            case QueryResult.Str s -> {
                type = "string";
                final Map<String, String> labels = new TreeMap<>();
                labels.put("__string__", s.value());
                series.add(new Points(labels, new long[] {s.timestamp()}, new double[] {0}));
            }
            case QueryResult.Vector v -> {
                type = "vector";
                for (final QueryResult.Sample s : v.samples()) {
                    series.add(new Points(map(s.labels()), new long[] {s.timestamp()}, new double[] {s.value()}));
                }
            }
            case QueryResult.Matrix m -> {
                type = "matrix";
                for (final QueryResult.Series s : m.series()) {
                    series.add(new Points(map(s.labels()), s.timestamps(), s.values()));
                }
            }
        }
        return new Answer(null, type, sorted(series));
    }

    private static Map<String, String> map(final Labels labels) {
        final Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            out.put(labels.name(i), labels.value(i));
        }
        return out;
    }

    private static List<Points> sorted(final List<Points> series) {
        series.sort(Comparator.comparing(p -> p.labels().toString()));
        return series;
    }

    /** Null when {@code ours} matches {@code theirs}, else what differs first. */
    static String difference(final Answer theirs, final Answer ours) {
        if (theirs.isError() || ours.isError()) {
            return theirs.isError() && ours.isError() ? null
                : "prometheus: " + describe(theirs) + "\n      tidemark:   " + describe(ours);
        }
        if (!theirs.type.equals(ours.type)) {
            return "type: prometheus=" + theirs.type + " tidemark=" + ours.type;
        }
        if (theirs.series.size() != ours.series.size()) {
            return "series: prometheus=" + theirs.series.size() + " tidemark=" + ours.series.size()
                + "\n      prometheus: " + labelSets(theirs) + "\n      tidemark:   " + labelSets(ours);
        }
        for (int i = 0; i < theirs.series.size(); i++) {
            final Points a = theirs.series.get(i);
            final Points b = ours.series.get(i);
            if (!a.labels().equals(b.labels())) {
                return "labels: prometheus=" + a.labels() + " tidemark=" + b.labels();
            }
            if (a.timestamps().length != b.timestamps().length) {
                return a.labels() + " points: prometheus=" + a.timestamps().length + " tidemark="
                    + b.timestamps().length + firstTimeDifference(a, b);
            }
            for (int k = 0; k < a.timestamps().length; k++) {
                if (a.timestamps()[k] != b.timestamps()[k] || !close(a.values()[k], b.values()[k])) {
                    return a.labels() + " at " + PrometheusPeer.seconds(a.timestamps()[k]) + ": prometheus="
                        + a.values()[k] + " tidemark=" + b.values()[k] + " (t=" + PrometheusPeer.seconds(b.timestamps()[k])
                        + ")";
                }
            }
        }
        return null;
    }

    private static String firstTimeDifference(final Points a, final Points b) {
        final int n = Math.min(a.timestamps().length, b.timestamps().length);
        for (int k = 0; k < n; k++) {
            if (a.timestamps()[k] != b.timestamps()[k]) {
                return " (first differing point: prometheus t=" + PrometheusPeer.seconds(a.timestamps()[k])
                    + " tidemark t=" + PrometheusPeer.seconds(b.timestamps()[k]) + ")";
            }
        }
        return a.timestamps().length > n
            ? " (prometheus also has t=" + PrometheusPeer.seconds(a.timestamps()[n]) + ")"
            : " (tidemark also has t=" + PrometheusPeer.seconds(b.timestamps()[n]) + ")";
    }

    static boolean close(final double a, final double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) && Double.isNaN(b);
        }
        if (a == b) {
            return true;
        }
        if (Double.isInfinite(a) || Double.isInfinite(b)) {
            return false;
        }
        return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }

    private static String describe(final Answer a) {
        return a.isError() ? "error " + a.error : a.type + " with " + a.series.size() + " series " + labelSets(a);
    }

    private static String labelSets(final Answer a) {
        final List<String> out = new ArrayList<>();
        for (final Points p : a.series) {
            out.add(p.labels().toString());
            if (out.size() == 4) {
                out.add("...");
                break;
            }
        }
        return out.toString();
    }
}
