package io.tidemark.promql.eval;

import java.util.List;

/** The result of a query, as Prometheus' API types it. Timestamps are milliseconds. */
public sealed interface QueryResult {
    /** A scalar at time {@code timestamp}. */
    record Scalar(long timestamp, double value) implements QueryResult {
    }

    /** A string at time {@code timestamp}. */
    record Str(long timestamp, String value) implements QueryResult {
    }

    /** An instant vector, in the order evaluation produced it (which {@code sort()} and {@code topk()} decide). */
    record Vector(List<Sample> samples) implements QueryResult {
    }

    /** A range vector or the result of a range query, sorted by labels. */
    record Matrix(List<Series> series) implements QueryResult {
    }

    /** One sample of an instant vector. */
    record Sample(Labels labels, long timestamp, double value) {
    }

    /** One series of a matrix: {@code timestamps[i]}, {@code values[i]}. */
    record Series(Labels labels, long[] timestamps, double[] values) {
    }
}
