package io.tidemark.bench.data;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A group of series of one node target that are generated together because their values depend
 * on one another (the modes of one CPU, the buckets of one histogram, a disk's bytes and
 * operations). Stateless: one instance serves every target.
 */
abstract class NodeSeriesFamily {
    private final List<SeriesKey> keys;

    NodeSeriesFamily(final List<SeriesKey> keys) {
        this.keys = List.copyOf(keys);
    }

    /** Number of series in the family, the same for every target. */
    final int seriesCount() {
        return keys.size();
    }

    /** Puts the labels of series {@code member} of {@code target}, apart from instance and job. */
    void putLabels(final int member, final NodeTarget target, final Map<String, String> labels) {
        keys.get(member).putInto(labels);
    }

    /**
     * Fills {@code values[member][sample]} for every member, one sample per target scrape, drawing
     * only from {@code random}, which is this family's own stream for the target.
     */
    abstract void generate(NodeTarget target, SplittableRandom random, double[][] values);
}
