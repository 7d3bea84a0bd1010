package io.tidemark.server.remote.read;

import java.util.Arrays;

/**
 * A growable heap array that a response is written into, reused from response to response: the valid bytes are
 * {@code array()[0, length())}. Writes protobuf wire format; nested messages are written after a 5-byte gap for
 * their length, which {@link #endMessage(int)} closes. Grows, never shrinks; owned by one thread.
 */
public final class ResponseBuffer {
    private static final int LENGTH_GAP = 5;

    private byte[] bytes;
    private int length;

    /** A buffer with room for {@code capacity} bytes before it grows. */
    public ResponseBuffer(final int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity=" + capacity);
        }
        bytes = new byte[Math.max(capacity, 16)];
    }

    /** Forgets the contents, keeping the array. */
    public void clear() {
        length = 0;
    }

    /** Number of valid bytes. */
    public int length() {
        return length;
    }

    /** The array; valid up to {@link #length()}. Replaced when the buffer grows. */
    public byte[] array() {
        return bytes;
    }

    /** A copy of the valid bytes (for tests and callers that need to keep them). */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** Makes room for {@code more} bytes after {@link #length()}. */
    void ensureRoom(final int more) {
        final long needed = (long) length + more;
        if (needed > bytes.length) {
            if (needed > Integer.MAX_VALUE - 16) {
                throw new RemoteReadException(RemoteReadException.INTERNAL_ERROR, "response exceeds 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 16L, bytes.length * 2L)));
        }
    }

    /** Sets the number of valid bytes after writing into {@link #array()} directly. */
    void setLength(final int newLength) {
        this.length = newLength;
    }

    void writeByte(final int b) {
        ensureRoom(1);
        bytes[length++] = (byte) b;
    }

    void writeVarint(final long value) {
        ensureRoom(10);
        long rest = value;
        while (Long.compareUnsigned(rest, 0x80) >= 0) {
            bytes[length++] = (byte) ((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        bytes[length++] = (byte) rest;
    }

    void writeTag(final int field, final int wireType) {
        writeVarint((long) field << 3 | wireType);
    }

    void writeFixed64(final long value) {
        ensureRoom(8);
        for (int i = 0; i < 8; i++) {
            bytes[length++] = (byte) (value >>> (8 * i));
        }
    }

    void writeFixed32BigEndian(final int value) {
        ensureRoom(4);
        bytes[length++] = (byte) (value >>> 24);
        bytes[length++] = (byte) (value >>> 16);
        bytes[length++] = (byte) (value >>> 8);
        bytes[length++] = (byte) value;
    }

    void writeBytes(final byte[] source, final int offset, final int count) {
        ensureRoom(count);
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
    }

    /** Writes a length-delimited field holding {@code source[offset, offset + count)}. */
    void writeBytesField(final int field, final byte[] source, final int offset, final int count) {
        writeTag(field, ProtobufReader.LENGTH_DELIMITED);
        writeVarint(count);
        writeBytes(source, offset, count);
    }

    /** Starts a nested message in {@code field}; returns the mark to pass to {@link #endMessage(int)}. */
    int beginMessage(final int field) {
        writeTag(field, ProtobufReader.LENGTH_DELIMITED);
        ensureRoom(LENGTH_GAP);
        final int mark = length;
        length += LENGTH_GAP;
        return mark;
    }

    /** Ends the message begun at {@code mark}: writes its length and moves its body up to meet it. */
    void endMessage(final int mark) {
        final int bodyStart = mark + LENGTH_GAP;
        final int bodyLength = length - bodyStart;
        final int prefix = varintSize(bodyLength);
        int at = mark;
        long rest = bodyLength;
        while (rest >= 0x80) {
            bytes[at++] = (byte) ((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        bytes[at] = (byte) rest;
        System.arraycopy(bytes, bodyStart, bytes, mark + prefix, bodyLength);
        length = mark + prefix + bodyLength;
    }

    /** Bytes of {@code value} as a protobuf varint. */
    static int varintSize(final long value) {
        return value == 0 ? 1 : (63 - Long.numberOfLeadingZeros(value)) / 7 + 1;
    }
}
