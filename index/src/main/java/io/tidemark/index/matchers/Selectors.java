package io.tidemark.index.matchers;

import java.util.List;

/** Checks on a whole selector (the matchers between braces) that Prometheus' PromQL parser applies. */
public final class Selectors {
    /** Prometheus' wording, from promql/parser/parse.go. */
    static final String EMPTY_SELECTOR = "vector selector must contain at least one non-empty matcher";

    private Selectors() {
    }

    /**
     * Throws {@link InvalidMatcherException} with Prometheus' message unless some matcher does not match the empty
     * string, so that a selector can never select every series (such as {@code {a=""}} or {@code {a=~".*"}}). An
     * empty list is rejected too.
     */
    public static void requireNonEmptyMatcher(final List<LabelMatcher> matchers) {
        for (final LabelMatcher matcher : matchers) {
            if (!matcher.matchesEmpty()) {
                return;
            }
        }
        throw new InvalidMatcherException(null, EMPTY_SELECTOR);
    }
}
