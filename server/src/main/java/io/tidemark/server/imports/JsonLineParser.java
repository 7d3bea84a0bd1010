package io.tidemark.server.imports;

/**
 * Parses one JSON line of VictoriaMetrics' import format:
 * {@code {"metric":{"__name__":"up","job":"node"},"values":[1,0.5,"NaN"],"timestamps":[1700000000000,1700000015000]}}.
 * Keys in any order; other keys are skipped. Values are JSON numbers or the strings {@code "NaN"},
 * {@code "Inf"}, {@code "+Inf"}, {@code "-Inf"}; timestamps are integers (milliseconds). A label with an
 * empty value is no label, as in Prometheus. Not thread-safe; one per request.
 */
final class JsonLineParser {
    private final Scanner in = new Scanner();
    private final ImportLimits limits;

    JsonLineParser(final ImportLimits limits) {
        this.limits = limits;
    }

    /** Parses {@code line[from, to)} into {@code into}. */
    void parse(final byte[] line, final int from, final int to, final ParsedSeries into) {
        into.clear();
        in.reset(line, from, to);
        boolean metric = false;
        boolean values = false;
        boolean timestamps = false;
        in.skipSpaces();
        in.expect('{');
        in.skipSpaces();
        if (!in.consume('}')) {
            do {
                in.skipSpaces();
                final String key = in.quoted(true, limits.maxLabelBytes());
                in.skipSpaces();
                in.expect(':');
                in.skipSpaces();
                switch (key) {
                    case "metric" -> {
                        metric = once(metric, key);
                        labels(into);
                    }
                    case "values" -> {
                        values = once(values, key);
                        values(into);
                    }
                    case "timestamps" -> {
                        timestamps = once(timestamps, key);
                        timestamps(into);
                    }
                    default -> skipValue(0);
                }
                in.skipSpaces();
            } while (in.consume(','));
            in.expect('}');
        }
        in.skipSpaces();
        if (!in.atEnd()) {
            throw in.error("unexpected '" + Scanner.printable(in.bytes[in.position]) + "' after the object");
        }
        if (!metric || into.labels.isEmpty()) {
            throw in.error("missing \"metric\" with at least one label");
        }
        if (!values || !timestamps || into.valueCount == 0) {
            throw in.error("missing \"values\" and \"timestamps\" with at least one sample");
        }
        if (into.valueCount != into.timestampCount) {
            throw in.error(into.valueCount + " values but " + into.timestampCount + " timestamps");
        }
    }

    private boolean once(final boolean seen, final String key) {
        if (seen) {
            throw in.error("\"" + key + "\" given twice");
        }
        return true;
    }

    private void labels(final ParsedSeries into) {
        in.expect('{');
        in.skipSpaces();
        if (in.consume('}')) {
            return;
        }
        do {
            in.skipSpaces();
            final int at = in.position;
            final String name = in.quoted(true, limits.maxLabelBytes());
            if (name.isEmpty()) {
                in.position = at;
                throw in.error("empty label name");
            }
            in.skipSpaces();
            in.expect(':');
            in.skipSpaces();
            final String value = in.quoted(true, limits.maxLabelBytes());
            if (into.labels.containsKey(name)) {
                in.position = at;
                throw in.error("duplicate label name \"" + name + "\"");
            }
            if (into.labels.size() == limits.maxLabelsPerSeries()) {
                in.position = at;
                throw in.error("more than " + limits.maxLabelsPerSeries() + " labels");
            }
            into.labels.put(name, value); // an empty value is dropped when the label set is made
            in.skipSpaces();
        } while (in.consume(','));
        in.expect('}');
    }

    private void values(final ParsedSeries into) {
        array(() -> {
            if (into.valueCount == limits.maxSamplesPerLine()) {
                throw in.error("more than " + limits.maxSamplesPerLine() + " values");
            }
            if (in.peek() == '"') {
                final int at = in.position;
                final String special = in.quoted(true, 8);
                into.addValue(switch (special) {
                    case "NaN" -> Double.NaN;
                    case "Inf", "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    default -> {
                        in.position = at;
                        throw in.error("a value string must be \"NaN\", \"Inf\", \"+Inf\" or \"-Inf\"");
                    }
                });
            } else {
                into.addValue(number("value"));
            }
        });
    }

    private void timestamps(final ParsedSeries into) {
        array(() -> {
            if (into.timestampCount == limits.maxSamplesPerLine()) {
                throw in.error("more than " + limits.maxSamplesPerLine() + " timestamps");
            }
            final int at = in.position;
            final String token = numberToken("timestamp");
            try {
                into.addTimestamp(Long.parseLong(token));
            } catch (final NumberFormatException e) {
                in.position = at;
                throw in.error("timestamp " + token + " is not an integer number of milliseconds");
            }
        });
    }

    /** A JSON array whose elements {@code element} reads, one per call, at the element's first byte. */
    private void array(final Runnable element) {
        in.expect('[');
        in.skipSpaces();
        if (in.consume(']')) {
            return;
        }
        do {
            in.skipSpaces();
            element.run();
            in.skipSpaces();
        } while (in.consume(','));
        in.expect(']');
    }

    /** A JSON number (no NaN or Inf: JSON has none). */
    private double number(final String what) {
        final int at = in.position;
        final String token = numberToken(what);
        try {
            return Double.parseDouble(token);
        } catch (final NumberFormatException e) {
            in.position = at;
            throw in.error("invalid " + what + " " + token);
        }
    }

    /** The characters of a JSON number at the position, checked against JSON's grammar. */
    private String numberToken(final String what) {
        final int from = in.position;
        in.consume('-');
        final int digits = in.position;
        while (in.peek() >= '0' && in.peek() <= '9') {
            in.position++;
        }
        if (in.position == digits || in.bytes[digits] == '0' && in.position - digits > 1) {
            in.position = from;
            throw in.error("expected a " + what + " (a JSON number)");
        }
        if (in.consume('.')) {
            final int fraction = in.position;
            while (in.peek() >= '0' && in.peek() <= '9') {
                in.position++;
            }
            if (in.position == fraction) {
                throw in.error("digits expected after '.'");
            }
        }
        if (in.peek() == 'e' || in.peek() == 'E') {
            in.position++;
            if (!in.consume('+')) {
                in.consume('-');
            }
            final int exponent = in.position;
            while (in.peek() >= '0' && in.peek() <= '9') {
                in.position++;
            }
            if (in.position == exponent) {
                throw in.error("digits expected in the exponent");
            }
        }
        return new String(in.bytes, from, in.position - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Skips any JSON value, nested at most 64 deep. */
    private void skipValue(final int depth) {
        if (depth > 64) {
            throw in.error("JSON nested too deep");
        }
        in.skipSpaces();
        final int c = in.peek();
        if (c == '"') {
            in.quoted(true, limits.maxLineBytes());
        } else if (c == '{' || c == '[') {
            final char close = c == '{' ? '}' : ']';
            in.position++;
            in.skipSpaces();
            if (in.consume(close)) {
                return;
            }
            do {
                in.skipSpaces();
                if (close == '}') {
                    in.quoted(true, limits.maxLineBytes());
                    in.skipSpaces();
                    in.expect(':');
                }
                skipValue(depth + 1);
                in.skipSpaces();
            } while (in.consume(','));
            in.expect(close);
        } else if (c == '-' || c >= '0' && c <= '9') {
            numberToken("number");
        } else if (!literal("true") && !literal("false") && !literal("null")) {
            throw in.error("expected a JSON value");
        }
    }

    private boolean literal(final String word) {
        if (in.end - in.position < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (in.bytes[in.position + i] != word.charAt(i)) {
                return false;
            }
        }
        in.position += word.length();
        return true;
    }
}
