package io.tidemark.bench.promql;

import io.tidemark.engine.query.Queryable;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link Queryable} that counts the samples a query reads from storage (what {@link SeriesSet#samples} copies
 * out), so the benchmark can report samples processed per second. Thread-safe: partitions of a set that parallel
 * evaluation reads on other threads count into the same total.
 */
final class CountingQueryable implements Queryable {
    private final Queryable delegate;
    private final LongAdder samples = new LongAdder();

    CountingQueryable(final Queryable delegate) {
        this.delegate = delegate;
    }

    /** Samples read since the last call; resets the count. */
    long takeSamples() {
        return samples.sumThenReset();
    }

    @Override
    public SeriesSet select(final List<LabelMatcher> matchers, final long minTime, final long maxTime) {
        return counting(delegate.select(matchers, minTime, maxTime));
    }

    private SeriesSet counting(final SeriesSet set) {
        return new SeriesSet() {
            @Override
            public int size() {
                return set.size();
            }

            @Override
            public boolean next() {
                return set.next();
            }

            @Override
            public LabelSet labels() {
                return set.labels();
            }

            @Override
            public int samples(final SampleBuffer into) {
                final int n = set.samples(into);
                samples.add(n);
                return n;
            }

            @Override
            public boolean partitionable() {
                return set.partitionable();
            }

            @Override
            public SeriesSet partition(final int from, final int to) {
                return counting(set.partition(from, to));
            }
        };
    }

    @Override
    public List<String> labelNames(final List<LabelMatcher> matchers) {
        return delegate.labelNames(matchers);
    }

    @Override
    public List<String> labelValues(final String name, final List<LabelMatcher> matchers) {
        return delegate.labelValues(name, matchers);
    }
}
