package io.tidemark.client.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes frames one after another into a direct buffer that grows (by doubling, up to {@code maxBytes}) and is then
 * reused: {@link #begin} a frame, put its fields, {@link #end} it (which writes its length and checks it against the
 * frame limit); {@link #buffer()} is everything written, ready for a channel; {@link #clear()} starts again. Writing
 * numbers and arrays allocates nothing once the buffer is large enough. Not thread-safe.
 */
public final class FrameWriter {
    private final int maxBytes;
    private ByteBuffer buffer;
    private MemorySegment segment;
    private long position;
    private long frameStart = -1;
    private int maxFrameBytes = Protocol.HANDSHAKE_MAX_FRAME_BYTES;

    /** A writer starting at {@code initialBytes}, growing to at most {@code maxBytes}. */
    public FrameWriter(final int initialBytes, final int maxBytes) {
        this.maxBytes = maxBytes;
        allocate(Math.max(64, initialBytes));
    }

    private void allocate(final int bytes) {
        final ByteBuffer grown = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final MemorySegment fresh = MemorySegment.ofBuffer(grown);
        if (segment != null) {
            MemorySegment.copy(segment, 0, fresh, 0, position);
        }
        buffer = grown;
        segment = fresh;
    }

    /** Frames longer than this fail in {@link #end()}. */
    public void maxFrameBytes(final int bytes) {
        this.maxFrameBytes = bytes;
    }

    /** The frame limit {@link #end()} checks. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Makes room for {@code bytes} more bytes. */
    public void ensure(final long bytes) {
        final long needed = position + bytes;
        if (needed <= segment.byteSize()) {
            return;
        }
        if (needed > maxBytes) {
            throw new IllegalStateException("frame buffer would need " + needed + " bytes, above its limit of " + maxBytes);
        }
        allocate((int) Math.min(maxBytes, Math.max(needed, segment.byteSize() * 2)));
    }

    /** Starts a frame of {@code type}. */
    public FrameWriter begin(final int type) {
        if (frameStart >= 0) {
            throw new IllegalStateException("a frame is already begun");
        }
        ensure(Protocol.HEADER_BYTES);
        frameStart = position;
        segment.set(Protocol.U32, position, 0);
        segment.set(ValueLayout.JAVA_BYTE, position + Protocol.TYPE_OFFSET, (byte) type);
        segment.set(ValueLayout.JAVA_BYTE, position + Protocol.FLAGS_OFFSET, (byte) 0);
        segment.set(Protocol.U16, position + Protocol.RESERVED_OFFSET, (short) 0);
        position += Protocol.HEADER_BYTES;
        return this;
    }

    /** Ends the frame: writes its length; returns it. Throws, dropping the frame, if it is above the frame limit. */
    public int end() {
        final long length = position - frameStart;
        if (length > maxFrameBytes) {
            position = frameStart;
            frameStart = -1;
            throw new IllegalArgumentException("a frame of " + length + " bytes is above the frame limit of " + maxFrameBytes);
        }
        segment.set(Protocol.U32, frameStart, (int) length);
        frameStart = -1;
        return (int) length;
    }

    /** Drops the frame begun and not ended. */
    public void abandon() {
        if (frameStart >= 0) {
            position = frameStart;
            frameStart = -1;
        }
    }

    /** Bytes of the frame begun so far, header included. */
    public long frameLength() {
        return position - frameStart;
    }

    /** Puts an unsigned byte. */
    public FrameWriter u8(final int value) {
        ensure(1);
        segment.set(ValueLayout.JAVA_BYTE, position, (byte) value);
        position++;
        return this;
    }

    /** Puts an unsigned 16-bit integer. */
    public FrameWriter u16(final int value) {
        ensure(2);
        segment.set(Protocol.U16, position, (short) value);
        position += 2;
        return this;
    }

    /** Puts an unsigned 32-bit integer. */
    public FrameWriter u32(final long value) {
        ensure(4);
        segment.set(Protocol.U32, position, (int) value);
        position += 4;
        return this;
    }

    /** Puts a 64-bit integer. */
    public FrameWriter i64(final long value) {
        ensure(8);
        segment.set(Protocol.I64, position, value);
        position += 8;
        return this;
    }

    /** Puts a 64-bit float, bit pattern kept. */
    public FrameWriter f64(final double value) {
        return i64(Double.doubleToRawLongBits(value));
    }

    /** Puts {@code bytes} zero bytes. */
    public FrameWriter zeros(final int bytes) {
        ensure(bytes);
        segment.asSlice(position, bytes).fill((byte) 0);
        position += bytes;
        return this;
    }

    /** Puts a {@code str16}. */
    public FrameWriter string16(final String text) {
        return bytes16(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Puts UTF-8 bytes as a {@code str16}. */
    public FrameWriter bytes16(final byte[] utf8) {
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("a str16 holds at most 65535 bytes, not " + utf8.length);
        }
        u16(utf8.length);
        return raw(utf8, 0, utf8.length);
    }

    /** Puts a {@code str32}. */
    public FrameWriter string32(final String text) {
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        u32(utf8.length);
        return raw(utf8, 0, utf8.length);
    }

    /** Puts bytes as they are. */
    public FrameWriter raw(final byte[] bytes, final int offset, final int length) {
        ensure(length);
        MemorySegment.copy(bytes, offset, segment, ValueLayout.JAVA_BYTE, position, length);
        position += length;
        return this;
    }

    /** Puts {@code length} bytes at {@code offset} of {@code source} as they are. */
    public FrameWriter raw(final MemorySegment source, final long offset, final long length) {
        ensure(length);
        MemorySegment.copy(source, offset, segment, position, length);
        position += length;
        return this;
    }

    /** Puts {@code count} u32 values. */
    public FrameWriter u32s(final int[] values, final int count) {
        return u32s(values, 0, count);
    }

    /** Puts the {@code count} u32 values from index {@code from}. */
    public FrameWriter u32s(final int[] values, final int from, final int count) {
        ensure(4L * count);
        MemorySegment.copy(values, from, segment, Protocol.U32, position, count);
        position += 4L * count;
        return this;
    }

    /** Puts {@code count} i64 values. */
    public FrameWriter i64s(final long[] values, final int count) {
        return i64s(values, 0, count);
    }

    /** Puts the {@code count} i64 values from index {@code from}. */
    public FrameWriter i64s(final long[] values, final int from, final int count) {
        ensure(8L * count);
        MemorySegment.copy(values, from, segment, Protocol.I64, position, count);
        position += 8L * count;
        return this;
    }

    /** Puts {@code count} f64 values, bit patterns kept. */
    public FrameWriter f64s(final double[] values, final int count) {
        return f64s(values, 0, count);
    }

    /** Puts the {@code count} f64 values from index {@code from}, bit patterns kept. */
    public FrameWriter f64s(final double[] values, final int from, final int count) {
        ensure(8L * count);
        MemorySegment.copy(values, from, segment, Protocol.F64, position, count);
        position += 8L * count;
        return this;
    }

    /** Writes a u16 at absolute offset {@code at} (a count filled in after its items). */
    public void patchU16(final long at, final int value) {
        segment.set(Protocol.U16, at, (short) value);
    }

    /** Writes a u32 at absolute offset {@code at}. */
    public void patchU32(final long at, final long value) {
        segment.set(Protocol.U32, at, (int) value);
    }

    /** Writes a u8 at absolute offset {@code at}. */
    public void patchU8(final long at, final int value) {
        segment.set(ValueLayout.JAVA_BYTE, at, (byte) value);
    }

    /** Absolute offset of the next byte. */
    public long position() {
        return position;
    }

    /** Bytes written. */
    public long size() {
        return position;
    }

    /** The memory written to (valid until the next write that grows it). */
    public MemorySegment segment() {
        return segment;
    }

    /** Everything written, positioned at 0 with its limit at {@link #size()} (valid until the next write that grows it). */
    public ByteBuffer buffer() {
        return buffer.limit((int) position).position(0);
    }

    /** Forgets everything written. */
    public void clear() {
        position = 0;
        frameStart = -1;
        buffer.clear();
    }
}
