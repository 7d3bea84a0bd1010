package io.tidemark.server.remote;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads protobuf wire format in place from a {@link MemorySegment}: a position and the segment, with
 * every read checked against the end of the enclosing message that the caller passes in. Nothing is
 * allocated except the exception on corrupt input. Groups (wire types 3 and 4, unused by remote write)
 * are refused as corrupt. Not thread-safe.
 */
final class ProtoCursor {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private static final ValueLayout.OfLong LITTLE_ENDIAN_LONG =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private MemorySegment segment = MemorySegment.NULL;
    private long position;

    void reset(final MemorySegment bytes, final long at) {
        segment = bytes;
        position = at;
    }

    long position() {
        return position;
    }

    void position(final long at) {
        position = at;
    }

    MemorySegment segment() {
        return segment;
    }

    /** A field's key: {@code fieldNumber << 3 | wireType}. */
    int tag(final long end) {
        final long at = position;
        if (at < end) {
            // Fast path: field numbers below 16 have a one-byte key.
            final byte first = segment.get(ValueLayout.JAVA_BYTE, at);
            if (first >= 8) {
                position = at + 1;
                return first;
            }
        }
        final long key = varint(end);
        if (key >>> 32 != 0 || key >>> 3 == 0) {
            throw RemoteWriteFormatException.protobuf("invalid field key " + key + " at offset " + at);
        }
        return (int) key;
    }

    long varint(final long end) {
        final long start = position;
        if (start < end) {
            // Fast path: most lengths and small values fit in one byte.
            final byte first = segment.get(ValueLayout.JAVA_BYTE, start);
            if (first >= 0) {
                position = start + 1;
                return first;
            }
        }
        return varintSlow(end);
    }

    private long varintSlow(final long end) {
        final MemorySegment bytes = segment;
        long at = position;
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at >= end) {
                throw RemoteWriteFormatException.protobuf("truncated varint at offset " + position);
            }
            final byte b = bytes.get(ValueLayout.JAVA_BYTE, at++);
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                position = at;
                return value;
            }
        }
        throw RemoteWriteFormatException.protobuf("varint longer than 10 bytes at offset " + position);
    }

    long fixed64(final long end) {
        if (end - position < Long.BYTES) {
            throw RemoteWriteFormatException.protobuf("truncated fixed64 at offset " + position);
        }
        final long value = segment.get(LITTLE_ENDIAN_LONG, position);
        position += Long.BYTES;
        return value;
    }

    /** Reads a length prefix and returns where the delimited bytes end, checked against {@code end}. */
    long delimitedEnd(final long end) {
        final long at = position;
        final long length = varint(end);
        if (length < 0 || length > end - position) {
            throw RemoteWriteFormatException.protobuf("length " + length + " at offset " + at + " runs past the end ("
                + (end - position) + " bytes left)");
        }
        return position + length;
    }

    /** Skips a field's value of {@code wireType}. */
    void skip(final int wireType, final long end) {
        switch (wireType) {
            case VARINT -> varint(end);
            case FIXED64 -> advance(Long.BYTES, end);
            case LENGTH_DELIMITED -> position = delimitedEnd(end);
            case FIXED32 -> advance(Integer.BYTES, end);
            default -> throw RemoteWriteFormatException.protobuf("unsupported wire type " + wireType + " before offset " + position);
        }
    }

    /** Checks that field {@code field} came with {@code expected} wire type (gogo protobuf refuses others too). */
    void expectWireType(final int tag, final int expected) {
        if ((tag & 7) != expected) {
            throw RemoteWriteFormatException.protobuf("wrong wire type " + (tag & 7) + " for field " + (tag >>> 3)
                + " (expected " + expected + ") before offset " + position);
        }
    }

    private void advance(final int bytes, final long end) {
        if (end - position < bytes) {
            throw RemoteWriteFormatException.protobuf("truncated fixed" + bytes * 8 + " at offset " + position);
        }
        position += bytes;
    }
}
