package io.tidemark.engine.query;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.head.SeriesCursor;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@link Queryable} over one tenant of a {@link Tidemark} database, reading its head. An unknown tenant reads as
 * empty. Thread-safe. Reads decode through one {@link SeriesCursor} per reading thread, shared by all its series
 * sets: a cursor holds about 1 MB of decode buffers (a chunk can hold {@code 0xFFFF} samples), which a set of its own
 * would allocate per select, and {@link SeriesSet#samples} drains the cursor within the call, so sets never see each
 * other's state.
 */
public final class TenantQueryable implements Queryable {
    private static final ThreadLocal<SeriesCursor> CURSORS = ThreadLocal.withInitial(SeriesCursor::new);

    private final Tidemark database;
    private final String tenant;

    /** A read view of {@code tenant} in {@code database}. */
    public TenantQueryable(final Tidemark database, final String tenant) {
        this.database = database;
        this.tenant = tenant;
    }

    @Override
    public SeriesSet select(final List<LabelMatcher> matchers, final long minTime, final long maxTime) {
        final int[] ids = database.select(tenant, matchers);
        final LabelSet[] labels = new LabelSet[ids.length];
        final Integer[] order = new Integer[ids.length];
        for (int i = 0; i < ids.length; i++) {
            labels[i] = database.labels(tenant, ids[i]);
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(i -> labels[i], TenantQueryable::compareLabels));
        final int[] sortedIds = new int[ids.length];
        final LabelSet[] sortedLabels = new LabelSet[ids.length];
        for (int i = 0; i < ids.length; i++) {
            sortedIds[i] = ids[order[i]];
            sortedLabels[i] = labels[order[i]];
        }
        return new HeadSeriesSet(sortedIds, sortedLabels, minTime, maxTime);
    }

    @Override
    public List<String> labelNames(final List<LabelMatcher> matchers) {
        return database.labelNames(tenant, matchers);
    }

    @Override
    public List<String> labelValues(final String name, final List<LabelMatcher> matchers) {
        return database.labelValues(tenant, name, matchers);
    }

    /** Prometheus' label order: pairwise by name, then value, shorter set first on a tie. */
    static int compareLabels(final LabelSet a, final LabelSet b) {
        final int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = a.name(i).compareTo(b.name(i));
            if (c != 0) {
                return c;
            }
            c = a.value(i).compareTo(b.value(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private final class HeadSeriesSet implements SeriesSet {
        private final int[] ids;
        private final LabelSet[] labels;
        private final long minTime;
        private final long maxTime;
        private int position = -1;

        HeadSeriesSet(final int[] ids, final LabelSet[] labels, final long minTime, final long maxTime) {
            this.ids = ids;
            this.labels = labels;
            this.minTime = minTime;
            this.maxTime = maxTime;
        }

        @Override
        public int size() {
            return ids.length;
        }

        @Override
        public boolean next() {
            return ++position < ids.length;
        }

        @Override
        public LabelSet labels() {
            return labels[position];
        }

        @Override
        public int samples(final SampleBuffer into) {
            into.clear();
            final SeriesCursor cursor = CURSORS.get();
            database.read(tenant, ids[position], minTime, maxTime, cursor);
            while (cursor.next()) {
                into.add(cursor.timestamp(), cursor.value());
            }
            return into.size();
        }
    }
}
