package io.tidemark.engine.wal;

import io.tidemark.codecs.block.FrameLayout;
import java.lang.foreign.MemorySegment;

/**
 * Builds one SAMPLES record in place in a {@link WalWriter}'s buffer, in either
 * {@link SamplesEncoding}: {@link #begin} at a reserved frame, {@link #add} per sample until it
 * reports the record full, {@link #seal} to write the record header. The writer seals and begins a
 * new record when {@link #add} says no. Single-threaded, allocation-free.
 */
final class SamplesRecordEncoder {
    private static final int HEADER_WORD = WalRecordLayout.TYPE_SAMPLES << 24;

    private final MemorySegment buffer;
    private final boolean fixed;
    private final int headerWord;

    private long frame;
    private long cursor;
    private long limit;
    private int count;
    private long baseTime;
    private int previousSeries;
    private long previousTime;

    SamplesRecordEncoder(final MemorySegment buffer, final SamplesEncoding encoding) {
        this.buffer = buffer;
        this.fixed = encoding == SamplesEncoding.FIXED_16;
        this.headerWord = HEADER_WORD | (encoding.code() & 0xFF) << 16;
    }

    /** Starts a record in the frame at {@code frameOffset} whose payload may use {@code room} bytes. */
    void begin(final long frameOffset, final long room, final long timestamp) {
        frame = frameOffset;
        final long payloadStart = frameOffset + FrameLayout.HEADER_BYTES;
        limit = payloadStart + room;
        cursor = payloadStart + WalRecordLayout.SAMPLES_DATA_OFFSET;
        count = 0;
        baseTime = timestamp;
        previousSeries = 0;
        previousTime = timestamp;
    }

    /** Adds a sample; false (and nothing written) if it does not fit in this record. */
    boolean add(final int seriesId, final long timestamp, final long valueBits) {
        final MemorySegment out = buffer;
        long at = cursor;
        if (fixed) {
            final long delta = timestamp - baseTime;
            if (at + WalRecordLayout.FIXED_SAMPLE_BYTES > limit || delta != (int) delta) {
                return false;
            }
            out.set(WalRecordLayout.I32, at, seriesId);
            out.set(WalRecordLayout.I32, at + WalRecordLayout.FIXED_TIME_OFFSET, (int) delta);
            out.set(WalRecordLayout.I64, at + WalRecordLayout.FIXED_VALUE_OFFSET, valueBits);
            cursor = at + WalRecordLayout.FIXED_SAMPLE_BYTES;
        } else {
            if (at + WalRecordLayout.VARINT_MAX_SAMPLE_BYTES > limit) {
                return false;
            }
            at = WalVarint.write(out, at, (long) seriesId - previousSeries);
            at = WalVarint.write(out, at, timestamp - previousTime);
            out.set(WalRecordLayout.I64, at, valueBits);
            cursor = at + Long.BYTES;
            previousSeries = seriesId;
            previousTime = timestamp;
        }
        count++;
        return true;
    }

    /** Writes the record header; returns the payload length. */
    int seal() {
        final long payloadStart = frame + FrameLayout.HEADER_BYTES;
        buffer.set(WalRecordLayout.I32, payloadStart, headerWord);
        buffer.set(WalRecordLayout.I32, payloadStart + WalRecordLayout.SAMPLES_COUNT_OFFSET, count);
        buffer.set(WalRecordLayout.I64, payloadStart + WalRecordLayout.SAMPLES_BASE_TIME_OFFSET, baseTime);
        return (int) (cursor - payloadStart);
    }

    /** The frame offset of the record being built. */
    long frame() {
        return frame;
    }

    /** Samples in the record being built. */
    int count() {
        return count;
    }
}
