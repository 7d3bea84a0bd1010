package io.tidemark.bench.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A strict parser of the exposition lines {@link PrometheusTextWriter} writes, for round-trip tests. */
final class PrometheusTextParser {
    /** One parsed line: labels with {@code __name__}, the value and the timestamp in milliseconds. */
    record Sample(Map<String, String> labels, double value, long timestamp) {
    }

    private final String text;
    private int position;

    private PrometheusTextParser(final String text) {
        this.text = text;
    }

    static List<Sample> parse(final String text) {
        final PrometheusTextParser parser = new PrometheusTextParser(text);
        final List<Sample> samples = new ArrayList<>();
        while (parser.position < text.length()) {
            samples.add(parser.line());
        }
        return samples;
    }

    private Sample line() {
        final Map<String, String> labels = new TreeMap<>();
        labels.put(SeriesData.METRIC_NAME_LABEL, until("{ "));
        if (text.charAt(position) == '{') {
            position++;
            while (true) {
                final String name = until("=");
                expect('=');
                expect('"');
                if (labels.put(name, quotedValue()) != null) {
                    throw new IllegalArgumentException("duplicate label " + name + " at " + position);
                }
                if (text.charAt(position) == '}') {
                    position++;
                    break;
                }
                expect(',');
            }
        }
        expect(' ');
        final double value = value(until(" "));
        expect(' ');
        final long timestamp = Long.parseLong(until("\n"));
        expect('\n');
        return new Sample(labels, value, timestamp);
    }

    private String quotedValue() {
        final StringBuilder value = new StringBuilder();
        while (true) {
            final char c = text.charAt(position++);
            if (c == '"') {
                return value.toString();
            }
            if (c == '\n') {
                throw new IllegalArgumentException("raw line feed in label value at " + position);
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            final char escaped = text.charAt(position++);
            switch (escaped) {
                case '\\' -> value.append('\\');
                case '"' -> value.append('"');
                case 'n' -> value.append('\n');
                default -> throw new IllegalArgumentException("bad escape \\" + escaped + " at " + position);
            }
        }
    }

    private static double value(final String token) {
        return switch (token) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(token);
        };
    }

    private String until(final String stops) {
        final int start = position;
        while (position < text.length() && stops.indexOf(text.charAt(position)) < 0) {
            position++;
        }
        if (position == start || position == text.length()) {
            throw new IllegalArgumentException("expected a token ending in one of [" + stops + "] at " + start);
        }
        return text.substring(start, position);
    }

    private void expect(final char expected) {
        if (position >= text.length() || text.charAt(position) != expected) {
            throw new IllegalArgumentException("expected '" + expected + "' at " + position);
        }
        position++;
    }
}
