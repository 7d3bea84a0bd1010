package io.tidemark.engine.query;

import io.tidemark.index.series.LabelSet;

/**
 * A cursor over selected series: {@link #next()} moves to the next series, then {@link #labels()} and
 * {@link #samples(SampleBuffer)} describe it. Not thread-safe; a set that is {@link #partitionable()} hands out
 * partitions that other threads read at the same time.
 */
public interface SeriesSet {
    /** Number of series in the set. */
    int size();

    /** Advances to the next series; false when there is none. */
    boolean next();

    /** Labels of the current series. */
    LabelSet labels();

    /**
     * Copies the current series' samples in the selected time range, oldest first, into {@code into} (cleared first,
     * grown when needed); returns how many. Values keep their bit patterns, so stale markers stay recognisable.
     */
    int samples(SampleBuffer into);

    /** True when {@link #partition(int, int)} is supported; false by default. */
    default boolean partitionable() {
        return false;
    }

    /**
     * A new set over the series {@code from <= i < to} of this selection (by position, in the same order, with the
     * same time range), positioned before its first series. It shares no cursor state with this set or with other
     * partitions, so each partition can be read by its own thread while others are read. Call it before this set is
     * read. Throws {@link UnsupportedOperationException} unless {@link #partitionable()}.
     */
    default SeriesSet partition(final int from, final int to) {
        throw new UnsupportedOperationException("partition");
    }
}
