package io.tidemark.server.remote;

import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Decompresses one snappy <em>block</em> (the remote-write framing; not the framed/stream format) into
 * a reusable off-heap buffer, reading the input in place. The preamble's uncompressed length is read
 * and checked against the maximum before anything is decompressed or allocated, so a small body cannot
 * make us allocate a large buffer; every literal and copy is checked against the input and the output
 * before it is done, so corrupt or truncated input gives a {@link RemoteWriteFormatException} and never
 * an out-of-bounds read or write. Not thread-safe: one per decoding thread.
 *
 * <p>Pure Java over {@link MemorySegment} rather than snappy-java's native decoder on direct
 * ByteBuffers, chosen by {@code RemoteWriteBenchmark} ({@code snappyPureJava} vs {@code snappyJava}, 2,000-sample
 * node requests of ~250 kB): both allocate 0 B per request; native decompresses about twice as fast (~4 GB/s
 * against ~2 GB/s on the 2-core build machine), but decompression is about a fifth of the whole ingest per
 * sample (~65 of ~300 ns), so native would save about an eighth of it. For that we would give up: any {@code MemorySegment} as
 * input (snappy-java takes only direct ByteBuffers, so a view per request), one error type of ours (it
 * throws {@code IOException}s and {@code SnappyError}), bounds checks in code we fuzz, and no native
 * library extracted at run time. Revisit if decompression ever dominates.
 */
public final class SnappyBlockDecoder implements AutoCloseable {
    private static final int LITERAL = 0;
    private static final int COPY_1_BYTE_OFFSET = 1;
    private static final int COPY_2_BYTE_OFFSET = 2;
    /** Bytes past the declared length the output keeps free, so short copies can move 8 bytes at a time. */
    private static final int SLACK = 16;

    private final long maxDecompressedBytes;
    private final GrowableNativeBuffer output;

    /** A decoder that refuses blocks declaring more than {@code maxDecompressedBytes}; buffers from {@code allocator}. */
    public SnappyBlockDecoder(final NativeAllocator allocator, final long maxDecompressedBytes) {
        if (maxDecompressedBytes <= 0 || maxDecompressedBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxDecompressedBytes must be in 1..2^31-1: maxDecompressedBytes=" + maxDecompressedBytes);
        }
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.output = new GrowableNativeBuffer(allocator);
    }

    /**
     * Decompresses {@code length} bytes at {@code offset} of {@code input} into {@link #output()};
     * returns the decompressed length.
     *
     * @throws RemoteWriteFormatException with reason {@code TOO_LARGE} if the declared length exceeds the
     *                                    maximum, {@code SNAPPY} if the block is corrupt or truncated
     */
    public long decompress(final MemorySegment input, final long offset, final long length) {
        if (offset < 0 || length < 0 || offset > input.byteSize() - length) {
            throw new IllegalArgumentException("range outside the input: offset=" + offset + " length=" + length
                + " inputBytes=" + input.byteSize());
        }
        final long end = offset + length;
        long in = offset;
        long declared = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 28) {
                throw RemoteWriteFormatException.snappy("uncompressed length varint longer than 5 bytes");
            }
            if (in >= end) {
                throw RemoteWriteFormatException.snappy("truncated in the uncompressed length (body of " + length + " bytes)");
            }
            final int b = input.get(ValueLayout.JAVA_BYTE, in++);
            declared |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                break;
            }
        }
        if (declared > maxDecompressedBytes) {
            throw new RemoteWriteFormatException(RemoteWriteFormatException.Reason.TOO_LARGE,
                "decompressed size " + declared + " bytes exceeds the limit of " + maxDecompressedBytes + " bytes");
        }
        final MemorySegment out = output.ensureCapacity(declared + SLACK);
        long op = 0;
        while (in < end) {
            final int tag = input.get(ValueLayout.JAVA_BYTE, in++) & 0xFF;
            final int type = tag & 3;
            if (type == LITERAL) {
                long literal = tag >>> 2;
                if (literal >= 60) {
                    final int extraBytes = (int) literal - 59;
                    if (extraBytes > end - in) {
                        throw RemoteWriteFormatException.snappy("truncated literal length at offset " + (in - offset));
                    }
                    literal = littleEndian(input, in, extraBytes);
                    in += extraBytes;
                }
                literal++;
                if (literal > end - in) {
                    throw RemoteWriteFormatException.snappy("literal of " + literal + " bytes at offset " + (in - offset)
                        + " runs past the end of the body (" + (end - in) + " bytes left)");
                }
                if (literal > declared - op) {
                    throw RemoteWriteFormatException.snappy("literal of " + literal + " bytes overflows the declared length "
                        + declared + " at output offset " + op);
                }
                if (literal <= SLACK && end - in >= SLACK) {
                    // Short literal with 16 readable bytes: two wide moves; the bytes written past it are
                    // overwritten next (or lie in the slack).
                    out.set(ValueLayout.JAVA_LONG_UNALIGNED, op, input.get(ValueLayout.JAVA_LONG_UNALIGNED, in));
                    out.set(ValueLayout.JAVA_LONG_UNALIGNED, op + 8, input.get(ValueLayout.JAVA_LONG_UNALIGNED, in + 8));
                } else {
                    MemorySegment.copy(input, in, out, op, literal);
                }
                in += literal;
                op += literal;
                continue;
            }
            final int copyLength;
            final long copyOffset;
            if (type == COPY_1_BYTE_OFFSET) {
                if (in >= end) {
                    throw RemoteWriteFormatException.snappy("truncated copy at offset " + (in - offset));
                }
                copyLength = 4 + ((tag >>> 2) & 7);
                copyOffset = ((tag >>> 5) << 8) | (input.get(ValueLayout.JAVA_BYTE, in++) & 0xFF);
            } else {
                final int offsetBytes = type == COPY_2_BYTE_OFFSET ? 2 : 4;
                if (offsetBytes > end - in) {
                    throw RemoteWriteFormatException.snappy("truncated copy at offset " + (in - offset));
                }
                copyLength = (tag >>> 2) + 1;
                copyOffset = littleEndian(input, in, offsetBytes);
                in += offsetBytes;
            }
            if (copyOffset == 0 || copyOffset > op) {
                throw RemoteWriteFormatException.snappy("copy offset " + copyOffset + " at output offset " + op
                    + " points outside the output");
            }
            if (copyLength > declared - op) {
                throw RemoteWriteFormatException.snappy("copy of " + copyLength + " bytes overflows the declared length "
                    + declared + " at output offset " + op);
            }
            copy(out, op, copyOffset, copyLength);
            op += copyLength;
        }
        if (op != declared) {
            throw RemoteWriteFormatException.snappy("truncated: decompressed " + op + " of the declared " + declared + " bytes");
        }
        return declared;
    }

    /** The decompressed bytes of the last {@link #decompress}; valid until the next call. */
    public MemorySegment output() {
        return output.segment();
    }

    private static long littleEndian(final MemorySegment input, final long at, final int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value |= (long) (input.get(ValueLayout.JAVA_BYTE, at + i) & 0xFF) << (8 * i);
        }
        return value;
    }

    /** Snappy's copy: the source may overlap the bytes being written, which then repeat a pattern. */
    private static void copy(final MemorySegment out, final long op, final long distance, final int length) {
        if (distance >= Long.BYTES && length <= 64) {
            // Eight bytes at a time: with distance >= 8 each read is of bytes already written, so this is
            // right for overlapping copies too. The first two moves are made whatever the length (a copy of 16
            // bytes or less takes no loop), so up to 15 bytes past the copy are written, into the slack.
            out.set(ValueLayout.JAVA_LONG_UNALIGNED, op, out.get(ValueLayout.JAVA_LONG_UNALIGNED, op - distance));
            out.set(ValueLayout.JAVA_LONG_UNALIGNED, op + Long.BYTES, out.get(ValueLayout.JAVA_LONG_UNALIGNED, op - distance + Long.BYTES));
            for (int k = 2 * Long.BYTES; k < length; k += Long.BYTES) {
                out.set(ValueLayout.JAVA_LONG_UNALIGNED, op + k, out.get(ValueLayout.JAVA_LONG_UNALIGNED, op - distance + k));
            }
            return;
        }
        if (distance >= length) {
            MemorySegment.copy(out, op - distance, out, op, length);
            return;
        }
        // Overlapping: copy in steps of at most `distance` bytes, each reading only bytes already written.
        long done = 0;
        while (done < length) {
            final long step = Math.min(distance, length - done);
            MemorySegment.copy(out, op + done - distance, out, op + done, step);
            done += step;
        }
    }

    /** Frees the output buffer if it grew past {@code keepAtMost} bytes (after an unusually large request). */
    public void trim(final long keepAtMost) {
        output.trim(keepAtMost);
    }

    /** Releases the output buffer. */
    @Override
    public void close() {
        output.close();
    }
}
