package io.tidemark.promql.test;

import io.tidemark.promql.eval.Labels;
import io.tidemark.promql.eval.QueryResult;
import io.tidemark.promql.parser.PromQlParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code eval} command of a promqltest file with its expectations. */
final class EvalCase {
    private static final Pattern INSTANT =
        Pattern.compile("^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
    private static final Pattern RANGE =
        Pattern.compile("^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+?)\\s+(.+)$");
    private static final Pattern EXPECT =
        Pattern.compile("^expect\\s+(ordered|fail|warn|no_warn|info|no_info)(?:\\s+(regex|msg):(.+))?$");
    private static final Pattern EXPECT_RANGE =
        Pattern.compile("^expect range vector\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+)$");

    boolean range;
    long start;
    long end;
    long step;
    /** Timestamp of the first expected point and distance between points of an expected matrix. */
    long expectStart;
    long expectStep;
    boolean rangeVectorExpected;
    String expr;
    boolean fail;
    boolean ordered;
    /** {@code eval_warn}/{@code eval_info}: at least one annotation of the kind. */
    boolean warn;
    boolean info;
    /** {@code expect warn}/{@code expect info} lines, each a pattern every one of which some annotation must match. */
    final List<Pattern> expectedWarnings = new ArrayList<>();
    final List<Pattern> expectedInfos = new ArrayList<>();
    boolean noWarn;
    boolean noInfo;
    String failMessage;
    Pattern failRegex;
    boolean expectScalar;
    double scalar;
    String expectedString;
    boolean excludeFromRange;
    boolean histogramExpected;
    final Map<Labels, List<Double>> expected = new LinkedHashMap<>();
    final Map<Labels, Integer> positions = new HashMap<>();

    static EvalCase parse(final String line, final List<String> body) {
        final EvalCase c = new EvalCase();
        final Matcher instant = INSTANT.matcher(line);
        final Matcher range = RANGE.matcher(line);
        final String mod;
        if (instant.matches()) {
            mod = instant.group(1);
            c.start = instant.group(2) == null ? 0 : millis(instant.group(2));
            c.end = c.start;
            c.expr = instant.group(3);
        } else if (range.matches()) {
            c.range = true;
            mod = range.group(1);
            c.start = millis(range.group(2));
            c.end = millis(range.group(3));
            c.step = millis(range.group(4));
            c.expr = range.group(5);
        } else {
            throw new IllegalArgumentException("bad eval line: " + line);
        }
        if (mod != null) {
            switch (mod) {
                case "fail" -> c.fail = true;
                case "ordered" -> c.ordered = true;
                case "warn" -> c.warn = true;
                default -> c.info = true;
            }
        }
        int position = 0;
        for (final String def : body) {
            if (c.fail && def.startsWith("expected_fail_message")) {
                c.failMessage = def.substring("expected_fail_message".length()).strip();
                continue;
            }
            if (c.fail && def.startsWith("expected_fail_regexp")) {
                c.failRegex = Pattern.compile(def.substring("expected_fail_regexp".length()).strip());
                continue;
            }
            final Matcher er = EXPECT_RANGE.matcher(def);
            if (er.matches()) {
                // The eval time stays; the range says where the points of the returned matrix lie.
                c.expectStart = millis(er.group(1));
                c.expectStep = millis(er.group(3));
                c.rangeVectorExpected = true;
                c.excludeFromRange = true;
                continue;
            }
            if (def.startsWith("expect string")) {
                final String s = def.substring("expect string".length()).strip();
                c.expectedString = unquote(s);
                c.excludeFromRange = true;
                continue;
            }
            if (def.split(" ")[0].equals("expect")) {
                final Matcher m = EXPECT.matcher(def);
                if (m.matches()) {
                    switch (m.group(1)) {
                        case "fail" -> {
                            c.fail = true;
                            if ("msg".equals(m.group(2))) {
                                c.failMessage = m.group(3).strip();
                            } else if ("regex".equals(m.group(2))) {
                                c.failRegex = Pattern.compile(m.group(3).strip());
                            }
                        }
                        case "ordered" -> c.ordered = true;
                        case "warn" -> c.expectedWarnings.add(expectation(m));
                        case "info" -> c.expectedInfos.add(expectation(m));
                        case "no_warn" -> c.noWarn = true;
                        default -> c.noInfo = true;
                    }
                }
                continue;
            }
            if (def.contains("{{")) {
                c.histogramExpected = true;
                continue;
            }
            try {
                c.scalar = SeriesDescription.number(def.strip());
                c.expectScalar = true;
                continue;
            } catch (final NumberFormatException notANumber) {
                // a series line
            }
            final int cut = SeriesDescription.metricEnd(def);
            final Labels labels = PromQlTestRunner.labelsOf(PromQlParser.parseSeriesSelector(def.substring(0, cut)));
            c.expected.put(labels, SeriesDescription.values(def.substring(cut).strip()));
            c.positions.put(labels, ++position);
        }
        if (!c.rangeVectorExpected) {
            c.expectStart = c.start;
            c.expectStep = c.step;
        }
        return c;
    }

    private static String unquote(final String s) {
        if (s.length() >= 2 && (s.startsWith("\"") || s.startsWith("`"))) {
            return s.substring(1, s.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return s;
    }

    static long millis(final String duration) {
        return PromQlParser.parseDuration(duration.strip()).toMillis();
    }

    /** An {@code expect warn|info} line as a pattern: the exact message, a regex (found anywhere), or anything. */
    private static Pattern expectation(final Matcher m) {
        if ("msg".equals(m.group(2))) {
            return Pattern.compile("^" + Pattern.quote(m.group(3).strip()) + "$");
        }
        if ("regex".equals(m.group(2))) {
            return Pattern.compile(m.group(3).strip());
        }
        return Pattern.compile("");
    }

    /** Prometheus' {@code checkAnnotations}: why the annotations do not meet the expectations, or null. */
    String checkAnnotations(final List<String> warnings, final List<String> infos) {
        if (warn && warnings.isEmpty()) {
            return "expected warnings but got none";
        }
        if (info && infos.isEmpty()) {
            return "expected info annotations but got none";
        }
        final String w = checkKind("warn", expectedWarnings, warnings);
        if (w != null) {
            return w;
        }
        final String i = checkKind("info", expectedInfos, infos);
        if (i != null) {
            return i;
        }
        if (noWarn && !warnings.isEmpty()) {
            return "unexpected warning annotations " + warnings;
        }
        if (noInfo && !infos.isEmpty()) {
            return "unexpected info annotations " + infos;
        }
        return null;
    }

    private static String checkKind(final String kind, final List<Pattern> expected, final List<String> actual) {
        if (expected.isEmpty()) {
            return null;
        }
        if (actual.isEmpty()) {
            return "expected " + kind + " annotations but none were found";
        }
        for (final Pattern e : expected) {
            if (actual.stream().noneMatch(a -> e.matcher(a).find())) {
                return "expected " + kind + " annotation matching " + e + " but found " + actual;
            }
        }
        for (final String a : actual) {
            if (expected.stream().noneMatch(e -> e.matcher(a).find())) {
                return "unexpected " + kind + " annotation \"" + a + "\"";
            }
        }
        return null;
    }

    String skipReason(final DroppedSeries dropped, final String file) {
        if (histogramExpected) {
            return "expects native-histogram results";
        }
        final String selected = dropped.reasonSelected(expr);
        if (selected != null) {
            return selected;
        }
        if (expr.matches(".*\\b(histogram_(count|sum|avg|fraction|stddev|stdvar|quantiles)|start_timestamp)\\s*\\(.*")) {
            return "native-histogram functions";
        }
        if (expr.matches(".*\\binfo\\s*\\(.*")) {
            return "info() (experimental, not implemented)";
        }
        if (expr.matches(".*\\b(anchored|smoothed)\\b.*")) {
            return "extended range selectors (experimental, off)";
        }
        if (expr.matches(".*\\b(fill|fill_left|fill_right)\\s*\\(.*")) {
            return "binop fill modifiers (experimental, off)";
        }
        if (file.equals("type_and_unit.test")) {
            return "type and unit labels (experimental, off)";
        }
        return null;
    }

    String checkFailure(final String message) {
        if (failMessage != null && !failMessage.equals(message)) {
            return "expected error \"" + failMessage + "\", got \"" + message + "\"";
        }
        if (failRegex != null && !failRegex.matcher(message).find()) {
            return "expected error matching " + failRegex + ", got \"" + message + "\"";
        }
        return null;
    }

    String compare(final QueryResult result) {
        switch (result) {
            case QueryResult.Matrix m -> {
                if (ordered) {
                    return "expected ordered result, but query returned a matrix";
                }
                if (expectScalar) {
                    return "expected scalar result, but got matrix";
                }
                final java.util.Set<Labels> seen = new java.util.HashSet<>();
                for (final QueryResult.Series s : m.series()) {
                    final List<Double> exp = expected.get(s.labels());
                    if (exp == null) {
                        return "unexpected metric " + s.labels() + " in result";
                    }
                    seen.add(s.labels());
                    final List<long[]> times = new ArrayList<>();
                    final List<Double> values = new ArrayList<>();
                    for (int i = 0; i < exp.size(); i++) {
                        if (exp.get(i) != null) {
                            times.add(new long[] {expectStart + i * expectStep});
                            values.add(exp.get(i));
                        }
                    }
                    if (values.size() != s.values().length) {
                        return "expected " + values.size() + " points for " + s.labels() + ", got "
                            + s.values().length + " " + java.util.Arrays.toString(s.values()) + " at "
                            + java.util.Arrays.toString(s.timestamps());
                    }
                    for (int i = 0; i < values.size(); i++) {
                        if (times.get(i)[0] != s.timestamps()[i]) {
                            return "expected point " + i + " of " + s.labels() + " at " + times.get(i)[0] + ", got "
                                + s.timestamps()[i];
                        }
                        if (!PromQlTestRunner.almostEqual(values.get(i), s.values()[i])) {
                            return "expected " + values.get(i) + " at t=" + s.timestamps()[i] + " for " + s.labels()
                                + ", got " + s.values()[i];
                        }
                    }
                }
                for (final Labels l : expected.keySet()) {
                    if (!seen.contains(l)) {
                        return "expected metric " + l + " not found";
                    }
                }
                return null;
            }
            case QueryResult.Vector v -> {
                if (expectScalar) {
                    return "expected scalar result, but got vector";
                }
                final java.util.Set<Labels> seen = new java.util.HashSet<>();
                int pos = 0;
                for (final QueryResult.Sample s : v.samples()) {
                    pos++;
                    final List<Double> exp = expected.get(s.labels());
                    if (exp == null) {
                        return "unexpected metric " + s.labels() + " in result, value " + s.value();
                    }
                    if (ordered && positions.get(s.labels()) != pos) {
                        return "expected " + s.labels() + " at position " + positions.get(s.labels()) + ", was at "
                            + pos;
                    }
                    if (exp.isEmpty() || exp.get(0) == null || !PromQlTestRunner.almostEqual(exp.get(0), s.value())) {
                        return "expected " + exp + " for " + s.labels() + ", got " + s.value();
                    }
                    seen.add(s.labels());
                }
                for (final Labels l : expected.keySet()) {
                    if (!seen.contains(l)) {
                        return "expected metric " + l + " not found";
                    }
                }
                return null;
            }
            case QueryResult.Scalar s -> {
                if (!expectScalar) {
                    return "expected vector or matrix result, but got scalar " + s.value();
                }
                return PromQlTestRunner.almostEqual(scalar, s.value()) ? null
                    : "expected scalar " + scalar + ", got " + s.value();
            }
            case QueryResult.Str s -> {
                return s.value().equals(expectedString) ? null
                    : "expected string \"" + expectedString + "\", got \"" + s.value() + "\"";
            }
        }
    }
}
