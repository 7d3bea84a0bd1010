package io.tidemark.promql.ast;

import java.util.List;

/**
 * How a binary operation between two instant vectors pairs their series: {@code on (labels)} when {@code on}, else
 * {@code ignoring (labels)} (an empty ignoring list is the default matching); the cardinality, with the extra
 * {@code include} labels of {@code group_left}/{@code group_right}; and the experimental fill values used when a
 * series finds no partner ({@code fill_left}, {@code fill_right}; null when not given).
 */
public record VectorMatching(Cardinality cardinality, List<String> matchingLabels, boolean on, List<String> include,
                             Double fillLeft, Double fillRight) {

    /** Plain one-to-one matching on all labels, the default of an operator without modifiers. */
    public static final VectorMatching DEFAULT = new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false,
        List.of(), null, null);

    /** Copies the label lists, which are immutable from here on. */
    public VectorMatching {
        matchingLabels = List.copyOf(matchingLabels);
        include = List.copyOf(include);
    }

    /** How many series of each side may match one series of the other. */
    public enum Cardinality {
        /** Each side's series matches at most one series on the other. */
        ONE_TO_ONE("one-to-one"),
        /** {@code group_left}: many left series per right series. */
        MANY_TO_ONE("many-to-one"),
        /** {@code group_right}: many right series per left series. */
        ONE_TO_MANY("one-to-many"),
        /** Set operators. */
        MANY_TO_MANY("many-to-many");

        private final String text;

        Cardinality(final String text) {
            this.text = text;
        }

        /** Prometheus' name, such as {@code many-to-one}. */
        public String text() {
            return text;
        }
    }

    /** True if a fill value is given for either side. */
    public boolean hasFill() {
        return fillLeft != null || fillRight != null;
    }

    /** This matching with another cardinality. */
    public VectorMatching withCardinality(final Cardinality newCardinality) {
        return new VectorMatching(newCardinality, matchingLabels, on, include, fillLeft, fillRight);
    }

    /** The modifiers as Prometheus prints them after the operator (and {@code bool}), with a leading space. */
    @Override
    public String toString() {
        final StringBuilder out = new StringBuilder();
        final boolean grouped = cardinality == Cardinality.MANY_TO_ONE || cardinality == Cardinality.ONE_TO_MANY;
        if (!matchingLabels.isEmpty() || on || grouped) {
            out.append(on ? " on (" : " ignoring (");
            AggregateExpr.appendLabels(out, matchingLabels);
            out.append(')');
        }
        if (grouped) {
            out.append(cardinality == Cardinality.MANY_TO_ONE ? " group_left (" : " group_right (");
            AggregateExpr.appendLabels(out, include);
            out.append(')');
        }
        if (fillLeft != null && fillRight != null && fillLeft.doubleValue() == fillRight.doubleValue()) {
            out.append(" fill (").append(PromQlFormat.shortestFloat(fillLeft)).append(')');
        } else {
            if (fillLeft != null) {
                out.append(" fill_left (").append(PromQlFormat.shortestFloat(fillLeft)).append(')');
            }
            if (fillRight != null) {
                out.append(" fill_right (").append(PromQlFormat.shortestFloat(fillRight)).append(')');
            }
        }
        return out.toString();
    }
}
