package io.tidemark.promql.test;

import io.tidemark.promql.eval.Labels;
import io.tidemark.promql.parser.PromQlParser;
import java.util.ArrayList;
import java.util.List;

/**
 * A promqltest series description, {@code metric{a="b"} 0+10x3 _ stale 1}: its labels and values, null for an omitted
 * one ({@code _}), the stale marker for {@code stale}.
 */
record SeriesDescription(Labels labels, List<Double> values) {
    static final double STALE = Double.longBitsToDouble(PromQlTestRunner.STALE_NAN_BITS);

    /** The kind of a series description line. */
    enum Kind {
        /** Float samples only: loaded. */
        FLOATS,
        /** Holds native-histogram samples ({@code {{...}}}): not loaded. */
        NATIVE_HISTOGRAMS,
        /** The start timestamps ({@code metric@st ...}) of the series on the next line: not loaded. */
        START_TIMESTAMPS
    }

    /** What kind of line {@code line} is. */
    static Kind kind(final String line) {
        final int end = metricEnd(line);
        final String metric = line.substring(0, end).strip();
        final String rest = line.substring(end).strip();
        if (metric.endsWith("@st") || rest.startsWith("@st")) {
            return Kind.START_TIMESTAMPS;
        }
        return rest.contains("{{") ? Kind.NATIVE_HISTOGRAMS : Kind.FLOATS;
    }

    /** The labels of any description line, including native-histogram and {@code @st} lines. */
    static Labels labelsOf(final String line) {
        String metric = line.substring(0, metricEnd(line)).strip();
        if (metric.endsWith("@st")) {
            metric = metric.substring(0, metric.length() - "@st".length());
        }
        return PromQlTestRunner.labelsOf(PromQlParser.parseSeriesSelector(metric));
    }

    /** Parses a description of float samples (a line of kind {@link Kind#FLOATS}). */
    static SeriesDescription parse(final String line) {
        final int end = metricEnd(line);
        final Labels labels = PromQlTestRunner.labelsOf(PromQlParser.parseSeriesSelector(line.substring(0, end)
            .strip()));
        return new SeriesDescription(labels, values(line.substring(end).strip()));
    }

    static int metricEnd(final String line) {
        boolean quoted = false;
        int depth = 0;
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            } else if (depth == 0 && Character.isWhitespace(c)) {
                return i;
            }
        }
        return line.length();
    }

    static List<Double> values(final String text) {
        final List<Double> out = new ArrayList<>();
        if (text.isEmpty()) {
            return out;
        }
        for (final String token : text.split("\\s+")) {
            if (token.equals("_")) {
                out.add(null);
            } else if (token.startsWith("_x")) {
                final int n = Integer.parseInt(token.substring(2));
                for (int i = 0; i < n; i++) {
                    out.add(null);
                }
            } else if (token.equals("stale")) {
                out.add(STALE);
            } else {
                final int x = token.lastIndexOf('x');
                if (x < 0) {
                    out.add(number(token));
                    continue;
                }
                final String head = token.substring(0, x);
                final int n = Integer.parseInt(token.substring(x + 1));
                int op = -1;
                for (int i = 1; i < head.length(); i++) {
                    final char c = head.charAt(i);
                    final char before = Character.toLowerCase(head.charAt(i - 1));
                    if ((c == '+' || c == '-') && before != 'e') {
                        op = i;
                        break;
                    }
                }
                if (op < 0) {
                    final double v = number(head);
                    for (int i = 0; i <= n; i++) {
                        out.add(v);
                    }
                } else {
                    final double start = number(head.substring(0, op));
                    double delta = number(head.substring(op + 1));
                    if (head.charAt(op) == '-') {
                        delta = -delta;
                    }
                    double v = start;
                    for (int i = 0; i <= n; i++) {
                        out.add(v);
                        v += delta;
                    }
                }
            }
        }
        return out;
    }

    static double number(final String raw) {
        final String t = raw.replace("_", "");
        switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            default -> {
                if (t.startsWith("0x") || t.startsWith("0X")) {
                    return Long.parseLong(t.substring(2), 16);
                }
                return Double.parseDouble(t);
            }
        }
    }
}
