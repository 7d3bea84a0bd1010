package io.tidemark.server.remote.read;

import io.tidemark.engine.query.Queryable;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import java.util.ArrayList;
import java.util.List;

/** A {@link Queryable} over series held in lists, with Prometheus matcher semantics (a missing label is ""). */
class InMemoryQueryable implements Queryable {
    record Series(LabelSet labels, long[] timestamps, double[] values) {
    }

    private final List<Series> series = new ArrayList<>();

    InMemoryQueryable add(final LabelSet labels, final long[] timestamps, final double[] values) {
        series.add(new Series(labels, timestamps, values));
        return this;
    }

    @Override
    public SeriesSet select(final List<LabelMatcher> matchers, final long minTime, final long maxTime) {
        final List<Series> selected = new ArrayList<>();
        for (final Series s : series) {
            boolean all = true;
            for (final LabelMatcher matcher : matchers) {
                final String value = s.labels().get(matcher.name());
                all &= matcher.matches(value == null ? "" : value);
            }
            if (all) {
                selected.add(s);
            }
        }
        return new SeriesSet() {
            private int index = -1;

            @Override
            public int size() {
                return selected.size();
            }

            @Override
            public boolean next() {
                return ++index < selected.size();
            }

            @Override
            public LabelSet labels() {
                return selected.get(index).labels();
            }

            @Override
            public int samples(final SampleBuffer into) {
                into.clear();
                final Series s = selected.get(index);
                for (int i = 0; i < s.timestamps().length; i++) {
                    if (s.timestamps()[i] >= minTime && s.timestamps()[i] <= maxTime) {
                        into.add(s.timestamps()[i], s.values()[i]);
                    }
                }
                return into.size();
            }
        };
    }

    @Override
    public List<String> labelNames(final List<LabelMatcher> matchers) {
        throw new UnsupportedOperationException("labelNames");
    }

    @Override
    public List<String> labelValues(final String name, final List<LabelMatcher> matchers) {
        throw new UnsupportedOperationException("labelValues");
    }
}
