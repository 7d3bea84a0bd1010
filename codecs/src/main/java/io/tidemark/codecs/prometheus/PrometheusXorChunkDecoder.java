package io.tidemark.codecs.prometheus;

/**
 * Reads the samples of a Prometheus XOR chunk, as Prometheus' {@code xorIterator} does, from an array the caller
 * owns. Reusable: {@link #reset(byte[], int, int)} starts on another chunk. Input is untrusted: a chunk that ends
 * early is reported as {@link PrometheusChunkFormatException}, never read past. Not thread-safe.
 */
public final class PrometheusXorChunkDecoder {
    private byte[] bytes = new byte[0];
    private long bitPosition;
    private long bitEnd;
    private int samples;
    private int read;
    private long timestamp;
    private long timestampDelta;
    private long valueBits;
    private int leading;
    private int trailing;

    /** Starts reading the chunk in {@code bytes[offset, offset + length)}. */
    public void reset(final byte[] chunk, final int offset, final int length) {
        if (offset < 0 || length < 0 || offset > chunk.length - length) {
            throw new IllegalArgumentException("offset=" + offset + " length=" + length + " array=" + chunk.length);
        }
        if (length < PrometheusXorLayout.HEADER_BYTES) {
            throw new PrometheusChunkFormatException("chunk of " + length + " bytes has no 2-byte sample count");
        }
        this.bytes = chunk;
        this.samples = ((chunk[offset] & 0xFF) << 8) | (chunk[offset + 1] & 0xFF);
        this.bitPosition = (offset + (long) PrometheusXorLayout.HEADER_BYTES) * Byte.SIZE;
        this.bitEnd = (offset + (long) length) * Byte.SIZE;
        this.read = 0;
        this.timestamp = 0;
        this.timestampDelta = 0;
        this.valueBits = 0;
        this.leading = 0;
        this.trailing = 0;
    }

    /** The sample count in the chunk's header. */
    public int samples() {
        return samples;
    }

    /** Moves to the next sample; false after the last one. */
    public boolean next() {
        if (read == samples) {
            return false;
        }
        if (read == 0) {
            final long zigzag = readUnsignedVarint();
            timestamp = (zigzag >>> 1) ^ -(zigzag & 1);
            valueBits = readBits(64);
        } else if (read == 1) {
            timestampDelta = readUnsignedVarint();
            timestamp += timestampDelta;
            readValue();
        } else {
            int prefix = 0;
            while (prefix < 4 && readBits(1) == 1) {
                prefix++;
            }
            final long dod = switch (prefix) {
                case 0 -> 0;
                case 1 -> readSigned(PrometheusXorLayout.DOD_BITS_1);
                case 2 -> readSigned(PrometheusXorLayout.DOD_BITS_2);
                case 3 -> readSigned(PrometheusXorLayout.DOD_BITS_3);
                default -> readBits(64);
            };
            timestampDelta += dod;
            timestamp += timestampDelta;
            readValue();
        }
        read++;
        return true;
    }

    /** Timestamp of the current sample, milliseconds. */
    public long timestamp() {
        return timestamp;
    }

    /** Value of the current sample, bit for bit as written. */
    public double value() {
        return Double.longBitsToDouble(valueBits);
    }

    private long readSigned(final int count) {
        final long raw = readBits(count);
        // Prometheus' bucket ranges are -(2^(n-1) - 1) .. 2^(n-1), so only values above 2^(n-1) are negative.
        return raw > (1L << (count - 1)) ? raw - (1L << count) : raw;
    }

    private void readValue() {
        if (readBits(1) == 0) {
            return;
        }
        if (readBits(1) == 1) {
            leading = (int) readBits(5);
            int significant = (int) readBits(6);
            if (significant == 0) {
                significant = 64;
            }
            trailing = 64 - leading - significant;
            if (trailing < 0) {
                throw new PrometheusChunkFormatException("sample " + read + ": leading=" + leading
                    + " significant=" + significant + " exceed 64 bits");
            }
        }
        final int significant = 64 - leading - trailing;
        valueBits ^= readBits(significant) << trailing;
    }

    private long readUnsignedVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            final long b = readBits(8);
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new PrometheusChunkFormatException("sample " + read + ": varint longer than 10 bytes");
    }

    private long readBits(final int count) {
        if (bitPosition + count > bitEnd) {
            throw new PrometheusChunkFormatException("sample " + read + " of " + samples + ": needs " + count
                + " bits at bit " + bitPosition + ", chunk ends at bit " + bitEnd);
        }
        long result = 0;
        int remaining = count;
        while (remaining > 0) {
            final int index = (int) (bitPosition >>> 3);
            final int used = (int) (bitPosition & 7);
            final int free = 8 - used;
            final int take = Math.min(free, remaining);
            final int chunk = ((bytes[index] & 0xFF) >>> (free - take)) & ((1 << take) - 1);
            result = (result << take) | chunk;
            bitPosition += take;
            remaining -= take;
        }
        return result;
    }
}
