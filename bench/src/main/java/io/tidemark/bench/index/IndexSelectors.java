package io.tidemark.bench.index;

import io.tidemark.index.SeriesIndex;
import io.tidemark.index.matchers.LabelMatcher;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The selectors {@code ./tidemark bench index} and the JMH index benchmark time, over node series.
 * In the node dataset every label but {@code instance} (and {@code nodename} on one series) is the
 * same on every target, so no two equality matchers select about a thousand series; a subnet regex
 * on {@code instance} with a metric name does, which is how a fleet dashboard narrows a panel.
 */
public final class IndexSelectors {
    /** {@code node_load1{instance=~"10\\.0\\.[0-3]\\..*"}}: one series on each of the first 1,024 targets. */
    public static final List<LabelMatcher> TWO_MATCHER = List.of(
        LabelMatcher.of(LabelMatcher.Type.EQUAL, SeriesIndex.METRIC_NAME, "node_load1"),
        LabelMatcher.of(LabelMatcher.Type.REGEX, "instance", "10\\.0\\.[0-3]\\..*"));

    /** {@code node_cpu_seconds_total{mode=~"user|system"}}: 8 series on every target (4 CPUs, 2 modes). */
    public static final List<LabelMatcher> REGEX = List.of(
        LabelMatcher.of(LabelMatcher.Type.EQUAL, SeriesIndex.METRIC_NAME, "node_cpu_seconds_total"),
        LabelMatcher.of(LabelMatcher.Type.REGEX, "mode", "user|system"));

    private IndexSelectors() {
    }

    /**
     * {@code node_cpu_seconds_total{instance="<target>"}}, a per-host dashboard panel: 32 series of
     * target 775 ({@code 10.0.3.7:9100}), or of the last target when there are fewer.
     */
    public static List<LabelMatcher> host(final int targets) {
        final int target = Math.min(775, targets - 1);
        return List.of(
            LabelMatcher.of(LabelMatcher.Type.EQUAL, SeriesIndex.METRIC_NAME, "node_cpu_seconds_total"),
            LabelMatcher.of(LabelMatcher.Type.EQUAL, "instance", "10.0." + (target >>> 8) + '.' + (target & 0xFF) + ":9100"));
    }

    /** The selector in PromQL's braces form without spaces, e.g. {@code {__name__="up",job="node"}}. */
    public static String format(final List<LabelMatcher> matchers) {
        return matchers.stream().map(LabelMatcher::toString).collect(Collectors.joining(",", "{", "}"));
    }
}
