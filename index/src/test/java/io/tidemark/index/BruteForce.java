package io.tidemark.index;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import java.util.List;

/** The definition of selection, one series at a time: what the index must agree with. */
final class BruteForce {
    private BruteForce() {
    }

    /** True if every matcher matches the series' value of its label, "" standing for a missing label. */
    static boolean selects(final List<LabelMatcher> matchers, final LabelSet series) {
        for (final LabelMatcher matcher : matchers) {
            final String value = series.get(matcher.name());
            if (!matcher.matches(value == null ? "" : value)) {
                return false;
            }
        }
        return true;
    }
}
