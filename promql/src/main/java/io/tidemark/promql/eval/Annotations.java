package io.tidemark.promql.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The warnings and infos of one query, as Prometheus reports them beside a result: full messages such as
 * {@code PromQL warning: quantile value should be between 0 and 1, got NaN (1:10)}, each once, in the order first
 * raised; the position is the line and byte column (both from 1) of the query text that caused it.
 *
 * <p>Produced: invalid quantile and ratio parameters, malformed {@code le} labels and forced bucket monotonicity in
 * {@code histogram_quantile}, {@code sort} in a range query, and rate/increase over a metric whose name does not look
 * like a counter's. Pass a fresh instance to one query; not thread-safe.
 */
public final class Annotations {
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Set<String> infos = new LinkedHashSet<>();

    /** The warning messages, in the order first raised. */
    public List<String> warnings() {
        return new ArrayList<>(warnings);
    }

    /** The info messages, in the order first raised. */
    public List<String> infos() {
        return new ArrayList<>(infos);
    }

    void warn(final String message) {
        warnings.add("PromQL warning: " + message);
    }

    void info(final String message) {
        infos.add("PromQL info: " + message);
    }

    /** Go's {@code %q} of a label value. */
    static String quoted(final String value) {
        final StringBuilder out = new StringBuilder();
        Labels.quote(out, value);
        return out.toString();
    }

    /** Prometheus' {@code maybeAddMetricName}: " for metric name \"x\"", or nothing without a name. */
    static String forMetricName(final String name) {
        return name.isEmpty() ? "" : " for metric name " + quoted(name);
    }
}
