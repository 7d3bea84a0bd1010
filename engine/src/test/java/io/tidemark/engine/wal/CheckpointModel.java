package io.tidemark.engine.wal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/** What a checkpoint must keep, computed from a full replay: the expected side of checkpoint tests. */
final class CheckpointModel {
    private CheckpointModel() {
    }

    /**
     * The flattened replay ({@link RecordingVisitor#flattened()}) after a checkpoint through
     * {@code through} with {@code minTime}: every SERIES record, the samples of segments up to
     * {@code through} at or after {@code minTime}, and everything of later segments, in order.
     */
    static List<String> afterCheckpoint(final List<RecordingVisitor.Entry> replayed, final long through, final long minTime) {
        return afterCheckpoint(replayed, through, minTime, id -> true);
    }

    /** As above, the checkpoint keeping only the series (records and samples) {@code keep} accepts. */
    static List<String> afterCheckpoint(final List<RecordingVisitor.Entry> replayed, final long through, final long minTime,
                                        final IntPredicate keep) {
        final List<String> out = new ArrayList<>();
        for (final RecordingVisitor.Entry e : replayed) {
            if (e.isSeries()) {
                if (e.segment() > through || keep.test(e.seriesId())) {
                    out.add("S " + e.seriesId() + " " + Arrays.toString(e.labels()));
                }
                continue;
            }
            for (int i = 0; i < e.seriesIds().length; i++) {
                if (e.segment() > through || e.timestamps()[i] >= minTime && keep.test(e.seriesIds()[i])) {
                    out.add(e.seriesIds()[i] + "/" + e.timestamps()[i] + "/" + Long.toHexString(e.valueBits()[i]));
                }
            }
        }
        return out;
    }
}
