package io.tidemark.client;

import java.util.List;

/**
 * The result of a PromQL query, gathered from all of its QUERY_RESULT frames.
 *
 * @param type     what the query returned
 * @param warnings PromQL's warnings and infos, in that order
 * @param time     scalar and string results: the evaluation time, milliseconds; otherwise 0
 * @param scalar   a scalar result's value (bit pattern kept); otherwise 0
 * @param string   a string result's value; otherwise null
 * @param series   vector (one point per series) and matrix results; otherwise empty
 */
public record QueryResult(Type type, List<String> warnings, long time, double scalar, String string,
                          List<SeriesSamples> series) {
    /** PromQL's result types. */
    public enum Type {
        /** A single number. */
        SCALAR,
        /** A single string. */
        STRING,
        /** An instant vector: one point per series. */
        VECTOR,
        /** A range vector: points per series over time. */
        MATRIX
    }
}
