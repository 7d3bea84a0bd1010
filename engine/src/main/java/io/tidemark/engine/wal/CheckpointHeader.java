package io.tidemark.engine.wal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The {@link CheckpointLayout header} of a checkpoint file, written and checked.
 *
 * @param shard        the shard the directory belongs to
 * @param checkpoint   the last segment the checkpoint covers, as in its file name
 * @param nextSequence the sequence number the first segment after it starts at
 * @param minTime      samples older than this (ms) were left out
 * @param createdMillis wall-clock time the checkpoint was made, ms since the epoch
 * @param number       checkpoints made in the directory, this one included
 */
record CheckpointHeader(int shard, long checkpoint, long nextSequence, long minTime, long createdMillis, int number) {
    private static final int U16_MASK = 0xFFFF;

    /** The header as a heap buffer ready to be written at offset 0. */
    ByteBuffer encode() {
        final byte[] bytes = new byte[CheckpointLayout.HEADER_BYTES];
        final MemorySegment header = MemorySegment.ofArray(bytes);
        header.set(SegmentHeaderLayout.U32, CheckpointLayout.MAGIC_OFFSET, CheckpointLayout.MAGIC);
        header.set(SegmentHeaderLayout.U16, CheckpointLayout.VERSION_OFFSET, CheckpointLayout.VERSION);
        header.set(SegmentHeaderLayout.U16, CheckpointLayout.HEADER_BYTES_OFFSET, (short) CheckpointLayout.HEADER_BYTES);
        header.set(SegmentHeaderLayout.U32, CheckpointLayout.SHARD_OFFSET, shard);
        header.set(SegmentHeaderLayout.U64, CheckpointLayout.CHECKPOINT_OFFSET, checkpoint);
        header.set(SegmentHeaderLayout.U64, CheckpointLayout.NEXT_SEQUENCE_OFFSET, nextSequence);
        header.set(SegmentHeaderLayout.U64, CheckpointLayout.MIN_TIME_OFFSET, minTime);
        header.set(SegmentHeaderLayout.U64, CheckpointLayout.CREATED_OFFSET, createdMillis);
        header.set(SegmentHeaderLayout.U32, CheckpointLayout.NUMBER_OFFSET, number);
        header.set(SegmentHeaderLayout.U32, CheckpointLayout.CHECKSUM_OFFSET, checksum(header));
        return ByteBuffer.wrap(bytes);
    }

    /**
     * Checks the header at the start of {@code file}: magic, version, checksum, length, shard (unless
     * {@code shard} is negative) and number against the file name.
     *
     * @throws CorruptWalException naming the file, the field's offset and what differs
     */
    static CheckpointHeader check(final Path path, final MemorySegment file, final int shard, final long checkpoint) {
        if (file.byteSize() < CheckpointLayout.HEADER_BYTES) {
            throw new CorruptWalException(path, 0, "a checkpoint header of " + CheckpointLayout.HEADER_BYTES + " bytes",
                "a file of " + file.byteSize() + " bytes");
        }
        final int magic = file.get(SegmentHeaderLayout.U32, CheckpointLayout.MAGIC_OFFSET);
        if (magic != CheckpointLayout.MAGIC) {
            throw new CorruptWalException(path, CheckpointLayout.MAGIC_OFFSET,
                "magic 0x" + Integer.toHexString(CheckpointLayout.MAGIC) + " (TMCP)", "0x" + Integer.toHexString(magic));
        }
        final short version = file.get(SegmentHeaderLayout.U16, CheckpointLayout.VERSION_OFFSET);
        if (version != CheckpointLayout.VERSION) {
            throw new CorruptWalException(path, CheckpointLayout.VERSION_OFFSET,
                "checkpoint version " + CheckpointLayout.VERSION + " (the only one this build reads)",
                "version " + (version & U16_MASK));
        }
        final int stored = file.get(SegmentHeaderLayout.U32, CheckpointLayout.CHECKSUM_OFFSET);
        final int computed = checksum(file);
        if (stored != computed) {
            throw new CorruptWalException(path, CheckpointLayout.CHECKSUM_OFFSET,
                "header CRC32C 0x" + Integer.toHexString(computed), "0x" + Integer.toHexString(stored));
        }
        final short headerBytes = file.get(SegmentHeaderLayout.U16, CheckpointLayout.HEADER_BYTES_OFFSET);
        if (headerBytes != CheckpointLayout.HEADER_BYTES) {
            throw new CorruptWalException(path, CheckpointLayout.HEADER_BYTES_OFFSET,
                "header length " + CheckpointLayout.HEADER_BYTES, "header length " + headerBytes);
        }
        final int storedShard = file.get(SegmentHeaderLayout.U32, CheckpointLayout.SHARD_OFFSET);
        if (shard >= 0 && storedShard != shard) {
            throw new CorruptWalException(path, CheckpointLayout.SHARD_OFFSET, "shard " + shard, "shard " + storedShard);
        }
        final long storedCheckpoint = file.get(SegmentHeaderLayout.U64, CheckpointLayout.CHECKPOINT_OFFSET);
        if (storedCheckpoint != checkpoint) {
            throw new CorruptWalException(path, CheckpointLayout.CHECKPOINT_OFFSET,
                "checkpoint " + checkpoint + " (from the file name)", "checkpoint " + storedCheckpoint);
        }
        final long nextSequence = file.get(SegmentHeaderLayout.U64, CheckpointLayout.NEXT_SEQUENCE_OFFSET);
        if (nextSequence < 1) {
            throw new CorruptWalException(path, CheckpointLayout.NEXT_SEQUENCE_OFFSET, "a next sequence of 1 or more",
                "next sequence " + nextSequence);
        }
        return new CheckpointHeader(storedShard, storedCheckpoint, nextSequence,
            file.get(SegmentHeaderLayout.U64, CheckpointLayout.MIN_TIME_OFFSET),
            file.get(SegmentHeaderLayout.U64, CheckpointLayout.CREATED_OFFSET),
            file.get(SegmentHeaderLayout.U32, CheckpointLayout.NUMBER_OFFSET));
    }

    private static int checksum(final MemorySegment header) {
        final CRC32C crc = new CRC32C();
        crc.update(header.asSlice(0, CheckpointLayout.CHECKSUM_OFFSET).asByteBuffer());
        return (int) crc.getValue();
    }
}
