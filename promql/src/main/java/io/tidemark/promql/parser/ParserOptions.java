package io.tidemark.promql.parser;

/**
 * What the parser accepts beyond stable Prometheus 3 PromQL, mirroring Prometheus' parser options and feature flags.
 * All off by default, as in Prometheus; each "with" method returns a copy.
 *
 * @param compat                 which Prometheus major version's function set to accept
 * @param experimentalFunctions  experimental functions (such as {@code mad_over_time}, {@code sort_by_label},
 *                               {@code info}) and the aggregations {@code limitk} and {@code limit_ratio}; Prometheus'
 *                               {@code --enable-feature=promql-experimental-functions}
 * @param durationExpressions    arithmetic and {@code step()}, {@code range()}, {@code min_of()}, {@code max_of()} in
 *                               ranges, subquery steps and offsets; {@code promql-duration-expr}
 * @param extendedRangeSelectors the {@code anchored} and {@code smoothed} modifiers;
 *                               {@code promql-extended-range-selectors}
 * @param binopFillModifiers     {@code fill()}, {@code fill_left()}, {@code fill_right()} on binary operators;
 *                               {@code promql-binop-fill-modifiers}
 */
public record ParserOptions(Compat compat, boolean experimentalFunctions, boolean durationExpressions,
                            boolean extendedRangeSelectors, boolean binopFillModifiers) {

    /** Prometheus 3 PromQL, experimental features off. */
    public static final ParserOptions DEFAULT = new ParserOptions(Compat.PROMETHEUS3, false, false, false, false);

    /** Every experimental feature on, as Prometheus' own PromQL test suite runs. */
    public static final ParserOptions ALL_FEATURES = new ParserOptions(Compat.PROMETHEUS3, true, true, true, true);

    /** Which Prometheus version's language to accept where they differ. */
    public enum Compat {
        /** Prometheus 3.x. */
        PROMETHEUS3,
        /**
         * Prometheus 2.x additions on top of 3.x: the function {@code holt_winters}; the evaluator also follows the
         * 2.x rules that differ (see {@code PromQlEngine}).
         */
        PROMETHEUS2
    }

    /** Checks that {@code compat} is given. */
    public ParserOptions {
        java.util.Objects.requireNonNull(compat, "compat");
    }

    /** A copy with another compatibility setting. */
    public ParserOptions withCompat(final Compat newCompat) {
        return new ParserOptions(newCompat, experimentalFunctions, durationExpressions, extendedRangeSelectors,
            binopFillModifiers);
    }

    /** A copy with experimental functions and aggregations on or off. */
    public ParserOptions withExperimentalFunctions(final boolean enabled) {
        return new ParserOptions(compat, enabled, durationExpressions, extendedRangeSelectors, binopFillModifiers);
    }

    /** A copy with duration expressions on or off. */
    public ParserOptions withDurationExpressions(final boolean enabled) {
        return new ParserOptions(compat, experimentalFunctions, enabled, extendedRangeSelectors, binopFillModifiers);
    }

    /** A copy with the anchored and smoothed modifiers on or off. */
    public ParserOptions withExtendedRangeSelectors(final boolean enabled) {
        return new ParserOptions(compat, experimentalFunctions, durationExpressions, enabled, binopFillModifiers);
    }

    /** A copy with the fill modifiers of binary operators on or off. */
    public ParserOptions withBinopFillModifiers(final boolean enabled) {
        return new ParserOptions(compat, experimentalFunctions, durationExpressions, extendedRangeSelectors, enabled);
    }
}
