package io.tidemark.promql.eval;

import java.util.List;

/** An evaluated expression across the steps of one evaluation. */
sealed interface Value {
    /** A scalar: one value per step, always present. */
    record Scalar(double[] values) implements Value {
    }

    /** An instant vector: series with their step values. */
    record Vector(List<StepSeries> series) implements Value {
    }

    /** A range vector: only the result of a top-level instant query of a range selector or subquery. */
    record Matrix(List<RangeSeries> series) implements Value {
    }

    /** A string literal. */
    record Str(String value) implements Value {
    }
}
