package io.tidemark.promql.eval;

import io.tidemark.promql.ast.BinaryExpr;
import io.tidemark.promql.ast.BinaryOp;
import io.tidemark.promql.ast.VectorMatching;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary operators between scalars and vectors, with Prometheus' vector matching: signatures are computed once per
 * series, then each step pairs series through arrays indexed by signature ordinal.
 */
final class BinaryOperators {
    private BinaryOperators() {
    }

    static Value eval(final Evaluator ev, final BinaryExpr e) {
        final Value lhs = ev.eval(e.lhs());
        final Value rhs = ev.eval(e.rhs());
        final BinaryOp op = e.op();
        if (lhs instanceof Value.Scalar l && rhs instanceof Value.Scalar r) {
            final double[] out = new double[ev.steps];
            for (int i = 0; i < ev.steps; i++) {
                out[i] = scalarOp(op, l.values()[i], r.values()[i]);
            }
            return new Value.Scalar(out);
        }
        if (lhs instanceof Value.Vector l && rhs instanceof Value.Scalar r) {
            return vectorScalar(ev, op, l.series(), r.values(), false, e.returnBool());
        }
        if (lhs instanceof Value.Scalar l && rhs instanceof Value.Vector r) {
            return vectorScalar(ev, op, r.series(), l.values(), true, e.returnBool());
        }
        final List<StepSeries> left = ((Value.Vector) lhs).series();
        final List<StepSeries> right = ((Value.Vector) rhs).series();
        final VectorMatching matching = e.matching() == null ? VectorMatching.DEFAULT : e.matching();
        return switch (op) {
            case AND, UNLESS, OR -> setOperation(ev, op, left, right, matching);
            default -> vectorVector(ev, op, left, right, matching, e.returnBool());
        };
    }

    static double scalarOp(final BinaryOp op, final double l, final double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case MOD -> l % r;
            case POW -> Math.pow(l, r);
            case ATAN2 -> Math.atan2(l, r);
            case EQL -> l == r ? 1 : 0;
            case NEQ -> l != r ? 1 : 0;
            case GTR -> l > r ? 1 : 0;
            case LSS -> l < r ? 1 : 0;
            case GTE -> l >= r ? 1 : 0;
            case LTE -> l <= r ? 1 : 0;
            default -> throw QueryException.execution("operator \"" + op.text() + "\" not allowed for Scalar operations");
        };
    }

    /**
     * Whether an arithmetic result loses the metric name: always in Prometheus 3; in Prometheus 2 mode not for
     * {@code atan2}, which 2.x's {@code shouldDropMetricName} does not list. Comparisons keep it (unless {@code bool}).
     */
    private static boolean dropsMetricName(final Evaluator ev, final BinaryOp op) {
        return !op.isComparison() && !(op == BinaryOp.ATAN2 && ev.prometheus2());
    }

    private static boolean compare(final BinaryOp op, final double l, final double r) {
        return switch (op) {
            case EQL -> l == r;
            case NEQ -> l != r;
            case GTR -> l > r;
            case LSS -> l < r;
            case GTE -> l >= r;
            case LTE -> l <= r;
            default -> throw new IllegalStateException("op=" + op);
        };
    }

    private static Value vectorScalar(final Evaluator ev, final BinaryOp op, final List<StepSeries> series,
                                      final double[] scalar, final boolean swap, final boolean returnBool) {
        if (op.isNativeHistogramOnly()) {
            return new Value.Vector(new ArrayList<>());
        }
        final boolean comparison = op.isComparison();
        final boolean dropsName = dropsMetricName(ev, op);
        final List<StepSeries> out = new ArrayList<>(series.size());
        for (final StepSeries s : series) {
            final double[] v = s.values;
            final boolean[] p = s.present;
            for (int i = 0; i < v.length; i++) {
                if (!p[i]) {
                    continue;
                }
                final double l = swap ? scalar[i] : v[i];
                final double r = swap ? v[i] : scalar[i];
                if (comparison) {
                    final boolean keep = compare(op, l, r);
                    if (returnBool) {
                        v[i] = keep ? 1 : 0;
                    } else if (!keep) {
                        p[i] = false;
                    }
                } else {
                    v[i] = scalarOp(op, l, r);
                }
            }
            if (dropsName || returnBool) {
                s.dropName = true;
            }
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return new Value.Vector(out);
    }

    /** Ordinals of the matching signatures of both sides' series. */
    private static int[][] signatures(final List<StepSeries> left, final List<StepSeries> right,
                                      final VectorMatching matching, final Map<Integer, Labels> signatureLabels) {
        final Map<Labels, Integer> ordinals = new HashMap<>();
        final int[][] out = new int[2][];
        int side = 0;
        for (final List<StepSeries> list : List.of(left, right)) {
            final int[] sigs = new int[list.size()];
            for (int i = 0; i < sigs.length; i++) {
                final Labels sig = signature(list.get(i).labels, matching);
                Integer ord = ordinals.get(sig);
                if (ord == null) {
                    ord = ordinals.size();
                    ordinals.put(sig, ord);
                    signatureLabels.put(ord, sig);
                }
                sigs[i] = ord;
            }
            out[side++] = sigs;
        }
        return out;
    }

    static Labels signature(final Labels labels, final VectorMatching matching) {
        if (matching.on()) {
            return labels.keep(matching.matchingLabels());
        }
        final List<String> ignored = new ArrayList<>(matching.matchingLabels());
        ignored.add(Labels.NAME);
        return labels.without(ignored);
    }

    private static Value setOperation(final Evaluator ev, final BinaryOp op, final List<StepSeries> left,
                                      final List<StepSeries> right, final VectorMatching matching) {
        final Map<Integer, Labels> sigLabels = new HashMap<>();
        final int[][] sigs = signatures(left, right, matching, sigLabels);
        final boolean[] seen = new boolean[sigLabels.size()];
        final int steps = ev.steps;
        if (op == BinaryOp.OR) {
            for (int i = 0; i < steps; i++) {
                Arrays.fill(seen, false);
                for (int s = 0; s < left.size(); s++) {
                    if (left.get(s).present[i]) {
                        seen[sigs[0][s]] = true;
                    }
                }
                for (int s = 0; s < right.size(); s++) {
                    if (seen[sigs[1][s]]) {
                        right.get(s).present[i] = false;
                    }
                }
            }
            final List<StepSeries> out = new ArrayList<>(left);
            for (final StepSeries s : right) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
            return new Value.Vector(Functions.mergeSameLabels(out));
        }
        for (int i = 0; i < steps; i++) {
            Arrays.fill(seen, false);
            for (int s = 0; s < right.size(); s++) {
                if (right.get(s).present[i]) {
                    seen[sigs[1][s]] = true;
                }
            }
            for (int s = 0; s < left.size(); s++) {
                if (seen[sigs[0][s]] == (op == BinaryOp.UNLESS)) {
                    left.get(s).present[i] = false;
                }
            }
        }
        final List<StepSeries> out = new ArrayList<>();
        for (final StepSeries s : left) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return new Value.Vector(out);
    }

    private static Value vectorVector(final Evaluator ev, final BinaryOp op, final List<StepSeries> lhsIn,
                                      final List<StepSeries> rhsIn, final VectorMatching matching,
                                      final boolean returnBool) {
        if (op.isNativeHistogramOnly()) {
            return new Value.Vector(new ArrayList<>());
        }
        final VectorMatching.Cardinality card = matching.cardinality();
        final boolean swapped = card == VectorMatching.Cardinality.ONE_TO_MANY;
        // "many" is the side that may repeat a signature; "one" must be unique per signature at each step.
        final List<StepSeries> many = swapped ? rhsIn : lhsIn;
        final List<StepSeries> one = swapped ? lhsIn : rhsIn;
        final Map<Integer, Labels> sigLabels = new HashMap<>();
        final int[][] sigs = signatures(many, one, matching, sigLabels);
        final int[] manySig = sigs[0];
        final int[] oneSig = sigs[1];
        final int ordinals = sigLabels.size();
        final int[] oneAt = new int[ordinals];
        final int[] matchedAt = new int[ordinals];
        final boolean comparison = op.isComparison();
        final boolean dropNameNow = dropsMetricName(ev, op);
        final boolean oneToOne = card == VectorMatching.Cardinality.ONE_TO_ONE;
        // The series sets are fixed across steps, so each pair's output series is found once and remembered: by the
        // "many" series for one-to-one (its output labels depend on it alone), by the pair otherwise.
        final int steps = ev.steps;
        final Outputs outputs = new Outputs(steps, returnBool);
        final int[] targetOfMany = new int[many.size()];
        Arrays.fill(targetOfMany, -1);
        final LongIntHashMap targetOfPair = oneToOne ? null : new LongIntHashMap(many.size());
        for (int i = 0; i < steps; i++) {
            Arrays.fill(oneAt, -1);
            Arrays.fill(matchedAt, 0);
            for (int s = 0; s < one.size(); s++) {
                if (!one.get(s).present[i]) {
                    continue;
                }
                final int ord = oneSig[s];
                if (oneAt[ord] >= 0) {
                    throw duplicateSeries(one.get(s), one.get(oneAt[ord]), sigLabels.get(ord), swapped);
                }
                oneAt[ord] = s;
            }
            for (int s = 0; s < many.size(); s++) {
                final StepSeries m = many.get(s);
                if (!m.present[i]) {
                    continue;
                }
                final int ord = manySig[s];
                final int o = oneAt[ord];
                if (o < 0) {
                    continue;
                }
                final StepSeries partner = one.get(o);
                final double l = swapped ? partner.values[i] : m.values[i];
                final double r = swapped ? m.values[i] : partner.values[i];
                double value;
                boolean keep = true;
                if (comparison) {
                    keep = compare(op, l, r);
                    value = returnBool ? (keep ? 1 : 0) : l;
                } else {
                    value = scalarOp(op, l, r);
                }
                int target;
                if (oneToOne) {
                    target = targetOfMany[s];
                    if (target < 0) {
                        target = outputs.of(resultMetric(m.labels, partner.labels, matching, dropNameNow));
                        targetOfMany[s] = target;
                    }
                    if (matchedAt[ord] > 0) {
                        throw QueryException.execution(
                            "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
                    }
                    matchedAt[ord] = 1;
                } else {
                    final long pair = ((long) s << 32) | o;
                    target = targetOfPair.get(pair);
                    if (target == LongIntHashMap.MISSING) {
                        target = outputs.of(resultMetric(m.labels, partner.labels, matching, dropNameNow));
                        targetOfPair.put(pair, target);
                    }
                }
                if (outputs.writtenStep[target] == i) {
                    if (!oneToOne && outputs.writtenSig[target] == ord) {
                        throw QueryException.execution(
                            "multiple matches for labels: grouping labels must ensure unique matches");
                    }
                    throw QueryException.execution("vector cannot contain metrics with the same labelset");
                }
                outputs.writtenStep[target] = i;
                outputs.writtenSig[target] = ord;
                if (keep || returnBool) {
                    outputs.series.get(target).set(i, value);
                }
            }
        }
        final List<StepSeries> out = new ArrayList<>(outputs.series.size());
        for (final StepSeries s : outputs.series) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return new Value.Vector(out);
    }

    private static QueryException duplicateSeries(final StepSeries first, final StepSeries second,
                                                  final Labels signature, final boolean swapped) {
        String a = first.labels.toString();
        String b = second.labels.toString();
        if (a.compareTo(b) > 0) {
            final String t = a;
            a = b;
            b = t;
        }
        return QueryException.execution("found duplicate series for the match group " + signature + " on the "
            + (swapped ? "left" : "right") + " hand-side of the operation: [" + a + ", " + b
            + "];many-to-many matching not allowed: matching labels must be unique on one side");
    }

    /**
     * The output series of a vector-vector operation in order of creation, one per distinct label set, with the step
     * and signature each was last written at (to detect two writes in one step).
     */
    private static final class Outputs {
        final List<StepSeries> series = new ArrayList<>();
        private final Map<Labels, Integer> index = new HashMap<>();
        private final int steps;
        private final boolean returnBool;
        int[] writtenStep = new int[16];
        int[] writtenSig = new int[16];

        Outputs(final int steps, final boolean returnBool) {
            this.steps = steps;
            this.returnBool = returnBool;
        }

        /** The index of the output series with {@code labels}, created on first use. */
        int of(final Labels labels) {
            final Integer existing = index.get(labels);
            if (existing != null) {
                return existing;
            }
            final int at = series.size();
            series.add(new StepSeries(labels, steps, returnBool));
            index.put(labels, at);
            if (at == writtenStep.length) {
                writtenStep = Arrays.copyOf(writtenStep, at * 2);
                writtenSig = Arrays.copyOf(writtenSig, at * 2);
            }
            writtenStep[at] = -1;
            return at;
        }
    }

    private static Labels resultMetric(final Labels many, final Labels one, final VectorMatching matching,
                                       final boolean dropName) {
        Labels out = dropName ? many.withoutMetadata() : many;
        if (matching.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
            out = matching.on() ? out.keep(matching.matchingLabels()) : out.without(matching.matchingLabels());
        }
        for (final String name : matching.include()) {
            out = out.with(name, one.get(name));
        }
        return out;
    }
}
