package io.tidemark.codecs.prometheus;

import java.util.Arrays;

/**
 * Appends samples to one Prometheus XOR chunk at a time, byte for byte as Prometheus'
 * {@code XORChunk.Appender} writes it. The bytes live in an array that is reused after {@link #reset()}; it grows
 * (per chunk, never per sample once warm). Not thread-safe.
 */
public final class PrometheusXorChunkEncoder {
    private byte[] bytes = new byte[256];
    private int bitPosition;
    private int samples;
    private long lastTimestamp;
    private long lastTimestampDelta;
    private long lastValueBits;
    private int leading;
    private int trailing;

    /** An encoder ready for the first sample of a chunk. */
    public PrometheusXorChunkEncoder() {
        reset();
    }

    /** Starts a new, empty chunk, keeping the array. */
    public void reset() {
        bytes[0] = 0;
        bytes[1] = 0;
        bitPosition = PrometheusXorLayout.HEADER_BYTES * Byte.SIZE;
        samples = 0;
        lastTimestamp = 0;
        lastTimestampDelta = 0;
        lastValueBits = 0;
        leading = PrometheusXorLayout.NO_LEADING;
        trailing = 0;
    }

    /** Appends one sample (milliseconds, float64 kept bit for bit). Throws when the chunk holds 65535 already. */
    public void append(final long timestamp, final double value) {
        if (samples == PrometheusXorLayout.MAX_SAMPLES) {
            throw new IllegalStateException("samples=" + samples + " max=" + PrometheusXorLayout.MAX_SAMPLES);
        }
        final long valueBits = Double.doubleToRawLongBits(value);
        if (samples == 0) {
            writeUnsignedVarint((timestamp << 1) ^ (timestamp >> 63));
            writeBits(valueBits, 64);
        } else if (samples == 1) {
            final long delta = timestamp - lastTimestamp;
            writeUnsignedVarint(delta);
            writeValue(valueBits);
            lastTimestampDelta = delta;
        } else {
            final long delta = timestamp - lastTimestamp;
            final long dod = delta - lastTimestampDelta;
            if (dod == 0) {
                writeBits(0, 1);
            } else if (PrometheusXorLayout.fits(dod, PrometheusXorLayout.DOD_BITS_1)) {
                writeBits(0b10, 2);
                writeBits(dod, PrometheusXorLayout.DOD_BITS_1);
            } else if (PrometheusXorLayout.fits(dod, PrometheusXorLayout.DOD_BITS_2)) {
                writeBits(0b110, 3);
                writeBits(dod, PrometheusXorLayout.DOD_BITS_2);
            } else if (PrometheusXorLayout.fits(dod, PrometheusXorLayout.DOD_BITS_3)) {
                writeBits(0b1110, 4);
                writeBits(dod, PrometheusXorLayout.DOD_BITS_3);
            } else {
                writeBits(0b1111, 4);
                writeBits(dod, 64);
            }
            writeValue(valueBits);
            lastTimestampDelta = delta;
        }
        lastTimestamp = timestamp;
        lastValueBits = valueBits;
        samples++;
        bytes[0] = (byte) (samples >>> 8);
        bytes[1] = (byte) samples;
    }

    /** Samples in the current chunk. */
    public int samples() {
        return samples;
    }

    /** Bytes of the current chunk, header included; the last byte is padded with zero bits. */
    public int length() {
        return (bitPosition + 7) >>> 3;
    }

    /** The array holding the chunk in {@code [0, length())}; replaced when it grows, valid until the next call. */
    public byte[] bytes() {
        return bytes;
    }

    private void writeValue(final long valueBits) {
        final long xor = valueBits ^ lastValueBits;
        if (xor == 0) {
            writeBits(0, 1);
            return;
        }
        writeBits(1, 1);
        int newLeading = Long.numberOfLeadingZeros(xor);
        final int newTrailing = Long.numberOfTrailingZeros(xor);
        if (newLeading > PrometheusXorLayout.MAX_LEADING) {
            newLeading = PrometheusXorLayout.MAX_LEADING;
        }
        if (leading != PrometheusXorLayout.NO_LEADING && newLeading >= leading && newTrailing >= trailing) {
            writeBits(0, 1);
            writeBits(xor >>> trailing, 64 - leading - trailing);
            return;
        }
        leading = newLeading;
        trailing = newTrailing;
        writeBits(1, 1);
        writeBits(newLeading, 5);
        final int significant = 64 - newLeading - newTrailing;
        writeBits(significant, 6); // 64 does not fit 6 bits: it is written as 0 and read back as 64
        writeBits(xor >>> newTrailing, significant);
    }

    private void writeUnsignedVarint(final long value) {
        long rest = value;
        while (Long.compareUnsigned(rest, 0x80) >= 0) {
            writeBits((rest & 0x7F) | 0x80, 8);
            rest >>>= 7;
        }
        writeBits(rest, 8);
    }

    /** Writes the low {@code count} bits of {@code value}, most significant first. */
    private void writeBits(final long value, final int count) {
        int remaining = count;
        while (remaining > 0) {
            final int index = bitPosition >>> 3;
            if (index == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            final int used = bitPosition & 7;
            if (used == 0) {
                bytes[index] = 0; // the array is reused: a fresh byte may hold an older chunk's bits
            }
            final int free = 8 - used;
            final int take = Math.min(free, remaining);
            final int chunk = (int) ((value >>> (remaining - take)) & ((1 << take) - 1));
            bytes[index] |= (byte) (chunk << (free - take));
            bitPosition += take;
            remaining -= take;
        }
    }
}
