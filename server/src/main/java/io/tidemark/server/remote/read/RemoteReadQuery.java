package io.tidemark.server.remote.read;

import io.tidemark.index.matchers.LabelMatcher;
import java.util.List;

/**
 * One {@code prometheus.Query}: series selected by {@code matchers} with samples in
 * {@code startMs <= t <= endMs} (milliseconds).
 *
 * @param startMs first millisecond, inclusive
 * @param endMs last millisecond, inclusive
 * @param matchers label matchers, all of which must hold
 * @param hints the hints, or null when the query had none
 */
public record RemoteReadQuery(long startMs, long endMs, List<LabelMatcher> matchers, ReadHints hints) {
}
