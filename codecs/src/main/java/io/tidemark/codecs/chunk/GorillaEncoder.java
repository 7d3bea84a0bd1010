package io.tidemark.codecs.chunk;

import io.tidemark.memory.BitWriter;
import java.lang.foreign.MemorySegment;

/**
 * Appends samples to a {@link ChunkEncoding#GORILLA} chunk one at a time: the encoding of the open
 * chunks in the head. Body, one bit stream, MSB first:
 * <pre>
 *   sample 0:  timestamp:64  value:64
 *   sample i:  timestamp as delta-of-delta dod = (t(i) - t(i-1)) - (t(i-1) - t(i-2)), with t(-1) = t(0):
 *                '0'              dod = 0
 *                '10'   + 7 bits  dod in [-64, 63]
 *                '110'  + 12 bits dod in [-2048, 2047]
 *                '1110' + 20 bits dod in [-524288, 524287]
 *                '1111' + 64 bits any dod (all arithmetic is mod 2^64)
 *              value as in {@link XorValueWriter}
 * </pre>
 *
 * <p>Not thread-safe; reusable via {@link #start}. Allocates nothing.
 *
 * <p>Many open chunks, one encoder: a head keeps each open chunk's state ({@link #count()},
 * {@link #bitLength()}, {@link #previousTimestamp()}, {@link #previousDelta()},
 * {@link #previousValueBits()}, {@link #valueWindow()}) with the chunk, and {@link #resume}s the
 * encoder on it for each append. Bytes of samples already written are never changed by later
 * appends (the stream's last partial word is rewritten with the same leading bits), so a reader
 * that knows a sample count can decode that many samples while the writer appends.
 */
public final class GorillaEncoder {
    /** Bits the largest sample after the first can take. */
    public static final int MAX_BITS_PER_SAMPLE = 4 + 64 + XorValueWriter.MAX_BITS;
    /** Bytes a chunk of {@code n} samples can take at most. */
    public static long maxBytes(final int samples) {
        return ChunkLayout.HEADER_BYTES + (128 + (long) Math.max(0, samples - 1) * MAX_BITS_PER_SAMPLE + 7) / 8;
    }

    private final BitWriter bits = new BitWriter();
    private final XorValueWriter values = new XorValueWriter();
    private MemorySegment segment;
    private long offset;
    private int count;
    private long previousTimestamp;
    private long previousDelta;

    /** Starts an empty chunk at {@code offset}; it may use bytes up to {@code limit} (exclusive). */
    public GorillaEncoder start(final MemorySegment segment, final long offset, final long limit) {
        if (limit - offset < ChunkLayout.HEADER_BYTES) {
            throw new IllegalArgumentException("no room for a chunk header: offset=" + offset + " limit=" + limit);
        }
        this.segment = segment;
        this.offset = offset;
        this.count = 0;
        segment.set(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + ChunkLayout.ENCODING_OFFSET, ChunkEncoding.GORILLA.id());
        bits.wrap(segment, offset + ChunkLayout.HEADER_BYTES, limit);
        return this;
    }

    /**
     * Resumes appending to the chunk at {@code offset} (region up to {@code limit}) from state saved
     * after an earlier append; see the class comment.
     */
    public GorillaEncoder resume(final MemorySegment segment, final long offset, final long limit, final int samples,
                                 final long bitLength, final long lastTimestamp, final long lastDelta,
                                 final long lastValueBits, final int window) {
        this.segment = segment;
        this.offset = offset;
        this.count = samples;
        this.previousTimestamp = lastTimestamp;
        this.previousDelta = lastDelta;
        bits.wrapForAppend(segment, offset + ChunkLayout.HEADER_BYTES, limit, bitLength);
        values.resume(lastValueBits, window);
        return this;
    }

    /** Bits of the sample stream so far (after the header). */
    public long bitLength() {
        return bits.bitLength();
    }

    /** Timestamp of the last sample appended. */
    public long previousTimestamp() {
        return previousTimestamp;
    }

    /** Delta between the last two timestamps (0 after the first sample). */
    public long previousDelta() {
        return previousDelta;
    }

    /** Raw bits of the last value appended. */
    public long previousValueBits() {
        return values.previousBits();
    }

    /** The XOR window of leading and trailing zeros, packed for {@link #resume}. */
    public int valueWindow() {
        return values.window();
    }

    /**
     * Appends a sample. Returns false, writing nothing, if the chunk is full (no room for the
     * largest possible sample, or {@link ChunkLayout#MAX_SAMPLES} reached): cut a new chunk.
     */
    public boolean append(final long timestamp, final double value) {
        if (count == 0) {
            if (bits.bitsRemaining() < 128) {
                return false;
            }
            bits.writeBits(timestamp, 64);
            values.writeFirst(bits, value);
            previousTimestamp = timestamp;
            previousDelta = 0;
            count = 1;
            return true;
        }
        if (count == ChunkLayout.MAX_SAMPLES || bits.bitsRemaining() < MAX_BITS_PER_SAMPLE) {
            return false;
        }
        final long delta = timestamp - previousTimestamp;
        final long dod = delta - previousDelta;
        previousTimestamp = timestamp;
        previousDelta = delta;
        // the timestamp code goes out with the value's in one write unless it is the 68-bit form
        if (dod == 0) {
            values.write(bits, value, 0, 1);
        } else if (fitsSigned(dod, 7)) {
            values.write(bits, value, 0b10L << 7 | (dod & 0x7F), 9);
        } else if (fitsSigned(dod, 12)) {
            values.write(bits, value, 0b110L << 12 | (dod & 0xFFF), 15);
        } else if (fitsSigned(dod, 20)) {
            values.write(bits, value, 0b1110L << 20 | (dod & 0xFFFFF), 24);
        } else {
            bits.writeBits(0b1111, 4);
            bits.writeBits(dod, 64);
            values.write(bits, value);
        }
        count++;
        return true;
    }

    static boolean fitsSigned(final long value, final int bitCount) {
        return (value << (64 - bitCount)) >> (64 - bitCount) == value;
    }

    /** Samples appended so far. */
    public int count() {
        return count;
    }

    /**
     * Stores the sample count and the stream's last bits; returns the chunk's byte length. Appending
     * may continue afterwards (call again to store the new state).
     */
    public int finish() {
        segment.set(ChunkLayout.U16, offset + ChunkLayout.COUNT_OFFSET, (short) count);
        final long streamBits = bits.finish();
        return (int) (ChunkLayout.HEADER_BYTES + (streamBits + 7) / 8);
    }
}
