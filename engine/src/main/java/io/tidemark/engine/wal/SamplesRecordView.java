package io.tidemark.engine.wal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * A SAMPLES record during replay, read in place as a cursor: {@code while (view.next())} then
 * {@link #seriesId()}, {@link #timestamp()}, {@link #valueBits()} or {@link #value()} of the current
 * sample. Reused per record; valid during the visitor's call only. Allocates nothing.
 *
 * <p>A record's checksum was verified before it is shown; a record that still does not parse (a
 * varint running past the end, bytes left over) throws {@link CorruptWalException} from
 * {@link #next()}.
 */
public final class SamplesRecordView {
    private MemorySegment region;
    private Path path;
    private long sequence;
    private long segment;
    private boolean fixed;
    private SamplesEncoding encoding;
    private int count;
    private long baseTime;
    private long first;
    private long end;

    private long at;
    private int remaining;
    private int seriesId;
    private long timestamp;
    private long valueBits;

    void reset(final MemorySegment mapped, final Path file, final long recordSequence, final long segmentNumber,
               final SamplesEncoding samplesEncoding, final long payloadStart, final int payloadLength) {
        region = mapped;
        path = file;
        sequence = recordSequence;
        segment = segmentNumber;
        encoding = samplesEncoding;
        fixed = samplesEncoding == SamplesEncoding.FIXED_16;
        count = mapped.get(WalRecordLayout.I32, payloadStart + WalRecordLayout.SAMPLES_COUNT_OFFSET);
        baseTime = mapped.get(WalRecordLayout.I64, payloadStart + WalRecordLayout.SAMPLES_BASE_TIME_OFFSET);
        first = payloadStart + WalRecordLayout.SAMPLES_DATA_OFFSET;
        end = payloadStart + payloadLength;
        final long dataBytes = end - first;
        if (fixed ? count < 0 || dataBytes != (long) count * WalRecordLayout.FIXED_SAMPLE_BYTES
                  : count < 0 || dataBytes < 10L * count || dataBytes > (long) WalRecordLayout.VARINT_MAX_SAMPLE_BYTES * count) {
            throw new CorruptWalException(file, payloadStart - 8, "SAMPLES data matching count=" + count + " in " + encoding,
                dataBytes + " bytes");
        }
        rewind();
    }

    /** Starts the iteration over again. */
    public void rewind() {
        at = first;
        remaining = count;
        seriesId = 0;
        timestamp = baseTime;
    }

    /** The record's sequence number. */
    public long sequence() {
        return sequence;
    }

    /** The segment the record is in. */
    public long segment() {
        return segment;
    }

    /** How the record lays out its samples. */
    public SamplesEncoding encoding() {
        return encoding;
    }

    /** Samples in the record. */
    public int count() {
        return count;
    }

    /** Moves to the next sample; false after the last. */
    public boolean next() {
        if (remaining == 0) {
            return false;
        }
        remaining--;
        final MemorySegment in = region;
        long p = at;
        if (fixed) {
            seriesId = in.get(WalRecordLayout.I32, p);
            timestamp = baseTime + in.get(WalRecordLayout.I32, p + WalRecordLayout.FIXED_TIME_OFFSET);
            valueBits = in.get(WalRecordLayout.I64, p + WalRecordLayout.FIXED_VALUE_OFFSET);
            at = p + WalRecordLayout.FIXED_SAMPLE_BYTES;
            return true;
        }
        final long stop = end;
        // Series delta, then time delta: zigzag LEB128, each bounded by the record's end and 10 bytes.
        seriesId = (int) (seriesId + zigzagVarint(in, stop));
        timestamp += zigzagVarint(in, stop);
        p = at;
        if (p + Long.BYTES > stop || remaining == 0 && p + Long.BYTES != stop) {
            throw overrun(p);
        }
        valueBits = in.get(WalRecordLayout.I64, p);
        at = p + Long.BYTES;
        return true;
    }

    /** Reads one zigzag LEB128 varint at {@link #at}, not past {@code stop}, and moves {@link #at} past it. */
    private long zigzagVarint(final MemorySegment in, final long stop) {
        long p = at;
        long bits = 0;
        int shift = 0;
        int b;
        do {
            if (p >= stop || shift > 63) {
                throw overrun(p);
            }
            b = in.get(ValueLayout.JAVA_BYTE, p++);
            bits |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0);
        at = p;
        return WalVarint.unzigzag(bits);
    }

    /** Series id of the current sample. */
    public int seriesId() {
        return seriesId;
    }

    /** Time of the current sample, in ms. */
    public long timestamp() {
        return timestamp;
    }

    /** Value of the current sample as IEEE 754 bits, exactly as appended. */
    public long valueBits() {
        return valueBits;
    }

    /** Value of the current sample (NaN payloads kept: {@code Double.longBitsToDouble} of the bits). */
    public double value() {
        return Double.longBitsToDouble(valueBits);
    }

    private CorruptWalException overrun(final long offset) {
        return new CorruptWalException(path, offset, "DELTA_VARINT samples that end exactly at the record's end "
            + end + " (record " + sequence + ")", "samples running to offset " + offset);
    }
}
