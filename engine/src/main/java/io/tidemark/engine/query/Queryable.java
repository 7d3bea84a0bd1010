package io.tidemark.engine.query;

import io.tidemark.index.matchers.LabelMatcher;
import java.util.List;

/**
 * One tenant's data as a query engine sees it: series chosen by label matchers, their samples in a time range, and
 * the label names and values for metadata APIs. Prometheus semantics: all matchers must hold; a matcher that matches
 * the empty string also selects series without that label.
 *
 * <p>Implementations are thread-safe; each {@link SeriesSet} is for one thread. Reads see every sample whose append
 * was applied before the read began.
 */
public interface Queryable {
    /**
     * The series {@code matchers} select, in ascending label order, each with its samples in
     * {@code minTime <= t <= maxTime} (milliseconds). A series without samples in the range is still listed: the
     * caller decides what an empty series means.
     */
    SeriesSet select(List<LabelMatcher> matchers, long minTime, long maxTime);

    /** Names of the labels of the series {@code matchers} select (of all series when empty), sorted. */
    List<String> labelNames(List<LabelMatcher> matchers);

    /** Values of label {@code name} among the series {@code matchers} select (among all when empty), sorted. */
    List<String> labelValues(String name, List<LabelMatcher> matchers);
}
