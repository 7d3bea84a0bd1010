package io.tidemark.tiering.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Buffered, big-endian output of the index file, one section at a time: remembers where each
 * section starts and keeps a CRC32C of its bytes for the table of contents. Writer thread only.
 */
final class IndexOutput {
    private static final int BUFFER_BYTES = 64 << 10;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.BIG_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private final long[] sectionOffsets = new long[BlockLayout.SECTION_COUNT];
    private final long[] sectionLengths = new long[BlockLayout.SECTION_COUNT];
    private final int[] sectionCrcs = new int[BlockLayout.SECTION_COUNT];
    private long flushed;
    private int section = -1;

    IndexOutput(final FileChannel channel) {
        this.channel = channel;
    }

    /** Bytes written so far, buffered or not. */
    long position() {
        return flushed + buffer.position();
    }

    void writeHeader() throws IOException {
        buffer.putInt(BlockLayout.INDEX_MAGIC).put((byte) BlockLayout.VERSION).put((byte) 0).putShort((short) 0);
        flush();
    }

    void beginSection(final int number) throws IOException {
        if (number != section + 1) {
            throw new IllegalStateException("sections out of order: section=" + number + " previous=" + section);
        }
        flush();
        crc.reset();
        section = number;
        sectionOffsets[number] = position();
    }

    /** Position relative to the start of the current section. */
    long sectionPosition() {
        return position() - sectionOffsets[section];
    }

    void endSection() throws IOException {
        flush();
        sectionLengths[section] = position() - sectionOffsets[section];
        sectionCrcs[section] = (int) crc.getValue();
    }

    void u8(final int value) throws IOException {
        room(1);
        buffer.put((byte) value);
    }

    void u32(final int value) throws IOException {
        room(4);
        buffer.putInt(value);
    }

    void u64(final long value) throws IOException {
        room(8);
        buffer.putLong(value);
    }

    /** LEB128: 7 bits per byte, low groups first, high bit set on all but the last. */
    void uvarint(final long value) throws IOException {
        room(10);
        long bits = value;
        while ((bits & ~0x7FL) != 0) {
            buffer.put((byte) (bits | 0x80));
            bits >>>= 7;
        }
        buffer.put((byte) bits);
    }

    void zigzag(final long value) throws IOException {
        uvarint((value << 1) ^ (value >> 63));
    }

    /** A uvarint length followed by the UTF-8 bytes. */
    void string(final String value) throws IOException {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        uvarint(bytes.length);
        for (int at = 0; at < bytes.length;) {
            room(1);
            final int n = Math.min(buffer.remaining(), bytes.length - at);
            buffer.put(bytes, at, n);
            at += n;
        }
    }

    /** Writes the table of contents and flushes; the file is then complete. */
    void writeTableOfContents() throws IOException {
        flush();
        crc.reset();
        for (int i = 0; i < BlockLayout.SECTION_COUNT; i++) {
            buffer.putLong(sectionOffsets[i]).putLong(sectionLengths[i]).putInt(sectionCrcs[i]);
        }
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        flush();
    }

    private void room(final int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        crc.update(buffer.array(), 0, buffer.limit());
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        flushed += buffer.limit();
        buffer.clear();
    }
}
