package io.tidemark.promql.eval;

import io.tidemark.promql.ast.AggregateOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The aggregations that select input series rather than compute values: {@code topk}, {@code bottomk},
 * {@code limitk} and {@code limit_ratio}. Groups' members are listed once per query; each step then works in reused
 * {@code int} arrays (Prometheus' k-sized heap for topk/bottomk, input order for limitk, a per-series hash offset for
 * limit_ratio) and clears the presence of the series not chosen, so no step allocates.
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
        final SelectionHeap heap = op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK ? new SelectionHeap(n) : null;
        // chosenAt[s] == i: series s is kept at step i (each series is in one group, so the step identifies the pass).
        final int[] chosenAt = heap == null ? null : new int[n];
        if (chosenAt != null) {
            Arrays.fill(chosenAt, -1);
        }
        final boolean prometheus2 = ev.prometheus2();
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
                            selectByHeap(heap, input, i, op == AggregateOp.TOPK, k, prometheus2, instantOrder != null,
                                present, scratch, chosenAt, m);
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
     * Runs {@code members[0..m)} through Prometheus' k-sized heap in input order and rearranges them so that the
     * {@code k} kept come first (strongest first when {@code ordered}, for an instant result), then the others.
     */
    private static void selectByHeap(final SelectionHeap heap, final List<StepSeries> input, final int step,
                                     final boolean top, final int k, final boolean prometheus2, final boolean ordered,
                                     final int[] members, final int[] scratch, final int[] chosenAt, final int m) {
        heap.reset(top);
        for (int c = 0; c < m; c++) {
            heap.offer(members[c], input.get(members[c]).values[step], k, prometheus2);
        }
        if (ordered) {
            heap.sortForOutput();
        }
        for (int c = 0; c < k; c++) {
            scratch[c] = heap.id(c);
            chosenAt[scratch[c]] = step;
        }
        int rest = k;
        for (int c = 0; c < m; c++) {
            if (chosenAt[members[c]] != step) {
                scratch[rest++] = members[c];
            }
        }
        System.arraycopy(scratch, 0, members, 0, m);
    }
}
