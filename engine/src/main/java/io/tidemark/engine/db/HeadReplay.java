package io.tidemark.engine.db;

import io.tidemark.engine.head.HeadShard;
import io.tidemark.engine.wal.SamplesRecordView;
import io.tidemark.engine.wal.SeriesRecordView;
import io.tidemark.engine.wal.WalVisitor;
import io.tidemark.index.SeriesIndex;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Rebuilds one shard's head from its WAL and collects its series' labels, on a recovery thread. */
final class HeadReplay implements WalVisitor {
    private static final System.Logger LOG = System.getLogger(HeadReplay.class.getName());

    private final HeadShard head;
    private final TreeMap<Integer, byte[]> series;
    private final int shards;

    HeadReplay(final HeadShard head, final TreeMap<Integer, byte[]> series, final int shards) {
        this.head = head;
        this.series = series;
        this.shards = shards;
    }

    /**
     * Restores the series the shards recovered ({@code series.get(shard)}: id to canonical labels) into the
     * empty {@code index}, in id order. A label set logged under two ids is a series removed from the head
     * and created again under a newer id before the WAL was checkpointed: the newest id is restored, the older
     * one (which held nothing the blocks do not) is left out of the index and of its shard's map.
     */
    static void restoreIndex(final SeriesIndex index, final List<TreeMap<Integer, byte[]>> series, final String tenant) {
        final TreeMap<Integer, byte[]> all = new TreeMap<>();
        series.forEach(all::putAll);
        final Map<ByteBuffer, Integer> newest = new HashMap<>();
        for (final Map.Entry<Integer, byte[]> entry : all.entrySet()) {
            final Integer older = newest.put(ByteBuffer.wrap(entry.getValue()), entry.getKey());
            if (older != null) {
                series.get(older % series.size()).remove(older);
                LOG.log(System.Logger.Level.DEBUG, () -> "tenant " + tenant + ": series " + older + " was logged again as "
                    + entry.getKey() + "; restoring the newer id");
            }
        }
        for (final Map.Entry<Integer, byte[]> entry : all.entrySet()) {
            if (newest.get(ByteBuffer.wrap(entry.getValue())).intValue() == entry.getKey()) {
                final MemorySegment labels = MemorySegment.ofArray(entry.getValue());
                index.restore(entry.getKey(), labels, 0, (int) labels.byteSize());
            }
        }
    }

    @Override
    public void series(final SeriesRecordView record) {
        series.put(record.seriesId(), record.copyLabels());
    }

    @Override
    public void samples(final SamplesRecordView samples) {
        while (samples.next()) {
            head.append(samples.seriesId() / shards, samples.timestamp(), samples.valueBits());
        }
    }
}
