package io.tidemark.client.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads one frame's fields in order, checking every read against the frame's end: a frame whose fields do not fit it
 * throws {@link ProtocolException} ({@link ErrorCode#MALFORMED_FRAME}) and never reads past it, whatever its lengths
 * and counts say. Positions are absolute offsets into the segment, so a server can read a network buffer in place
 * (a segment spanning its memory, {@link #frame} at the buffer's address). Reading numbers allocates nothing; strings
 * are decoded (and checked as UTF-8) into new {@link String}s. Not thread-safe; reusable.
 */
public final class FrameReader {
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private MemorySegment segment;
    private long start;
    private long end;
    private long position;
    private int type;

    /**
     * Starts reading the frame of {@code length} bytes at {@code offset} of {@code source}: checks its header (the
     * length field equals {@code length}, flags and reserved are 0) and stands at its body.
     */
    public FrameReader frame(final MemorySegment source, final long offset, final long length) {
        if (length < Protocol.HEADER_BYTES) {
            throw malformed("a frame of " + length + " bytes is shorter than its header");
        }
        if (offset < 0 || offset > source.byteSize() - length) {
            throw malformed("a frame of " + length + " bytes at offset " + offset + " does not fit the "
                + source.byteSize() + " bytes given");
        }
        this.segment = source;
        this.start = offset;
        this.end = offset + length;
        final long declared = Integer.toUnsignedLong(source.get(Protocol.U32, offset + Protocol.LENGTH_OFFSET));
        if (declared != length) {
            throw malformed("frame length " + declared + " differs from the " + length + " bytes given");
        }
        this.type = source.get(ValueLayout.JAVA_BYTE, offset + Protocol.TYPE_OFFSET) & 0xFF;
        if (source.get(ValueLayout.JAVA_BYTE, offset + Protocol.FLAGS_OFFSET) != 0
            || source.get(Protocol.U16, offset + Protocol.RESERVED_OFFSET) != 0) {
            throw malformed(MessageType.name(type) + ": flags and reserved bytes must be 0 in version 1");
        }
        this.position = offset + Protocol.HEADER_BYTES;
        return this;
    }

    /** The frame's type ({@link MessageType}). */
    public int type() {
        return type;
    }

    /** The segment read. */
    public MemorySegment segment() {
        return segment;
    }

    /** Absolute offset of the next field. */
    public long position() {
        return position;
    }

    /** Bytes of the frame not yet read. */
    public long remaining() {
        return end - position;
    }

    /** Absolute offset of the frame's first byte. */
    public long frameStart() {
        return start;
    }

    private long take(final long bytes) {
        if (bytes < 0 || bytes > end - position) {
            throw malformed(MessageType.name(type) + ": needs " + bytes + " more bytes at offset " + (position - start)
                + " of a " + (end - start) + "-byte frame");
        }
        final long at = position;
        position += bytes;
        return at;
    }

    /** Skips {@code bytes} bytes. */
    public void skip(final long bytes) {
        take(bytes);
    }

    /** An unsigned byte. */
    public int u8() {
        return segment.get(ValueLayout.JAVA_BYTE, take(1)) & 0xFF;
    }

    /** An unsigned 16-bit integer. */
    public int u16() {
        return segment.get(Protocol.U16, take(2)) & 0xFFFF;
    }

    /** An unsigned 32-bit integer. */
    public long u32() {
        return Integer.toUnsignedLong(segment.get(Protocol.U32, take(4)));
    }

    /** A u32 count or size that must be at most {@code max} ({@code what} names it in the error). */
    public int u32Max(final long max, final String what) {
        final long value = u32();
        if (value > max) {
            throw malformed(MessageType.name(type) + ": " + what + " " + value + " is above the limit of " + max);
        }
        return (int) value;
    }

    /** A 64-bit integer. */
    public long i64() {
        return segment.get(Protocol.I64, take(8));
    }

    /** A 64-bit float, bit pattern kept. */
    public double f64() {
        return Double.longBitsToDouble(i64());
    }

    /** Zero bytes that must be zero ({@code bytes} of reserved space). */
    public void reserved(final int bytes) {
        final long at = take(bytes);
        for (int i = 0; i < bytes; i++) {
            if (segment.get(ValueLayout.JAVA_BYTE, at + i) != 0) {
                throw malformed(MessageType.name(type) + ": reserved bytes must be 0");
            }
        }
    }

    /**
     * Skips a {@code str16} and returns the absolute offset of its bytes; {@link #lastLength()} is its byte length.
     * Does not check the UTF-8.
     */
    public long string16At() {
        lastLength = u16();
        return take(lastLength);
    }

    private int lastLength;

    /** The byte length of the string {@link #string16At()} skipped. */
    public int lastLength() {
        return lastLength;
    }

    /** A {@code str16} of at most {@code maxBytes} bytes of valid UTF-8. */
    public String string16(final int maxBytes, final String what) {
        final int length = u16();
        return string(length, maxBytes, what);
    }

    /** A {@code str32} of at most {@code maxBytes} bytes of valid UTF-8. */
    public String string32(final int maxBytes, final String what) {
        return string(u32Max(maxBytes, what + " length"), maxBytes, what);
    }

    private String string(final int length, final int maxBytes, final String what) {
        if (length > maxBytes) {
            throw malformed(MessageType.name(type) + ": " + what + " of " + length + " bytes is above the limit of "
                + maxBytes);
        }
        final long at = take(length);
        if (length == 0) {
            return "";
        }
        final byte[] bytes = segment.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE);
        try {
            final CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (final CharacterCodingException e) {
            throw malformed(MessageType.name(type) + ": " + what + " is not valid UTF-8");
        }
    }

    /** Checks that every byte of the frame was read. */
    public void expectEnd() {
        if (position != end) {
            throw malformed(MessageType.name(type) + ": " + (end - position) + " bytes left over after the last field");
        }
    }

    /** A {@link ErrorCode#MALFORMED_FRAME} failure. */
    public static ProtocolException malformed(final String message) {
        return new ProtocolException(ErrorCode.MALFORMED_FRAME, message);
    }
}
