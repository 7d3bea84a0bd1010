package io.tidemark.promql.eval;

import io.tidemark.promql.ast.AggregateOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The aggregations that select input series rather than compute values: {@code topk}, {@code bottomk},
 * {@code limitk} and {@code limit_ratio}. Groups' members are listed once per query; each step then works in reused
 * {@code int} arrays (a stable merge sort by value for topk/bottomk, input order for limitk, a per-series hash offset
 * for limit_ratio) and clears the presence of the series not chosen, so no step allocates.
 */
final class SeriesSelection {
    private SeriesSelection() {
    }

    static Value eval(final Evaluator ev, final AggregateOp op, final double[] param, final List<StepSeries> input,
                      final int[] groupOf, final int groups) {
        final int steps = ev.steps;
        final int n = input.size();
        // Members of each group in input order, flattened: group g is members[groupStart[g] .. groupStart[g + 1]).
        final int[] groupStart = new int[groups + 1];
        for (int s = 0; s < n; s++) {
            groupStart[groupOf[s] + 1]++;
        }
        for (int g = 0; g < groups; g++) {
            groupStart[g + 1] += groupStart[g];
        }
        final int[] members = new int[n];
        final int[] fill = groupStart.clone();
        for (int s = 0; s < n; s++) {
            members[fill[groupOf[s]]++] = s;
        }
        final double[] offsets = op == AggregateOp.LIMIT_RATIO ? new double[n] : null;
        if (offsets != null) {
            for (int s = 0; s < n; s++) {
                offsets[s] = LabelsHash.sampleOffset(input.get(s).labels);
            }
        }
        final int[] present = new int[n];
        final int[] scratch = new int[n];
        final List<StepSeries> instantOrder = steps == 1 ? new ArrayList<>() : null;
        for (int i = 0; i < steps; i++) {
            ev.ctx.check();
            final double p = param[i];
            for (int g = 0; g < groups; g++) {
                int m = 0;
                for (int at = groupStart[g]; at < groupStart[g + 1]; at++) {
                    if (input.get(members[at]).present[i]) {
                        present[m++] = members[at];
                    }
                }
                if (m == 0) {
                    continue;
                }
                final int chosen = switch (op) {
                    case TOPK, BOTTOMK -> {
                        final int k = (int) Math.min(Math.max((long) p, 0), m);
                        if (k > 0) {
                            sortByValue(input, i, op == AggregateOp.TOPK, present, scratch, m);
                        }
                        yield k;
                    }
                    case LIMITK -> (int) Math.min(Math.max((long) p, 0), m);
                    default -> keepRatio(offsets, Math.max(-1, Math.min(1, p)), present, scratch, m);
                };
                for (int c = chosen; c < m; c++) {
                    input.get(present[c]).present[i] = false;
                }
                if (instantOrder != null) {
                    for (int c = 0; c < chosen; c++) {
                        instantOrder.add(input.get(present[c]));
                    }
                }
            }
        }
        if (instantOrder != null) {
            return new Value.Vector(instantOrder);
        }
        final List<StepSeries> out = new ArrayList<>();
        for (final StepSeries series : input) {
            if (!series.isEmpty()) {
                out.add(series);
            }
        }
        return new Value.Vector(out);
    }

    /**
     * Moves the members whose hash offset falls within the ratio (below it, or from {@code 1 + ratio} up for a
     * negative one, as Prometheus' {@code AddRatioSampleWithOffset}) to the front, in input order; returns how many.
     */
    private static int keepRatio(final double[] offsets, final double ratio, final int[] members, final int[] scratch,
                                 final int m) {
        int kept = 0;
        int dropped = 0;
        for (int c = 0; c < m; c++) {
            final double offset = offsets[members[c]];
            if (ratio >= 0 ? offset < ratio : offset >= 1 + ratio) {
                members[kept++] = members[c];
            } else {
                scratch[dropped++] = members[c];
            }
        }
        System.arraycopy(scratch, 0, members, kept, dropped);
        return kept;
    }

    /**
     * Sorts {@code members[0..m)} by their value at {@code step}, largest first for topk and smallest first for bottomk,
     * NaN last either way; stable, so among equal values the earlier input comes first, which picks the same series
     * as Prometheus' heap (a later equal value never displaces an earlier one).
     */
    private static void sortByValue(final List<StepSeries> input, final int step, final boolean top,
                                    final int[] members, final int[] scratch, final int m) {
        for (int width = 1; width < m; width <<= 1) {
            for (int lo = 0; lo < m - width; lo += width << 1) {
                final int mid = lo + width;
                final int hi = Math.min(lo + (width << 1), m);
                System.arraycopy(members, lo, scratch, lo, hi - lo);
                int a = lo;
                int b = mid;
                int out = lo;
                while (a < mid && b < hi) {
                    if (before(input.get(scratch[b]).values[step], input.get(scratch[a]).values[step], top)) {
                        members[out++] = scratch[b++];
                    } else {
                        members[out++] = scratch[a++];
                    }
                }
                while (a < mid) {
                    members[out++] = scratch[a++];
                }
                while (b < hi) {
                    members[out++] = scratch[b++];
                }
            }
        }
    }

    /** True if {@code x} strictly precedes {@code y}: larger (topk) or smaller (bottomk), NaN after any number. */
    private static boolean before(final double x, final double y, final boolean top) {
        if (Double.isNaN(x)) {
            return false;
        }
        if (Double.isNaN(y)) {
            return true;
        }
        return top ? x > y : x < y;
    }
}
