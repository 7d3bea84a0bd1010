package io.tidemark.engine.wal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Collects replayed records as plain objects, for comparison in tests. */
class RecordingVisitor implements WalVisitor {
    /** A replayed record: a SERIES record has labels and no samples, a SAMPLES record the reverse. */
    record Entry(long sequence, long segment, int seriesId, byte[] labels, int[] seriesIds, long[] timestamps, long[] valueBits) {
        boolean isSeries() {
            return labels != null;
        }

        @Override
        public boolean equals(final Object other) {
            return other instanceof Entry e && e.sequence == sequence && e.seriesId == seriesId
                && Arrays.equals(e.labels, labels) && Arrays.equals(e.seriesIds, seriesIds)
                && Arrays.equals(e.timestamps, timestamps) && Arrays.equals(e.valueBits, valueBits);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(sequence);
        }

        @Override
        public String toString() {
            return isSeries() ? "Series[seq=" + sequence + ", id=" + seriesId + ", labels=" + labels.length + "B]"
                : "Samples[seq=" + sequence + ", count=" + seriesIds.length + "]";
        }
    }

    final List<Entry> entries = new ArrayList<>();

    @Override
    public void series(final SeriesRecordView series) {
        entries.add(new Entry(series.sequence(), series.segment(), series.seriesId(), series.copyLabels(), null, null, null));
    }

    @Override
    public void samples(final SamplesRecordView samples) {
        final int n = samples.count();
        final int[] ids = new int[n];
        final long[] times = new long[n];
        final long[] bits = new long[n];
        int i = 0;
        while (samples.next()) {
            ids[i] = samples.seriesId();
            times[i] = samples.timestamp();
            bits[i] = samples.valueBits();
            i++;
        }
        if (i != n) {
            throw new AssertionError("cursor gave " + i + " samples, count says " + n);
        }
        entries.add(new Entry(samples.sequence(), samples.segment(), 0, null, ids, times, bits));
    }

    /** Every sample replayed, flattened in order, as "id/time/bits" strings; series as "S id". */
    List<String> flattened() {
        final List<String> out = new ArrayList<>();
        for (final Entry e : entries) {
            if (e.isSeries()) {
                out.add("S " + e.seriesId() + " " + Arrays.toString(e.labels()));
            } else {
                for (int i = 0; i < e.seriesIds().length; i++) {
                    out.add(e.seriesIds()[i] + "/" + e.timestamps()[i] + "/" + Long.toHexString(e.valueBits()[i]));
                }
            }
        }
        return out;
    }
}
