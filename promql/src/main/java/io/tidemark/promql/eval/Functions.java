package io.tidemark.promql.eval;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.promql.ast.Call;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.MatrixSelector;
import io.tidemark.promql.ast.ParenExpr;
import io.tidemark.promql.ast.StringLiteral;
import io.tidemark.promql.ast.ValueType;
import io.tidemark.promql.ast.VectorSelector;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Function calls: dispatch to range functions ({@link RangeFunctions}) and the instant-vector functions here. */
final class Functions {
    private Functions() {
    }

    static Expr unwrap(final Expr e) {
        return e instanceof ParenExpr p ? unwrap(p.expr()) : e;
    }

    static Value eval(final Evaluator ev, final Call call) {
        final String name = call.function().name();
        final List<Expr> args = call.args();
        if (call.function().nativeHistogramOnly()) {
            ev.eval(args.get(0));
            return new Value.Vector(new ArrayList<>());
        }
        for (final Expr arg : args) {
            if (arg.type() == ValueType.MATRIX) {
                return RangeFunctions.eval(ev, call);
            }
        }
        return switch (name) {
            case "time" -> {
                final double[] out = new double[ev.steps];
                for (int i = 0; i < ev.steps; i++) {
                    out[i] = ev.time(i) / 1000.0;
                }
                yield new Value.Scalar(out);
            }
            case "pi" -> ev.scalar(Math.PI);
            case "step" -> ev.scalar(ev.ctx.queryStart == ev.ctx.queryEnd ? 0 : ev.interval / 1000.0);
            case "range" -> ev.scalar((ev.ctx.queryEnd - ev.ctx.queryStart) / 1000.0);
            case "start" -> ev.scalar(ev.ctx.queryStart / 1000.0);
            case "end" -> ev.scalar(ev.ctx.queryEnd / 1000.0);
            case "min_of", "max_of" -> {
                final double[] a = ev.evalScalar(args.get(0));
                final double[] b = ev.evalScalar(args.get(1));
                final double[] out = new double[ev.steps];
                for (int i = 0; i < ev.steps; i++) {
                    out[i] = name.equals("min_of") ? Math.min(a[i], b[i]) : Math.max(a[i], b[i]);
                }
                yield new Value.Scalar(out);
            }
            case "vector" -> {
                final double[] v = ev.evalScalar(args.get(0));
                final StepSeries s = new StepSeries(Labels.EMPTY, ev.steps, false);
                for (int i = 0; i < ev.steps; i++) {
                    s.set(i, v[i]);
                }
                yield new Value.Vector(new ArrayList<>(List.of(s)));
            }
            case "scalar" -> scalar(ev, ev.evalVector(args.get(0)));
            case "timestamp" -> timestamp(ev, args.get(0));
            case "absent" -> absent(ev, args.get(0), ev.evalVector(args.get(0)));
            case "label_replace" -> labelReplace(ev, call);
            case "label_join" -> labelJoin(ev, call);
            case "sort", "sort_desc", "sort_by_label", "sort_by_label_desc" -> {
                if (ev.start != ev.end) {
                    ev.ctx.warn("sort is ineffective for range queries since results are always ordered by labels",
                        call);
                }
                yield sort(ev, name, call);
            }
            case "histogram_quantile" -> ClassicHistogramQuantile.eval(ev, call);
            case "clamp", "clamp_min", "clamp_max" -> clamp(ev, name, args);
            case "round" -> {
                final List<StepSeries> in = ev.evalVector(args.get(0));
                final double[] to = args.size() > 1 ? ev.evalScalar(args.get(1)) : ev.scalar(1).values();
                for (final StepSeries s : in) {
                    for (int i = 0; i < s.values.length; i++) {
                        final double inverse = 1.0 / to[i];
                        s.values[i] = Math.floor(s.values[i] * inverse + 0.5) / inverse;
                    }
                    s.dropName = true;
                }
                yield new Value.Vector(in);
            }
            case "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year" ->
                date(ev, name, args);
            default -> simple(ev, name, ev.evalVector(args.get(0)));
        };
    }

    private static Value simple(final Evaluator ev, final String name, final List<StepSeries> in) {
        for (final StepSeries s : in) {
            final double[] v = s.values;
            for (int i = 0; i < v.length; i++) {
                if (s.present[i]) {
                    v[i] = apply(name, v[i]);
                }
            }
            s.dropName = true;
        }
        return new Value.Vector(in);
    }

    private static double apply(final String name, final double x) {
        return switch (name) {
            case "abs" -> Math.abs(x);
            case "ceil" -> Math.ceil(x);
            case "floor" -> Math.floor(x);
            case "exp" -> Math.exp(x);
            case "sqrt" -> Math.sqrt(x);
            case "ln" -> Math.log(x);
            case "log2" -> Math.log(x) / Math.log(2);
            case "log10" -> Math.log10(x);
            case "sin" -> Math.sin(x);
            case "cos" -> Math.cos(x);
            case "tan" -> Math.tan(x);
            case "asin" -> Math.asin(x);
            case "acos" -> Math.acos(x);
            case "atan" -> Math.atan(x);
            case "sinh" -> Math.sinh(x);
            case "cosh" -> Math.cosh(x);
            case "tanh" -> Math.tanh(x);
            case "asinh" -> Double.isInfinite(x) ? x : Math.log(x + Math.sqrt(x * x + 1));
            case "acosh" -> Math.log(x + Math.sqrt(x * x - 1));
            case "atanh" -> 0.5 * Math.log((1 + x) / (1 - x));
            case "deg" -> x * 180 / Math.PI;
            case "rad" -> x * Math.PI / 180;
            case "sgn" -> x < 0 ? -1 : x > 0 ? 1 : x;
            default -> throw QueryException.execution("function " + name + " is not supported");
        };
    }

    private static Value scalar(final Evaluator ev, final List<StepSeries> in) {
        final double[] out = new double[ev.steps];
        for (int i = 0; i < ev.steps; i++) {
            int found = 0;
            double value = Double.NaN;
            for (final StepSeries s : in) {
                if (s.present[i]) {
                    found++;
                    value = s.values[i];
                }
            }
            out[i] = found == 1 ? value : Double.NaN;
        }
        return new Value.Scalar(out);
    }

    private static Value timestamp(final Evaluator ev, final Expr arg) {
        final Expr inner = unwrap(arg);
        final List<StepSeries> in;
        if (inner instanceof VectorSelector vs) {
            in = ev.selectVector(vs, true).series();
        } else {
            in = ev.evalVector(arg);
            for (final StepSeries s : in) {
                for (int i = 0; i < ev.steps; i++) {
                    s.values[i] = ev.time(i) / 1000.0;
                }
            }
        }
        for (final StepSeries s : in) {
            s.dropName = true;
        }
        return new Value.Vector(in);
    }

    static Labels absentLabels(final Expr arg) {
        final Expr inner = unwrap(arg);
        final List<LabelMatcher> matchers;
        if (inner instanceof VectorSelector vs) {
            matchers = vs.matchers();
        } else if (inner instanceof MatrixSelector ms) {
            matchers = ms.selector().matchers();
        } else {
            return Labels.EMPTY;
        }
        final Map<String, String> out = new LinkedHashMap<>();
        final Set<String> seen = new HashSet<>();
        for (final LabelMatcher m : matchers) {
            if (m.name().equals(Labels.NAME)) {
                continue;
            }
            if (m.type() == LabelMatcher.Type.EQUAL && !seen.contains(m.name())) {
                out.put(m.name(), m.value());
                seen.add(m.name());
            } else {
                out.remove(m.name());
            }
        }
        final List<String> pairs = new ArrayList<>();
        out.forEach((k, v) -> {
            pairs.add(k);
            pairs.add(v);
        });
        return Labels.of(pairs.toArray(new String[0]));
    }

    private static Value absent(final Evaluator ev, final Expr arg, final List<StepSeries> in) {
        final StepSeries out = new StepSeries(absentLabels(arg), ev.steps, true);
        for (int i = 0; i < ev.steps; i++) {
            boolean any = false;
            for (final StepSeries s : in) {
                any |= s.present[i];
            }
            if (!any) {
                out.set(i, 1);
            }
        }
        final List<StepSeries> result = new ArrayList<>();
        if (!out.isEmpty()) {
            result.add(out);
        }
        return new Value.Vector(result);
    }

    private static String stringArg(final Expr e) {
        return ((StringLiteral) unwrap(e)).value();
    }

    private static Value labelReplace(final Evaluator ev, final Call call) {
        final String dst = stringArg(call.args().get(1));
        final String replacement = stringArg(call.args().get(2));
        final String src = stringArg(call.args().get(3));
        final String regex = stringArg(call.args().get(4));
        final Pattern pattern;
        try {
            pattern = Pattern.compile("^(?s:" + regex + ")$");
        } catch (final PatternSyntaxException e) {
            throw QueryException.execution("invalid regular expression in label_replace(): " + regex);
        }
        if (!Labels.isValidName(dst)) {
            throw QueryException.execution("invalid destination label name in label_replace(): " + dst);
        }
        final List<StepSeries> in = ev.evalVector(call.args().get(0));
        for (final StepSeries s : in) {
            final Matcher m = pattern.matcher(s.labels.get(src));
            if (m.matches()) {
                s.labels = s.labels.with(dst, expand(replacement, m));
                if (dst.equals(Labels.NAME)) {
                    s.dropName = false;
                }
            }
        }
        return new Value.Vector(mergeSameLabels(in));
    }

    /** Go's {@code Regexp.Expand}: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$}. */
    static String expand(final String template, final Matcher m) {
        final StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            final char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                out.append(c);
                i++;
                continue;
            }
            if (template.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int next;
            if (template.charAt(i + 1) == '{') {
                final int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                next = close + 1;
            } else {
                int j = i + 1;
                while (j < template.length() && (Character.isLetterOrDigit(template.charAt(j))
                    || template.charAt(j) == '_')) {
                    j++;
                }
                name = template.substring(i + 1, j);
                next = j;
            }
            if (name.isEmpty()) {
                out.append(c);
                i++;
                continue;
            }
            String value = "";
            try {
                if (name.chars().allMatch(Character::isDigit)) {
                    final int group = Integer.parseInt(name);
                    if (group <= m.groupCount() && m.group(group) != null) {
                        value = m.group(group);
                    }
                } else {
                    final String g = m.group(name);
                    value = g == null ? "" : g;
                }
            } catch (final IllegalArgumentException noSuchGroup) {
                value = "";
            }
            out.append(value);
            i = next;
        }
        return out.toString();
    }

    private static Value labelJoin(final Evaluator ev, final Call call) {
        final String dst = stringArg(call.args().get(1));
        final String separator = stringArg(call.args().get(2));
        final List<String> sources = new ArrayList<>();
        for (int i = 3; i < call.args().size(); i++) {
            final String source = stringArg(call.args().get(i));
            if (!Labels.isValidName(source)) {
                throw QueryException.execution("invalid source label name in label_join(): " + source);
            }
            sources.add(source);
        }
        if (!Labels.isValidName(dst)) {
            throw QueryException.execution("invalid destination label name in label_join(): " + dst);
        }
        final List<StepSeries> in = ev.evalVector(call.args().get(0));
        for (final StepSeries s : in) {
            final StringBuilder joined = new StringBuilder();
            for (int i = 0; i < sources.size(); i++) {
                if (i > 0) {
                    joined.append(separator);
                }
                joined.append(s.labels.get(sources.get(i)));
            }
            s.labels = s.labels.with(dst, joined.toString());
            if (dst.equals(Labels.NAME)) {
                s.dropName = false;
            }
        }
        return new Value.Vector(mergeSameLabels(in));
    }

    private static Value sort(final Evaluator ev, final String name, final Call call) {
        final List<StepSeries> in = ev.evalVector(call.args().get(0));
        if (ev.steps != 1) {
            return new Value.Vector(in);
        }
        final List<StepSeries> sorted = new ArrayList<>(in);
        switch (name) {
            case "sort" -> sorted.sort((a, b) -> compareValues(a.values[0], b.values[0]));
            case "sort_desc" -> sorted.sort((a, b) -> compareValues(b.values[0], a.values[0]));
            default -> {
                final List<String> labels = new ArrayList<>();
                for (int i = 1; i < call.args().size(); i++) {
                    labels.add(stringArg(call.args().get(i)));
                }
                final boolean desc = name.endsWith("_desc");
                sorted.sort((a, b) -> {
                    for (final String l : labels) {
                        final int c = NaturalOrder.compare(a.labels.get(l), b.labels.get(l));
                        if (c != 0) {
                            return desc ? -c : c;
                        }
                    }
                    return desc ? b.labels.compareTo(a.labels) : a.labels.compareTo(b.labels);
                });
            }
        }
        return new Value.Vector(sorted);
    }

    /** Ascending with NaN last, as Prometheus' sort. */
    private static int compareValues(final double a, final double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
        }
        return Double.compare(a, b);
    }

    private static Value clamp(final Evaluator ev, final String name, final List<Expr> args) {
        final List<StepSeries> in = ev.evalVector(args.get(0));
        final double[] min;
        final double[] max;
        switch (name) {
            case "clamp" -> {
                min = ev.evalScalar(args.get(1));
                max = ev.evalScalar(args.get(2));
            }
            case "clamp_min" -> {
                min = ev.evalScalar(args.get(1));
                max = ev.scalar(Double.POSITIVE_INFINITY).values();
            }
            default -> {
                min = ev.scalar(Double.NEGATIVE_INFINITY).values();
                max = ev.evalScalar(args.get(1));
            }
        }
        final List<StepSeries> out = new ArrayList<>();
        for (final StepSeries s : in) {
            for (int i = 0; i < s.values.length; i++) {
                if (max[i] < min[i]) {
                    s.present[i] = false;
                } else {
                    s.values[i] = Math.max(min[i], Math.min(max[i], s.values[i]));
                }
            }
            s.dropName = true;
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return new Value.Vector(out);
    }

    private static Value date(final Evaluator ev, final String name, final List<Expr> args) {
        final List<StepSeries> in;
        if (args.isEmpty()) {
            final StepSeries now = new StepSeries(Labels.EMPTY, ev.steps, false);
            for (int i = 0; i < ev.steps; i++) {
                now.set(i, ev.time(i) / 1000.0);
            }
            in = new ArrayList<>(List.of(now));
        } else {
            in = ev.evalVector(args.get(0));
        }
        for (final StepSeries s : in) {
            for (int i = 0; i < s.values.length; i++) {
                if (!s.present[i]) {
                    continue;
                }
                final double v = s.values[i];
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    s.values[i] = Double.NaN;
                    continue;
                }
                final ZonedDateTime t = Instant.ofEpochSecond((long) v).atZone(ZoneOffset.UTC);
                s.values[i] = switch (name) {
                    case "day_of_month" -> t.getDayOfMonth();
                    case "day_of_week" -> t.getDayOfWeek().getValue() % 7;
                    case "day_of_year" -> t.getDayOfYear();
                    case "days_in_month" -> t.toLocalDate().lengthOfMonth();
                    case "hour" -> t.getHour();
                    case "minute" -> t.getMinute();
                    case "month" -> t.getMonthValue();
                    default -> t.getYear();
                };
            }
            s.dropName = true;
        }
        return new Value.Vector(in);
    }

    /**
     * Merges series with equal labels into one; two of them present at the same step is Prometheus' error
     * "vector cannot contain metrics with the same labelset".
     */
    static List<StepSeries> mergeSameLabels(final List<StepSeries> in) {
        final Map<Labels, StepSeries> byLabels = new LinkedHashMap<>();
        boolean merged = false;
        for (final StepSeries s : in) {
            final StepSeries first = byLabels.putIfAbsent(s.labels, s);
            if (first == null) {
                continue;
            }
            merged = true;
            for (int i = 0; i < s.values.length; i++) {
                if (s.present[i]) {
                    if (first.present[i]) {
                        throw QueryException.execution("vector cannot contain metrics with the same labelset");
                    }
                    first.set(i, s.values[i]);
                }
            }
        }
        return merged ? new ArrayList<>(byLabels.values()) : in;
    }
}
