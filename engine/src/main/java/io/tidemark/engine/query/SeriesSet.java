package io.tidemark.engine.query;

import io.tidemark.index.series.LabelSet;

/**
 * A cursor over selected series: {@link #next()} moves to the next series, then {@link #labels()} and
 * {@link #samples(SampleBuffer)} describe it. Not thread-safe.
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
}
