package io.tidemark.promql.ast;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every function of Prometheus 3 PromQL (its {@code promql/parser/functions.go}), with argument and return types,
 * plus {@code holt_winters} of Prometheus 2.x, which only the {@code PROMETHEUS2} compatibility setting accepts.
 * Experimental functions are marked so that the parser rejects them unless enabled and the evaluator can skip them;
 * the native-histogram functions parse (they are valid PromQL) and are marked as such.
 */
public final class Functions {
    private static final int EXPERIMENTAL = 1;
    private static final int NATIVE_HISTOGRAM = 2;
    private static final int PROMETHEUS2_ONLY = 4;

    private static final Map<String, Function> BY_NAME = build();

    private Functions() {
    }

    /** The function called {@code name} (case-sensitive, as in Prometheus), or null if there is none. */
    public static Function byName(final String name) {
        return BY_NAME.get(name);
    }

    /** All functions, sorted by name. */
    public static List<Function> all() {
        return Collections.unmodifiableList(new ArrayList<>(BY_NAME.values()));
    }

    private static Map<String, Function> build() {
        final Map<String, Function> table = new TreeMap<>();
        add(table, "abs", "V", 0, 'V', 0);
        add(table, "absent", "V", 0, 'V', 0);
        add(table, "absent_over_time", "M", 0, 'V', 0);
        add(table, "acos", "V", 0, 'V', 0);
        add(table, "acosh", "V", 0, 'V', 0);
        add(table, "asin", "V", 0, 'V', 0);
        add(table, "asinh", "V", 0, 'V', 0);
        add(table, "atan", "V", 0, 'V', 0);
        add(table, "atanh", "V", 0, 'V', 0);
        add(table, "avg_over_time", "M", 0, 'V', 0);
        add(table, "ceil", "V", 0, 'V', 0);
        add(table, "changes", "M", 0, 'V', 0);
        add(table, "clamp", "VSS", 0, 'V', 0);
        add(table, "clamp_max", "VS", 0, 'V', 0);
        add(table, "clamp_min", "VS", 0, 'V', 0);
        add(table, "cos", "V", 0, 'V', 0);
        add(table, "cosh", "V", 0, 'V', 0);
        add(table, "count_over_time", "M", 0, 'V', 0);
        add(table, "day_of_month", "V", 1, 'V', 0);
        add(table, "day_of_week", "V", 1, 'V', 0);
        add(table, "day_of_year", "V", 1, 'V', 0);
        add(table, "days_in_month", "V", 1, 'V', 0);
        add(table, "deg", "V", 0, 'V', 0);
        add(table, "delta", "M", 0, 'V', 0);
        add(table, "deriv", "M", 0, 'V', 0);
        add(table, "double_exponential_smoothing", "MSS", 0, 'V', EXPERIMENTAL);
        add(table, "end", "", 0, 'S', EXPERIMENTAL);
        add(table, "exp", "V", 0, 'V', 0);
        add(table, "first_over_time", "M", 0, 'V', 0);
        add(table, "floor", "V", 0, 'V', 0);
        add(table, "histogram_avg", "V", 0, 'V', NATIVE_HISTOGRAM);
        add(table, "histogram_count", "V", 0, 'V', NATIVE_HISTOGRAM);
        add(table, "histogram_fraction", "SSV", 0, 'V', NATIVE_HISTOGRAM);
        add(table, "histogram_quantile", "SV", 0, 'V', 0);
        add(table, "histogram_quantiles", "VTSS", 9, 'V', EXPERIMENTAL);
        add(table, "histogram_stddev", "V", 0, 'V', NATIVE_HISTOGRAM);
        add(table, "histogram_stdvar", "V", 0, 'V', NATIVE_HISTOGRAM);
        add(table, "histogram_sum", "V", 0, 'V', NATIVE_HISTOGRAM);
        add(table, "holt_winters", "MSS", 0, 'V', PROMETHEUS2_ONLY);
        add(table, "hour", "V", 1, 'V', 0);
        add(table, "idelta", "M", 0, 'V', 0);
        add(table, "increase", "M", 0, 'V', 0);
        add(table, "info", "VV", 1, 'V', EXPERIMENTAL);
        add(table, "irate", "M", 0, 'V', 0);
        add(table, "label_join", "VTTT", -1, 'V', 0);
        add(table, "label_replace", "VTTTT", 0, 'V', 0);
        add(table, "last_over_time", "M", 0, 'V', 0);
        add(table, "ln", "V", 0, 'V', 0);
        add(table, "log10", "V", 0, 'V', 0);
        add(table, "log2", "V", 0, 'V', 0);
        add(table, "mad_over_time", "M", 0, 'V', EXPERIMENTAL);
        add(table, "max_of", "SS", 0, 'S', EXPERIMENTAL);
        add(table, "max_over_time", "M", 0, 'V', 0);
        add(table, "min_of", "SS", 0, 'S', EXPERIMENTAL);
        add(table, "min_over_time", "M", 0, 'V', 0);
        add(table, "minute", "V", 1, 'V', 0);
        add(table, "month", "V", 1, 'V', 0);
        add(table, "pi", "", 0, 'S', 0);
        add(table, "predict_linear", "MS", 0, 'V', 0);
        add(table, "present_over_time", "M", 0, 'V', 0);
        add(table, "quantile_over_time", "SM", 0, 'V', 0);
        add(table, "rad", "V", 0, 'V', 0);
        add(table, "range", "", 0, 'S', EXPERIMENTAL);
        add(table, "rate", "M", 0, 'V', 0);
        add(table, "resets", "M", 0, 'V', 0);
        add(table, "round", "VS", 1, 'V', 0);
        add(table, "scalar", "V", 0, 'S', 0);
        add(table, "sgn", "V", 0, 'V', 0);
        add(table, "sin", "V", 0, 'V', 0);
        add(table, "sinh", "V", 0, 'V', 0);
        add(table, "sort", "V", 0, 'V', 0);
        add(table, "sort_by_label", "VT", -1, 'V', EXPERIMENTAL);
        add(table, "sort_by_label_desc", "VT", -1, 'V', EXPERIMENTAL);
        add(table, "sort_desc", "V", 0, 'V', 0);
        add(table, "sqrt", "V", 0, 'V', 0);
        add(table, "start", "", 0, 'S', EXPERIMENTAL);
        add(table, "start_timestamp", "V", 0, 'V', EXPERIMENTAL);
        add(table, "stddev_over_time", "M", 0, 'V', 0);
        add(table, "stdvar_over_time", "M", 0, 'V', 0);
        add(table, "step", "", 0, 'S', EXPERIMENTAL);
        add(table, "sum_over_time", "M", 0, 'V', 0);
        add(table, "tan", "V", 0, 'V', 0);
        add(table, "tanh", "V", 0, 'V', 0);
        add(table, "time", "", 0, 'S', 0);
        add(table, "timestamp", "V", 0, 'V', 0);
        add(table, "ts_of_first_over_time", "M", 0, 'V', EXPERIMENTAL);
        add(table, "ts_of_last_over_time", "M", 0, 'V', EXPERIMENTAL);
        add(table, "ts_of_max_over_time", "M", 0, 'V', EXPERIMENTAL);
        add(table, "ts_of_min_over_time", "M", 0, 'V', EXPERIMENTAL);
        add(table, "vector", "S", 0, 'V', 0);
        add(table, "year", "V", 1, 'V', 0);
        return Collections.unmodifiableMap(table);
    }

    /**
     * Adds one signature; {@code args} has one letter per argument: S scalar, V instant vector, M range vector,
     * T string; {@code returns} likewise.
     */
    private static void add(final Map<String, Function> table, final String name, final String args,
                            final int variadic, final char returns, final int flags) {
        final List<ValueType> types = new ArrayList<>(args.length());
        for (int i = 0; i < args.length(); i++) {
            types.add(type(args.charAt(i)));
        }
        table.put(name, new Function(name, types, variadic, type(returns), (flags & EXPERIMENTAL) != 0,
            (flags & NATIVE_HISTOGRAM) != 0, (flags & PROMETHEUS2_ONLY) != 0));
    }

    private static ValueType type(final char letter) {
        return switch (letter) {
            case 'S' -> ValueType.SCALAR;
            case 'V' -> ValueType.VECTOR;
            case 'M' -> ValueType.MATRIX;
            case 'T' -> ValueType.STRING;
            default -> throw new IllegalArgumentException("type letter=" + letter);
        };
    }
}
