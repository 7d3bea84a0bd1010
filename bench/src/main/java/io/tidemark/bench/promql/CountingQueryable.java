package io.tidemark.bench.promql;

import io.tidemark.engine.query.Queryable;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import java.util.List;

/**
 * A {@link Queryable} that counts the samples a query reads from storage (what {@link SeriesSet#samples} copies
 * out), so the benchmark can report samples processed per second. One thread at a time.
 */
final class CountingQueryable implements Queryable {
    private final Queryable delegate;
    private long samples;

    CountingQueryable(final Queryable delegate) {
        this.delegate = delegate;
    }

    /** Samples read since the last call; resets the count. */
    long takeSamples() {
        final long n = samples;
        samples = 0;
        return n;
    }

    @Override
    public SeriesSet select(final List<LabelMatcher> matchers, final long minTime, final long maxTime) {
        final SeriesSet set = delegate.select(matchers, minTime, maxTime);
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
                samples += n;
                return n;
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
