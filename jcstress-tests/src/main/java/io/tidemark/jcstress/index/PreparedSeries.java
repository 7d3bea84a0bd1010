package io.tidemark.jcstress.index;

import io.tidemark.index.SeriesIndex;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One label set of a jcstress state, encoded and with its matchers built in the constructor, so
 * that an actor makes only the call that races and checks what it got.
 *
 * <p>Reader codes ({@link #seenBy}): what a selection that should find at most this series returned.
 */
final class PreparedSeries {
    /** Reader code: the selection was empty. */
    static final int NOT_SEEN = 0;
    /** Reader code: exactly one id, and its labels are this series' labels. */
    static final int SEEN_WHOLE = 1;
    /** Reader code: an id whose labels are not this series' labels, or not the id expected. */
    static final int SEEN_WRONG_SERIES = 2;
    /** Reader code: more than one id. */
    static final int SEEN_MORE_THAN_ONE = 3;
    /** Reader code: the read threw, e.g. "postings list is closed" or an id naming no series. */
    static final int THREW = -1;

    private final LabelSet labels;
    private final MemorySegment bytes;
    private final int length;
    private final List<LabelMatcher> everyLabel;

    private PreparedSeries(final LabelSet labels) {
        this.labels = labels;
        this.bytes = labels.encode();
        this.length = (int) bytes.byteSize();
        final List<LabelMatcher> matchers = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            matchers.add(equal(labels.name(i), labels.value(i)));
        }
        this.everyLabel = List.copyOf(matchers);
    }

    /** A series from name/value pairs. */
    static PreparedSeries of(final String... namesAndValues) {
        return new PreparedSeries(LabelSet.of(namesAndValues));
    }

    /** An equality matcher. */
    static LabelMatcher equal(final String name, final String value) {
        return LabelMatcher.of(LabelMatcher.Type.EQUAL, name, value);
    }

    /** Matchers for a selection, built once. */
    static List<LabelMatcher> selector(final LabelMatcher... matchers) {
        return List.of(matchers);
    }

    /** {@link SeriesIndex#getOrCreate(MemorySegment, long, int)} of the prepared bytes. */
    int getOrCreate(final SeriesIndex index) {
        return index.getOrCreate(bytes, 0, length);
    }

    /** {@link SeriesIndex#find(MemorySegment, long, int)} of the prepared bytes: lock-free, allocates nothing. */
    int find(final SeriesIndex index) {
        return index.find(bytes, 0, length);
    }

    /** {@link SeriesIndex#findExpected} of the prepared bytes, trying {@code expectedId} first. */
    int findExpected(final SeriesIndex index, final int expectedId) {
        return index.findExpected(bytes, 0, length, expectedId);
    }

    /** One equality matcher per label: the selector that intersects every postings list of the series. */
    List<LabelMatcher> everyLabel() {
        return everyLabel;
    }

    /** True if series {@code id} of {@code index} has exactly these labels. */
    boolean isLabelsOf(final SeriesIndex index, final int id) {
        return labels.equals(index.labels(id));
    }

    /**
     * Runs {@code matchers} on {@code index} and says what it found, as a reader code. With
     * {@code expectedId} of {@link SeriesIndex#NOT_FOUND} any id with these labels is right; otherwise
     * only that id.
     */
    int seenBy(final SeriesIndex index, final List<LabelMatcher> matchers, final int expectedId) {
        try {
            return codeOf(index, index.select(matchers), expectedId);
        } catch (final RuntimeException threw) {
            return THREW;
        }
    }

    /** The reader code of a selection's {@code ids}. */
    int codeOf(final SeriesIndex index, final int[] ids, final int expectedId) {
        if (ids.length == 0) {
            return NOT_SEEN;
        }
        if (ids.length > 1) {
            return SEEN_MORE_THAN_ONE;
        }
        final boolean rightId = expectedId == SeriesIndex.NOT_FOUND || ids[0] == expectedId;
        return rightId && isLabelsOf(index, ids[0]) ? SEEN_WHOLE : SEEN_WRONG_SERIES;
    }

    /** True if {@code ids} is exactly {@code expected}, in that order. */
    static boolean idsAre(final int[] ids, final int... expected) {
        return Arrays.equals(ids, expected);
    }
}
