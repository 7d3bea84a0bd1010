package io.tidemark.promql.ast;

import io.tidemark.index.matchers.LabelMatcher;

import java.util.ArrayList;
import java.util.List;

/**
 * An instant vector selector such as {@code http_requests_total{job="api"} offset 5m @ 1609746000}.
 *
 * <p>{@code name} is the metric name written outside the braces, or "" when there is none (also for a quoted name
 * inside the braces, {@code {"my.metric"}}, which becomes a {@code __name__} matcher). {@code matchers} are all the
 * matchers in the order written, with {@code __name__="<name>"} appended last when {@code name} is set, as Prometheus
 * does: the evaluator selects series with exactly this list. {@code anchored} and {@code smoothed} are the
 * experimental extended range selector modifiers. {@code bypassEmptyMatcherCheck} is set on the label-only selector
 * that is the second argument of {@code info()}.
 */
public record VectorSelector(String name, List<LabelMatcher> matchers, Offset offset, AtModifier at, boolean anchored,
                             boolean smoothed, boolean bypassEmptyMatcherCheck, PositionRange positionRange)
    implements Expr {

    /** Copies the matcher list, which is immutable from here on. */
    public VectorSelector {
        matchers = List.copyOf(matchers);
    }

    /** A selector without modifiers. */
    public static VectorSelector of(final String name, final List<LabelMatcher> matchers, final PositionRange range) {
        return new VectorSelector(name, matchers, Offset.NONE, AtModifier.NONE, false, false, false, range);
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }

    /** This selector with another offset, ending at {@code end}. */
    public VectorSelector withOffset(final Offset newOffset, final int end) {
        return new VectorSelector(name, matchers, newOffset, at, anchored, smoothed, bypassEmptyMatcherCheck,
            new PositionRange(positionRange.start(), end));
    }

    /** This selector with another {@code @} modifier, ending at {@code end}. */
    public VectorSelector withAt(final AtModifier newAt, final int end) {
        return new VectorSelector(name, matchers, offset, newAt, anchored, smoothed, bypassEmptyMatcherCheck,
            new PositionRange(positionRange.start(), end));
    }

    /** This selector with the extended range modifiers set as given. */
    public VectorSelector withExtendedRange(final boolean newAnchored, final boolean newSmoothed) {
        return new VectorSelector(name, matchers, offset, at, newAnchored, newSmoothed, bypassEmptyMatcherCheck,
            positionRange);
    }

    /** This selector exempt from the non-empty matcher rule, as {@code info()}'s second argument is. */
    public VectorSelector withBypassEmptyMatcherCheck() {
        return new VectorSelector(name, matchers, offset, at, anchored, smoothed, true, positionRange);
    }

    /** The selector's name and matchers only, {@code name{a="b"}}, without modifiers. */
    public String selectorText() {
        final List<String> labels = new ArrayList<>(matchers.size());
        for (final LabelMatcher matcher : matchers) {
            if (matcher.name().equals("__name__") && matcher.type() == LabelMatcher.Type.EQUAL
                && matcher.value().equals(name) && !matcher.value().isEmpty()) {
                continue;
            }
            labels.add(matcher.toString());
        }
        final StringBuilder out = new StringBuilder(name);
        if (!labels.isEmpty()) {
            labels.sort(null);
            out.append('{').append(String.join(",", labels)).append('}');
        }
        return out.toString();
    }

    /** The modifiers as printed after the selector or after its range: {@code @}, then the extended modifier. */
    String atAndExtendedText() {
        return at.toString() + (anchored ? " anchored" : smoothed ? " smoothed" : "");
    }

    @Override
    public String toString() {
        return selectorText() + atAndExtendedText() + offset;
    }
}
