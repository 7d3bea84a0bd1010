package io.tidemark.codecs.chunk;

import io.tidemark.memory.Allocation;
import io.tidemark.memory.BitWriter;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Encodes a finished run of samples, either in the smallest {@link ChunkEncoding} ({@link #encode})
 * or in a given one ({@link #encodeAs}). Packed sizes are computed exactly without writing; the
 * XOR-based candidates are written to scratch memory to be measured. The encoding is the chunk's
 * first byte.
 *
 * <p>Not thread-safe: one per sealing thread. Holds scratch memory for {@code maxSamples} samples
 * under {@link MemoryTag#CODEC_SCRATCH}; close it to give that back. Allocates nothing per chunk.
 */
public final class ChunkEncoder implements AutoCloseable {
    /** Returned when the chunk does not fit before the limit. */
    public static final int NO_ROOM = -1;
    /** Returned by {@link #encodeAs} for {@link ChunkEncoding#PACKED_DECIMAL} when some value is not a short decimal. */
    public static final int NOT_APPLICABLE = -2;

    private final int maxSamples;
    private final Allocation scratch;
    private final GorillaEncoder gorilla = new GorillaEncoder();
    private final DeltaPackedWriter timestampRun = new DeltaPackedWriter();
    private final DeltaPackedWriter valueRun = new DeltaPackedWriter();
    private final XorValueWriter xorValues = new XorValueWriter();
    private final BitWriter bits = new BitWriter();
    private final DeltaPackedWriter scaledRun = new DeltaPackedWriter();
    private final long[] scaled;
    private final long[] reduced;
    private int decimalExponent;
    private int scaledForm;
    private long scaledFactor;
    private ChunkEncoding lastEncoding;

    public ChunkEncoder(final NativeAllocator allocator, final int maxSamples) {
        if (maxSamples < 1 || maxSamples > ChunkLayout.MAX_SAMPLES) {
            throw new IllegalArgumentException("maxSamples must be in 1.." + ChunkLayout.MAX_SAMPLES + ": maxSamples=" + maxSamples);
        }
        this.maxSamples = maxSamples;
        // room for two XOR-based candidates side by side: Gorilla, then packed timestamps with an XOR value stream
        this.scratch = allocator.allocate(MemoryTag.CODEC_SCRATCH, 2 * maxBytes(maxSamples) + 16L * maxSamples);
        this.scaled = new long[maxSamples];
        this.reduced = new long[maxSamples];
    }

    /** Bytes that a chunk of {@code samples} samples takes at most when {@link #encode} picks its encoding. */
    public static long maxBytes(final int samples) {
        return GorillaEncoder.maxBytes(samples);
    }

    /**
     * Encodes {@code timestamps[0..n)} and {@code values[0..n)} at {@code offset} of {@code out} in
     * the smallest encoding (see {@link #lastEncoding()}).
     *
     * @return the chunk's byte length, or {@link #NO_ROOM} if it does not fit before {@code limit}
     */
    public int encode(final long[] timestamps, final double[] values, final int n, final MemorySegment out,
                      final long offset, final long limit) {
        checkCount(n);
        final MemorySegment work = scratch.segment();
        final long gorillaBytes = writeGorilla(timestamps, values, n, work, 0, work.byteSize());
        final long timestampBytes = timestampRun.plan(timestamps, n);
        final long decimalBytes = planDecimal(values, n, timestampBytes);
        final long scaledBytes = planScaled(values, n, timestampBytes, decimalBytes != Long.MAX_VALUE, false);
        final long xorAt = gorillaBytes;
        final long xorBytes = writePackedXor(values, n, timestampBytes, work, xorAt, work.byteSize());
        if (scaledBytes < decimalBytes && scaledBytes <= xorBytes && scaledBytes <= gorillaBytes) {
            return writePlannedScaled(n, scaledBytes, out, offset, limit);
        }
        if (decimalBytes <= xorBytes && decimalBytes <= gorillaBytes) {
            return writePlannedDecimal(n, decimalBytes, out, offset, limit);
        }
        final boolean xorWins = xorBytes < gorillaBytes;
        final long chosenAt = xorWins ? xorAt : 0;
        final long chosenBytes = xorWins ? xorBytes : gorillaBytes;
        if (offset + chosenBytes > limit) {
            return NO_ROOM;
        }
        MemorySegment.copy(work, chosenAt, out, offset, chosenBytes);
        lastEncoding = xorWins ? ChunkEncoding.PACKED_XOR : ChunkEncoding.GORILLA;
        return (int) chosenBytes;
    }

    /**
     * Encodes in the given encoding.
     *
     * @return the chunk's byte length, {@link #NO_ROOM}, or {@link #NOT_APPLICABLE}
     */
    public int encodeAs(final ChunkEncoding encoding, final long[] timestamps, final double[] values, final int n,
                        final MemorySegment out, final long offset, final long limit) {
        checkCount(n);
        final long bytes = switch (encoding) {
            case GORILLA -> writeGorilla(timestamps, values, n, out, offset, limit);
            case PACKED_XOR -> writePackedXor(values, n, timestampRun.plan(timestamps, n), out, offset, limit);
            case PACKED_DECIMAL -> {
                final long planned = planDecimal(values, n, timestampRun.plan(timestamps, n));
                yield planned == Long.MAX_VALUE ? NOT_APPLICABLE : writePlannedDecimal(n, planned, out, offset, limit);
            }
            case PACKED_SCALED -> {
                final long timestampBytes = timestampRun.plan(timestamps, n);
                final boolean decimal = planDecimal(values, n, timestampBytes) != Long.MAX_VALUE;
                final long planned = planScaled(values, n, timestampBytes, decimal, true);
                yield planned == Long.MAX_VALUE ? NOT_APPLICABLE : writePlannedScaled(n, planned, out, offset, limit);
            }
        };
        if (bytes == Long.MAX_VALUE) {
            return NO_ROOM;
        }
        if (bytes >= 0) {
            lastEncoding = encoding;
        }
        return (int) bytes;
    }

    /** The encoding the last successful encode chose. */
    public ChunkEncoding lastEncoding() {
        return lastEncoding;
    }

    private void checkCount(final int n) {
        if (n < 1 || n > maxSamples) {
            throw new IllegalArgumentException("sample count out of range: n=" + n + " maxSamples=" + maxSamples);
        }
    }

    /** Gorilla chunk bytes, or Long.MAX_VALUE if it does not fit. */
    private long writeGorilla(final long[] timestamps, final double[] values, final int n, final MemorySegment out,
                              final long offset, final long limit) {
        if (limit - offset < ChunkLayout.HEADER_BYTES) {
            return Long.MAX_VALUE;
        }
        final long streamAt = offset + ChunkLayout.HEADER_BYTES;
        if (limit - streamAt >= GorillaStreamWriter.maxStreamBytes(n, true) + GorillaStreamWriter.SLACK_BYTES) {
            writeHeader(out, offset, ChunkEncoding.GORILLA, n);
            final long streamBits = GorillaStreamWriter.write(out, streamAt, timestamps, values, n);
            return ChunkLayout.HEADER_BYTES + (streamBits + 7) / 8;
        }
        // a tight region: the appender checks room per sample
        gorilla.start(out, offset, limit);
        for (int i = 0; i < n; i++) {
            if (!gorilla.append(timestamps[i], values[i])) {
                return Long.MAX_VALUE;
            }
        }
        return gorilla.finish();
    }

    /** PACKED_XOR chunk bytes (timestamps already planned), or Long.MAX_VALUE if it does not fit. */
    private long writePackedXor(final double[] values, final int n, final long timestampBytes, final MemorySegment out,
                                final long offset, final long limit) {
        final long valuesAt = offset + ChunkLayout.HEADER_BYTES + timestampBytes;
        if (valuesAt > limit) {
            return Long.MAX_VALUE;
        }
        final long streamBits;
        if (limit - valuesAt >= GorillaStreamWriter.maxStreamBytes(n, false) + GorillaStreamWriter.SLACK_BYTES) {
            streamBits = GorillaStreamWriter.write(out, valuesAt, null, values, n);
        } else {
            // a tight region: the bit writer checks room per word
            bits.wrap(out, valuesAt, limit);
            xorValues.writeFirst(bits, values[0]);
            for (int i = 1; i < n; i++) {
                xorValues.write(bits, values[i]);
            }
            streamBits = bits.finish();
            if (bits.hasOverflowed()) {
                return Long.MAX_VALUE;
            }
        }
        writeHeader(out, offset, ChunkEncoding.PACKED_XOR, n);
        timestampRun.write(out, offset + ChunkLayout.HEADER_BYTES);
        return valuesAt - offset + (streamBits + 7) / 8;
    }

    /** PACKED_DECIMAL chunk bytes (timestamps already planned), or Long.MAX_VALUE if some value is not a short decimal. */
    private long planDecimal(final double[] values, final int n, final long timestampBytes) {
        final int exponent = DecimalScaler.scale(values, n, scaled);
        if (exponent < 0) {
            return Long.MAX_VALUE;
        }
        decimalExponent = exponent;
        return ChunkLayout.HEADER_BYTES + timestampBytes + 1 + valueRun.plan(scaled, n);
    }

    private int writePlannedDecimal(final int n, final long bytes, final MemorySegment out, final long offset,
                                    final long limit) {
        if (offset + bytes > limit) {
            return NO_ROOM;
        }
        writeHeader(out, offset, ChunkEncoding.PACKED_DECIMAL, n);
        final long exponentAt = timestampRun.write(out, offset + ChunkLayout.HEADER_BYTES);
        out.set(ValueLayout.JAVA_BYTE, exponentAt, (byte) decimalExponent);
        valueRun.write(out, exponentAt + 1);
        lastEncoding = ChunkEncoding.PACKED_DECIMAL;
        return (int) bytes;
    }

    /**
     * PACKED_SCALED chunk bytes (timestamps already planned), or Long.MAX_VALUE when the values have
     * no scaled form, or when the form would be PACKED_DECIMAL's (no factor, quotient) and
     * {@code plainAllowed} is false. With {@code decimal}, {@link #scaled} holds the quotient form's
     * mantissas; otherwise it is free and the product form is tried in it.
     */
    private long planScaled(final double[] values, final int n, final long timestampBytes, final boolean decimal,
                            final boolean plainAllowed) {
        int form;
        if (decimal) {
            form = decimalExponent;
        } else {
            final int exponent = DecimalScaler.scaleProduct(values, n, scaled);
            if (exponent < 0) {
                return Long.MAX_VALUE;
            }
            form = exponent | ChunkLayout.SCALED_PRODUCT;
        }
        final long factor = DecimalScaler.commonFactor(scaled, n);
        if (factor == 1) {
            if (decimal && !plainAllowed) {
                return Long.MAX_VALUE;
            }
            scaledForm = form;
            scaledFactor = 1;
            return ChunkLayout.HEADER_BYTES + timestampBytes + 1 + scaledRun.plan(scaled, n);
        }
        for (int i = 0; i < n; i++) {
            reduced[i] = scaled[i] / factor;
        }
        scaledForm = form | ChunkLayout.SCALED_FACTOR;
        scaledFactor = factor;
        return ChunkLayout.HEADER_BYTES + timestampBytes + 1 + Varint.signedLength(factor) + scaledRun.plan(reduced, n);
    }

    private int writePlannedScaled(final int n, final long bytes, final MemorySegment out, final long offset,
                                   final long limit) {
        if (offset + bytes > limit) {
            return NO_ROOM;
        }
        writeHeader(out, offset, ChunkEncoding.PACKED_SCALED, n);
        long position = timestampRun.write(out, offset + ChunkLayout.HEADER_BYTES);
        out.set(ValueLayout.JAVA_BYTE, position++, (byte) scaledForm);
        if ((scaledForm & ChunkLayout.SCALED_FACTOR) != 0) {
            position = Varint.writeSigned(out, position, scaledFactor);
        }
        scaledRun.write(out, position);
        lastEncoding = ChunkEncoding.PACKED_SCALED;
        return (int) bytes;
    }

    private static void writeHeader(final MemorySegment out, final long offset, final ChunkEncoding encoding, final int n) {
        out.set(ValueLayout.JAVA_BYTE, offset + ChunkLayout.ENCODING_OFFSET, encoding.id());
        out.set(ChunkLayout.U16, offset + ChunkLayout.COUNT_OFFSET, (short) n);
    }

    @Override
    public void close() {
        scratch.close();
    }
}
