package io.tidemark.engine.query;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.tiering.block.BlockReader;
import io.tidemark.tiering.block.BlockSeries;
import java.util.List;

/**
 * Label matchers over one block's index, with the semantics of the head index: every matcher must
 * hold, and a matcher that matches the empty string also holds for a series without its label.
 *
 * <p>The matchers that do not match the empty string narrow the candidates through postings (an
 * equality is one postings list; any other matcher is the union of the lists of the values it
 * matches); the others are checked on each candidate's labels. Without a matcher of the first kind
 * every series is a candidate. Block series ids are in label order, so the result is too.
 */
public final class BlockSelection {
    private BlockSelection() {
    }

    /** The ids of the series of {@code block} that {@code matchers} select, ascending (label order). */
    public static int[] select(final BlockReader block, final List<LabelMatcher> matchers, final BlockSeries scratch) {
        final int seriesCount = block.seriesCount();
        long[] candidates = null;
        for (final LabelMatcher matcher : matchers) {
            if (matcher.matchesEmpty()) {
                continue;
            }
            final long[] matching = new long[(seriesCount + 63) >>> 6];
            if (matcher.type() == LabelMatcher.Type.EQUAL) {
                mark(block.postings(matcher.name(), matcher.value()), matching);
            } else {
                for (final String value : block.labelValues(matcher.name())) {
                    if (matcher.matches(value)) {
                        mark(block.postings(matcher.name(), value), matching);
                    }
                }
            }
            if (candidates == null) {
                candidates = matching;
            } else {
                for (int i = 0; i < candidates.length; i++) {
                    candidates[i] &= matching[i];
                }
            }
        }
        int count = 0;
        int[] ids = new int[16];
        for (int id = 0; id < seriesCount; id++) {
            if (candidates != null) {
                final long word = candidates[id >>> 6];
                if (word == 0) {
                    id |= 63; // skip the rest of an empty word
                    continue;
                }
                if ((word & 1L << id) == 0) {
                    continue;
                }
            }
            if (holdsForEmptyMatchers(block, id, matchers, scratch)) {
                if (count == ids.length) {
                    ids = java.util.Arrays.copyOf(ids, count * 2);
                }
                ids[count++] = id;
            }
        }
        return java.util.Arrays.copyOf(ids, count);
    }

    private static void mark(final int[] postings, final long[] bits) {
        for (final int id : postings) {
            bits[id >>> 6] |= 1L << id;
        }
    }

    /** Whether the matchers that match the empty string hold for series {@code id} (a missing label is ""). */
    private static boolean holdsForEmptyMatchers(final BlockReader block, final int id, final List<LabelMatcher> matchers,
                                                 final BlockSeries scratch) {
        boolean read = false;
        for (final LabelMatcher matcher : matchers) {
            if (!matcher.matchesEmpty()) {
                continue;
            }
            if (!read) {
                block.series(id, scratch);
                read = true;
            }
            String value = "";
            for (int i = 0; i < scratch.labelCount(); i++) {
                if (scratch.labelName(i).equals(matcher.name())) {
                    value = scratch.labelValue(i);
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
