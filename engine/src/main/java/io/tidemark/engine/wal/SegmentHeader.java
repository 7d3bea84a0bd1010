package io.tidemark.engine.wal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** Writes and checks {@link SegmentHeaderLayout segment headers}. */
final class SegmentHeader {
    private SegmentHeader() {
    }

    /** A header as a heap buffer ready to be written. */
    static ByteBuffer encode(final int shard, final long segment, final long firstSequence) {
        final byte[] bytes = new byte[SegmentHeaderLayout.HEADER_BYTES];
        final MemorySegment header = MemorySegment.ofArray(bytes);
        header.set(SegmentHeaderLayout.U32, SegmentHeaderLayout.MAGIC_OFFSET, SegmentHeaderLayout.MAGIC);
        header.set(SegmentHeaderLayout.U16, SegmentHeaderLayout.VERSION_OFFSET, SegmentHeaderLayout.VERSION);
        header.set(SegmentHeaderLayout.U16, SegmentHeaderLayout.HEADER_BYTES_OFFSET, (short) SegmentHeaderLayout.HEADER_BYTES);
        header.set(SegmentHeaderLayout.U32, SegmentHeaderLayout.SHARD_OFFSET, shard);
        header.set(SegmentHeaderLayout.U64, SegmentHeaderLayout.SEGMENT_OFFSET, segment);
        header.set(SegmentHeaderLayout.U64, SegmentHeaderLayout.FIRST_SEQUENCE_OFFSET, firstSequence);
        header.set(SegmentHeaderLayout.U32, SegmentHeaderLayout.CHECKSUM_OFFSET, checksum(header));
        return ByteBuffer.wrap(bytes);
    }

    /**
     * Checks the header at the start of {@code file} and returns its first sequence number.
     *
     * @throws CorruptWalException naming the file and the field if anything differs from what is expected
     */
    static long check(final Path path, final MemorySegment file, final int shard, final long segment) {
        if (file.byteSize() < SegmentHeaderLayout.HEADER_BYTES) {
            throw new CorruptWalException(path, 0, "segment header of " + SegmentHeaderLayout.HEADER_BYTES + " bytes",
                "a file of " + file.byteSize() + " bytes");
        }
        final int magic = file.get(SegmentHeaderLayout.U32, SegmentHeaderLayout.MAGIC_OFFSET);
        if (magic != SegmentHeaderLayout.MAGIC) {
            throw new CorruptWalException(path, SegmentHeaderLayout.MAGIC_OFFSET,
                "magic 0x" + Integer.toHexString(SegmentHeaderLayout.MAGIC) + " (TMWL)", "0x" + Integer.toHexString(magic));
        }
        final short version = file.get(SegmentHeaderLayout.U16, SegmentHeaderLayout.VERSION_OFFSET);
        if (version != SegmentHeaderLayout.VERSION) {
            throw new CorruptWalException(path, SegmentHeaderLayout.VERSION_OFFSET,
                "version " + SegmentHeaderLayout.VERSION + " (the only one this build reads)", "version " + Short.toUnsignedInt(version));
        }
        final int stored = file.get(SegmentHeaderLayout.U32, SegmentHeaderLayout.CHECKSUM_OFFSET);
        final int computed = checksum(file);
        if (stored != computed) {
            throw new CorruptWalException(path, SegmentHeaderLayout.CHECKSUM_OFFSET,
                "header CRC32C 0x" + Integer.toHexString(computed), "0x" + Integer.toHexString(stored));
        }
        final short headerBytes = file.get(SegmentHeaderLayout.U16, SegmentHeaderLayout.HEADER_BYTES_OFFSET);
        if (headerBytes != SegmentHeaderLayout.HEADER_BYTES) {
            throw new CorruptWalException(path, SegmentHeaderLayout.HEADER_BYTES_OFFSET,
                "header length " + SegmentHeaderLayout.HEADER_BYTES, "header length " + headerBytes);
        }
        final int storedShard = file.get(SegmentHeaderLayout.U32, SegmentHeaderLayout.SHARD_OFFSET);
        if (storedShard != shard) {
            throw new CorruptWalException(path, SegmentHeaderLayout.SHARD_OFFSET, "shard " + shard, "shard " + storedShard);
        }
        final long storedSegment = file.get(SegmentHeaderLayout.U64, SegmentHeaderLayout.SEGMENT_OFFSET);
        if (storedSegment != segment) {
            throw new CorruptWalException(path, SegmentHeaderLayout.SEGMENT_OFFSET,
                "segment " + segment + " (from the file name)", "segment " + storedSegment);
        }
        final long firstSequence = file.get(SegmentHeaderLayout.U64, SegmentHeaderLayout.FIRST_SEQUENCE_OFFSET);
        if (firstSequence < 1) {
            throw new CorruptWalException(path, SegmentHeaderLayout.FIRST_SEQUENCE_OFFSET, "a first sequence of 1 or more",
                "first sequence " + firstSequence);
        }
        return firstSequence;
    }

    private static int checksum(final MemorySegment header) {
        final CRC32C crc = new CRC32C();
        crc.update(header.asSlice(0, SegmentHeaderLayout.CHECKSUM_OFFSET).asByteBuffer());
        return (int) crc.getValue();
    }
}
