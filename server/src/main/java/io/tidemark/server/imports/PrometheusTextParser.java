package io.tidemark.server.imports;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses one line of the Prometheus text exposition format:
 * {@code metric_name{label="value",...} value [timestamp_ms]}. Comments ({@code # HELP}, {@code # TYPE},
 * anything after {@code #}) and blank lines hold no sample. Metric and label names may also be quoted
 * (Prometheus 3's UTF-8 names: {@code {"my.metric","label.name"="v"} 1}). Values as Go's ParseFloat
 * reads them in decimal ({@code NaN}, {@code +Inf}, {@code -Inf} in any case); the timestamp is an
 * integer in milliseconds. Not thread-safe; one per request.
 */
final class PrometheusTextParser {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private final Scanner in = new Scanner();
    private final ImportLimits limits;
    private boolean hasTimestamp;

    PrometheusTextParser(final ImportLimits limits) {
        this.limits = limits;
    }

    /** Whether the last line parsed had a timestamp (into {@code timestamps[0]}). */
    boolean hasTimestamp() {
        return hasTimestamp;
    }

    /** Parses {@code line[from, to)} into {@code into} (one value); returns false for a comment or blank line. */
    boolean parse(final byte[] line, final int from, final int to, final ParsedSeries into) {
        into.clear();
        hasTimestamp = false;
        in.reset(line, from, to);
        in.skipSpaces();
        if (in.atEnd() || in.peek() == '#') {
            return false;
        }
        if (in.peek() != '{') {
            put(into, "__name__", name(true));
        }
        if (in.consume('{')) {
            labels(into);
        }
        if (!into.labels.containsKey("__name__")) {
            throw in.error("no metric name");
        }
        final int gap = in.position;
        in.skipSpaces();
        if (in.position == gap) {
            throw in.atEnd() ? in.error("no value") : in.error("expected a space before the value, found '"
                + Scanner.printable(in.bytes[in.position]) + "'");
        }
        into.addValue(value(in.token("a value")));
        in.skipSpaces();
        if (!in.atEnd()) {
            final int at = in.position;
            final String token = in.token("a timestamp");
            if (!INTEGER.matcher(token).matches()) {
                in.position = at;
                throw in.error("timestamp " + token + " is not an integer number of milliseconds");
            }
            try {
                into.addTimestamp(Long.parseLong(token));
            } catch (final NumberFormatException e) {
                in.position = at;
                throw in.error("timestamp " + token + " is out of range");
            }
            hasTimestamp = true;
            in.skipSpaces();
            if (!in.atEnd()) {
                throw in.error("unexpected '" + Scanner.printable(in.bytes[in.position]) + "' after the timestamp");
            }
        }
        return true;
    }

    /** A metric name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}) or a label name (no ':'). */
    private String name(final boolean metric) {
        final int from = in.position;
        while (!in.atEnd()) {
            final int c = in.peek();
            final boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || metric && c == ':';
            if (!letter && !(in.position > from && c >= '0' && c <= '9')) {
                break;
            }
            in.position++;
        }
        if (in.position == from) {
            throw in.atEnd() ? in.error("expected a " + (metric ? "metric" : "label") + " name")
                : in.error("invalid character '" + Scanner.printable(in.bytes[in.position]) + "' where a "
                + (metric ? "metric" : "label") + " name starts");
        }
        if (in.position - from > limits.maxLabelBytes()) {
            throw in.error("a name longer than the limit of " + limits.maxLabelBytes() + " bytes");
        }
        return new String(in.bytes, from, in.position - from, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private void labels(final ParsedSeries into) {
        in.skipSpaces();
        while (!in.consume('}')) {
            final int at = in.position;
            final String name = in.peek() == '"' ? in.quoted(false, limits.maxLabelBytes()) : name(false);
            in.skipSpaces();
            if (name.isEmpty()) {
                in.position = at;
                throw in.error("empty label name");
            }
            if (in.peek() == ',' || in.peek() == '}') {
                if (in.bytes[at] != '"') {
                    in.position = at;
                    throw in.error("label " + name + " has no value");
                }
                in.position = at;
                final String metric = in.quoted(false, limits.maxLabelBytes()); // {"metric.name", ...}
                in.skipSpaces();
                put(into, "__name__", metric);
            } else {
                in.expect('=');
                in.skipSpaces();
                if (in.peek() != '"') {
                    throw in.error("label value of " + name + " must be quoted");
                }
                final String value = in.quoted(false, limits.maxLabelBytes());
                final int after = in.position;
                in.position = at; // a duplicate or one label too many is reported where the label starts
                put(into, name, value);
                in.position = after;
            }
            in.skipSpaces();
            if (!in.consume(',')) {
                in.expect('}');
                return;
            }
            in.skipSpaces();
        }
    }

    private void put(final ParsedSeries into, final String name, final String value) {
        if (into.labels.containsKey(name)) {
            throw in.error("duplicate label name \"" + name + "\"");
        }
        if (into.labels.size() == limits.maxLabelsPerSeries()) {
            throw in.error("more than " + limits.maxLabelsPerSeries() + " labels");
        }
        into.labels.put(name, value);
    }

    private double value(final String token) {
        switch (token.toLowerCase(Locale.ROOT)) {
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                if (!DECIMAL.matcher(token).matches()) {
                    in.position -= token.length();
                    throw in.error("invalid value " + token);
                }
                return Double.parseDouble(token);
            }
        }
    }
}
