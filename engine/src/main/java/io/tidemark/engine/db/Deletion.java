package io.tidemark.engine.db;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.tiering.block.BlockId;
import java.util.List;
import java.util.Set;

/**
 * One deletion (tombstone): the series that {@code matchers} select lose their samples with
 * {@code minTime <= t <= maxTime}. {@code pending} names the blocks that held such samples when the
 * deletion was made and have not been rewritten since; the head's share is pending until the tenant
 * is sealed past {@code maxTime}.
 */
record Deletion(List<LabelMatcher> matchers, long minTime, long maxTime, Set<BlockId> pending) {
    Deletion {
        matchers = List.copyOf(matchers);
        pending = Set.copyOf(pending);
        if (matchers.isEmpty() || minTime > maxTime) {
            throw new IllegalArgumentException("a deletion needs matchers and minTime <= maxTime: matchers=" + matchers
                + " minTime=" + minTime + " maxTime=" + maxTime);
        }
    }

    /** Refuses a range backwards and a selector that would select every series (no matcher fails on ""). */
    static void check(final List<List<LabelMatcher>> selectors, final long minTime, final long maxTime) {
        if (minTime > maxTime) {
            throw new IllegalArgumentException("start " + minTime + " is after end " + maxTime);
        }
        for (final List<LabelMatcher> selector : selectors) {
            if (selector.stream().allMatch(LabelMatcher::matchesEmpty)) {
                throw new IllegalArgumentException("match[] must contain at least one non-empty matcher: " + selector);
            }
        }
    }

    /** Whether every matcher holds for the series with {@code labels} (names and values alternating); a missing label is "". */
    boolean selects(final String[] labels) {
        for (final LabelMatcher matcher : matchers) {
            String value = "";
            for (int i = 0; i < labels.length; i += 2) {
                if (labels[i].equals(matcher.name())) {
                    value = labels[i + 1];
                    break;
                }
            }
            if (!matcher.matches(value)) {
                return false;
            }
        }
        return true;
    }
}
