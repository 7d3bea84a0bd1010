package io.tidemark.index;

import io.tidemark.index.postings.PostingsList;
import io.tidemark.index.postings.PostingsListIterator;
import io.tidemark.index.symbols.SymbolTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Series counts of one index, the shape of Prometheus' {@code /api/v1/status/tsdb}: each list holds
 * the top entries, largest first, ties by name.
 *
 * @param numSeries                   series, not counting removed ones
 * @param numLabelPairs               label pairs that at least one series has
 * @param seriesCountByMetricName     metric names by their number of series
 * @param labelValueCountByLabelName  label names by their number of distinct values
 * @param memoryInBytesByLabelName    label names by the bytes of their values summed over series
 *                                    (a value of 10 bytes on 3 series counts 30), as Prometheus counts it
 * @param seriesCountByLabelValuePair {@code name=value} pairs by their number of series
 */
public record CardinalityStats(long numSeries, long numLabelPairs, List<Entry> seriesCountByMetricName,
                               List<Entry> labelValueCountByLabelName, List<Entry> memoryInBytesByLabelName,
                               List<Entry> seriesCountByLabelValuePair) {
    /** One name and its count. */
    public record Entry(String name, long value) {
    }

    private static final Comparator<Entry> SMALLEST_FIRST =
        Comparator.comparingLong(Entry::value).thenComparing(Entry::name, Comparator.reverseOrder());

    /** Counts {@code index} inside a reader epoch; {@code limit} entries per list at most. */
    static CardinalityStats of(final SeriesIndex index, final long numSeries, final int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        final SymbolTable symbols = index.symbols();
        final TopN metrics = new TopN(limit);
        final TopN valueCounts = new TopN(limit);
        final TopN valueBytes = new TopN(limit);
        final TopN pairs = new TopN(limit);
        final PostingsListIterator cursor = new PostingsListIterator();
        long labelPairs = 0;
        for (final LabelValues values : index.allNames()) {
            final String name = symbols.string(values.nameSymbol());
            final boolean metricName = name.equals(SeriesIndex.METRIC_NAME);
            long distinct = 0;
            long bytes = 0;
            for (int v = 0; v < values.size(); v++) {
                final long series = liveSeries(index, values.list(v), cursor);
                if (series == 0) {
                    continue;
                }
                distinct++;
                final int value = values.valueSymbol(v);
                bytes += series * symbols.length(value);
                if (metricName && metrics.accepts(series)) {
                    metrics.add(new Entry(symbols.string(value), series));
                }
                if (pairs.accepts(series)) {
                    pairs.add(new Entry(name + "=" + symbols.string(value), series));
                }
            }
            labelPairs += distinct;
            if (distinct > 0) {
                valueCounts.add(new Entry(name, distinct));
                valueBytes.add(new Entry(name, bytes));
            }
        }
        return new CardinalityStats(numSeries, labelPairs, metrics.sorted(), valueCounts.sorted(), valueBytes.sorted(),
            pairs.sorted());
    }

    /** The series on {@code list} that readers can see; lists hold no removed ids once a removal has finished. */
    private static long liveSeries(final SeriesIndex index, final PostingsList list, final PostingsListIterator cursor) {
        final int length = list.lengthAcquire();
        return length == 0 || !index.hasLiveSeries(list, index.registry().idLimit(), cursor) ? 0 : length;
    }

    /** Keeps the {@code limit} largest entries seen. */
    private static final class TopN {
        private final int limit;
        private final PriorityQueue<Entry> smallestFirst = new PriorityQueue<>(SMALLEST_FIRST);

        TopN(final int limit) {
            this.limit = limit;
        }

        /** False if an entry of {@code value} could not get in (saves building its name). */
        boolean accepts(final long value) {
            return smallestFirst.size() < limit || value >= smallestFirst.peek().value();
        }

        void add(final Entry entry) {
            smallestFirst.add(entry);
            if (smallestFirst.size() > limit) {
                smallestFirst.poll();
            }
        }

        List<Entry> sorted() {
            final List<Entry> entries = new ArrayList<>(smallestFirst);
            entries.sort(SMALLEST_FIRST.reversed());
            return entries;
        }
    }
}
