package io.tidemark.engine.wal;

import java.lang.foreign.MemorySegment;

/**
 * A SERIES record during replay: the series id and its canonical label bytes, read in place. The
 * label bytes are {@code labelsLength()} bytes at {@code labelsOffset()} in {@code labelsSegment()},
 * which is the form {@code SeriesRegistry.getOrCreate(segment, offset, length)} takes. Reused per
 * record; valid during the visitor's call only.
 */
public final class SeriesRecordView {
    private MemorySegment region;
    private long sequence;
    private long segment;
    private int seriesId;
    private long labelsOffset;
    private int labelsLength;

    void reset(final MemorySegment mapped, final long recordSequence, final long segmentNumber, final long payloadStart,
               final int payloadLength) {
        region = mapped;
        sequence = recordSequence;
        segment = segmentNumber;
        seriesId = mapped.get(WalRecordLayout.I32, payloadStart + WalRecordLayout.SERIES_ID_OFFSET);
        labelsOffset = payloadStart + WalRecordLayout.SERIES_LABELS_OFFSET;
        labelsLength = payloadLength - WalRecordLayout.SERIES_LABELS_OFFSET;
    }

    /** The record's sequence number. */
    public long sequence() {
        return sequence;
    }

    /** The segment the record is in. */
    public long segment() {
        return segment;
    }

    /** The series id. */
    public int seriesId() {
        return seriesId;
    }

    /** The memory holding the label bytes (the whole mapped segment). */
    public MemorySegment labelsSegment() {
        return region;
    }

    /** Offset of the label bytes in {@link #labelsSegment()}. */
    public long labelsOffset() {
        return labelsOffset;
    }

    /** Length of the label bytes. */
    public int labelsLength() {
        return labelsLength;
    }

    /** A copy of the label bytes on the heap. Allocates. */
    public byte[] copyLabels() {
        final byte[] copy = new byte[labelsLength];
        MemorySegment.copy(region, labelsOffset, MemorySegment.ofArray(copy), 0, labelsLength);
        return copy;
    }
}
