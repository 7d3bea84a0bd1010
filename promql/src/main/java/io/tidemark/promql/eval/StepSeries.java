package io.tidemark.promql.eval;

/**
 * One series of an instant-vector result across the steps of an evaluation: {@code values[i]} is its value at step
 * {@code i} when {@code present[i]}. {@code dropName} marks a series whose metric name goes at the end of the query
 * (Prometheus 3's delayed name removal).
 */
final class StepSeries {
    Labels labels;
    final double[] values;
    final boolean[] present;
    boolean dropName;

    StepSeries(final Labels labels, final int steps, final boolean dropName) {
        this.labels = labels;
        this.values = new double[steps];
        this.present = new boolean[steps];
        this.dropName = dropName;
    }

    void set(final int step, final double value) {
        values[step] = value;
        present[step] = true;
    }

    boolean isEmpty() {
        for (final boolean p : present) {
            if (p) {
                return false;
            }
        }
        return true;
    }

    int count() {
        int n = 0;
        for (final boolean p : present) {
            if (p) {
                n++;
            }
        }
        return n;
    }
}
