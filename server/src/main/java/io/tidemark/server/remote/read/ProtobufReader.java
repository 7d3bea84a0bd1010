package io.tidemark.server.remote.read;

import java.nio.charset.StandardCharsets;

/**
 * Reads protobuf wire format from an array, checking every length against the end of the enclosing message. Any
 * malformation is a {@link RemoteReadException} with status 400 naming the offset. Not thread-safe.
 */
final class ProtobufReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private byte[] bytes = new byte[0];
    private int position;
    private int limit;

    void reset(final byte[] input, final int offset, final int length) {
        this.bytes = input;
        this.position = offset;
        this.limit = offset + length;
    }

    boolean hasMore() {
        return position < limit;
    }

    int position() {
        return position;
    }

    /** Reads a tag; returns {@code field << 3 | wireType}. */
    int readTag() {
        final long tag = readVarint();
        if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) {
            throw malformed("invalid field tag " + tag);
        }
        return (int) tag;
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= limit) {
                throw malformed("truncated varint");
            }
            final byte b = bytes[position++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw malformed("varint longer than 10 bytes");
    }

    long readFixed64() {
        if (limit - position < 8) {
            throw malformed("truncated fixed64");
        }
        long result = 0;
        for (int i = 7; i >= 0; i--) {
            result = (result << 8) | (bytes[position + i] & 0xFF);
        }
        position += 8;
        return result;
    }

    /** Reads a length prefix and checks that that many bytes remain in the current message. */
    int readLength() {
        final long length = readVarint();
        if (length < 0 || length > limit - position) {
            throw malformed("length " + length + " exceeds the " + (limit - position) + " bytes left");
        }
        return (int) length;
    }

    /** Narrows reading to the next {@code length} bytes; returns the limit to restore with {@link #popLimit}. */
    int pushLimit(final int length) {
        final int old = limit;
        limit = position + length;
        return old;
    }

    void popLimit(final int old) {
        if (position != limit) {
            throw malformed("message ended at " + position + ", expected " + limit);
        }
        limit = old;
    }

    String readString() {
        final int length = readLength();
        final String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** Skips a field of {@code wireType} whose tag was just read. */
    void skip(final int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> readFixed64();
            case LENGTH_DELIMITED -> {
                final int length = readLength(); // read first: "position += readLength()" would lose the prefix
                position += length;
            }
            case FIXED32 -> {
                if (limit - position < 4) {
                    throw malformed("truncated fixed32");
                }
                position += 4;
            }
            default -> throw malformed("unsupported wire type " + wireType);
        }
    }

    /** Checks that a field has the wire type its schema says. */
    void expect(final int tag, final int wireType, final String field) {
        if ((tag & 7) != wireType) {
            throw malformed(field + " has wire type " + (tag & 7) + ", expected " + wireType);
        }
    }

    RemoteReadException malformed(final String what) {
        return RemoteReadException.badRequest("malformed ReadRequest at byte " + position + ": " + what);
    }
}
