package io.tidemark.engine.db;

import io.tidemark.engine.head.HeadShard;
import io.tidemark.engine.wal.SamplesRecordView;
import io.tidemark.engine.wal.SeriesRecordView;
import io.tidemark.engine.wal.WalVisitor;
import java.util.TreeMap;

/** Rebuilds one shard's head from its WAL and collects its series' labels, on a recovery thread. */
final class HeadReplay implements WalVisitor {
    private final HeadShard head;
    private final TreeMap<Integer, byte[]> series;
    private final int shards;

    HeadReplay(final HeadShard head, final TreeMap<Integer, byte[]> series, final int shards) {
        this.head = head;
        this.series = series;
        this.shards = shards;
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
