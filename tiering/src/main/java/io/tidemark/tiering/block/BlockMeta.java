package io.tidemark.tiering.block;

import io.tidemark.codecs.block.CorruptBlockException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * What the {@code meta} file of a block says (layout in {@link BlockLayout}). Times are
 * milliseconds, inclusive: every sample of the block lies in {@code [minTime, maxTime]}.
 *
 * @param id             the block's id, also its directory name
 * @param minTime        the smallest chunk min time
 * @param maxTime        the largest chunk max time
 * @param seriesCount    series in the index
 * @param chunkCount     chunks in the chunk files
 * @param sampleCount    samples in all chunks
 * @param indexBytes     size of the index file
 * @param chunkFileBytes size of each chunk file, by number - 1; shared, callers must not modify it
 */
public record BlockMeta(BlockId id, long minTime, long maxTime, long seriesCount, long chunkCount, long sampleCount,
                        long indexBytes, long[] chunkFileBytes) {

    /** Bytes of the encoded form. */
    int encodedBytes() {
        return BlockLayout.META_FIXED_BYTES + 8 * chunkFileBytes.length + 4;
    }

    /** The encoded form, CRC32C included. */
    ByteBuffer encode() {
        final ByteBuffer out = ByteBuffer.allocate(encodedBytes()).order(ByteOrder.BIG_ENDIAN);
        out.putInt(BlockLayout.META_MAGIC).putShort((short) BlockLayout.VERSION).putShort((short) 0)
            .putLong(id.high()).putLong(id.low()).putLong(minTime).putLong(maxTime)
            .putLong(seriesCount).putLong(chunkCount).putLong(sampleCount).putLong(indexBytes)
            .putInt(chunkFileBytes.length);
        for (final long bytes : chunkFileBytes) {
            out.putLong(bytes);
        }
        final CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.flip();
    }

    /**
     * Decodes and checks a meta file's bytes.
     *
     * @throws CorruptBlockException naming {@code file} and the offset of the first bad field
     */
    static BlockMeta decode(final Path file, final MemorySegment bytes) {
        final long size = bytes.byteSize();
        if (size < BlockLayout.META_FIXED_BYTES + 4) {
            throw new CorruptBlockException(file, size, "meta file of " + size + " bytes, expected at least "
                + (BlockLayout.META_FIXED_BYTES + 4), null);
        }
        final int magic = bytes.get(BlockLayout.U32, 0);
        if (magic != BlockLayout.META_MAGIC) {
            throw new CorruptBlockException(file, 0, "magic 0x" + Integer.toHexString(magic) + ", expected 0x"
                + Integer.toHexString(BlockLayout.META_MAGIC), null);
        }
        final int version = Short.toUnsignedInt(bytes.get(BlockLayout.U16, BlockLayout.META_VERSION_OFFSET));
        if (version != BlockLayout.VERSION) {
            throw new CorruptBlockException(file, BlockLayout.META_VERSION_OFFSET, "format version " + version
                + ", this build reads version " + BlockLayout.VERSION, null);
        }
        final long files = Integer.toUnsignedLong(bytes.get(BlockLayout.U32, BlockLayout.META_FILE_COUNT_OFFSET));
        final long expected = BlockLayout.META_FIXED_BYTES + 8 * files + 4;
        if (files > BlockLayout.MAX_CHUNK_FILES || expected != size) {
            throw new CorruptBlockException(file, BlockLayout.META_FILE_COUNT_OFFSET, "chunk file count " + files
                + " needs a meta file of " + expected + " bytes, found " + size, null);
        }
        BlockLayout.checkTrailingCrc(file, bytes, size);
        final long[] fileBytes = new long[(int) files];
        for (int i = 0; i < fileBytes.length; i++) {
            fileBytes[i] = bytes.get(BlockLayout.I64, BlockLayout.META_FIXED_BYTES + 8L * i);
        }
        return new BlockMeta(BlockId.of(bytes.get(BlockLayout.I64, 8), bytes.get(BlockLayout.I64, 16)),
            bytes.get(BlockLayout.I64, 24), bytes.get(BlockLayout.I64, 32), bytes.get(BlockLayout.I64, 40),
            bytes.get(BlockLayout.I64, 48), bytes.get(BlockLayout.I64, 56), bytes.get(BlockLayout.I64, 64), fileBytes);
    }

    /** Bytes of the block's meta, index and chunk files together (a parents file, tens of bytes, is not counted). */
    public long bytesOnDisk() {
        long bytes = encodedBytes() + indexBytes;
        for (final long file : chunkFileBytes) {
            bytes += file;
        }
        return bytes;
    }

    /** Size of chunk file {@code number} (1-based). */
    public long chunkFileBytes(final int number) {
        return chunkFileBytes[number - 1];
    }

    /** Number of chunk files. */
    public int chunkFiles() {
        return chunkFileBytes.length;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof BlockMeta m && m.id.equals(id) && m.minTime == minTime && m.maxTime == maxTime
            && m.seriesCount == seriesCount && m.chunkCount == chunkCount && m.sampleCount == sampleCount
            && m.indexBytes == indexBytes && Arrays.equals(m.chunkFileBytes, chunkFileBytes);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(chunkFileBytes);
    }

    @Override
    public String toString() {
        return "BlockMeta[id=" + id + ", minTime=" + minTime + ", maxTime=" + maxTime + ", series=" + seriesCount
            + ", chunks=" + chunkCount + ", samples=" + sampleCount + ", indexBytes=" + indexBytes
            + ", chunkFileBytes=" + Arrays.toString(chunkFileBytes) + ']';
    }
}
