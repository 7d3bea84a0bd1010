package io.tidemark.tiering.block;

import io.tidemark.codecs.block.CorruptBlockException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The {@code parents} file of a compacted block (layout in {@link BlockLayout}): the ids of the
 * blocks it replaces. It is written before the block's rename, so once the block is visible its
 * parents are superseded; {@link BlockDirectory#open} deletes parents still present after a crash
 * between the rename and their deletion.
 */
public final class BlockParents {
    private BlockParents() {
    }

    /** The encoded form of {@code parents}, CRC32C included. */
    static ByteBuffer encode(final List<BlockId> parents) {
        if (parents.size() > BlockLayout.MAX_PARENTS) {
            throw new IllegalArgumentException("too many parents: count=" + parents.size() + " max=" + BlockLayout.MAX_PARENTS);
        }
        final ByteBuffer out = ByteBuffer.allocate(BlockLayout.PARENTS_FIXED_BYTES + BlockId.BYTES * parents.size() + 4)
            .order(ByteOrder.BIG_ENDIAN);
        out.putInt(BlockLayout.PARENTS_MAGIC).putShort((short) BlockLayout.VERSION).putShort((short) 0).putInt(parents.size());
        for (final BlockId id : parents) {
            out.putLong(id.high()).putLong(id.low());
        }
        final CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.flip();
    }

    /**
     * The parents named in {@code block}'s parents file; empty when the block has none (it was
     * sealed, not compacted).
     *
     * @throws CorruptBlockException naming the file and the offset of the first bad field
     */
    public static List<BlockId> read(final Path block) throws IOException {
        final Path file = block.resolve(BlockLayout.PARENTS_FILE);
        final byte[] bytes;
        try {
            if (Files.size(file) > BlockLayout.PARENTS_FIXED_BYTES + (long) BlockId.BYTES * BlockLayout.MAX_PARENTS + 4) {
                throw new CorruptBlockException(file, 0, "parents file of " + Files.size(file) + " bytes, more than "
                    + BlockLayout.MAX_PARENTS + " parents", null);
            }
            bytes = Files.readAllBytes(file);
        } catch (final NoSuchFileException absent) {
            return List.of();
        }
        return decode(file, MemorySegment.ofArray(bytes));
    }

    static List<BlockId> decode(final Path file, final MemorySegment bytes) {
        final long size = bytes.byteSize();
        if (size < BlockLayout.PARENTS_FIXED_BYTES + 4) {
            throw new CorruptBlockException(file, size, "parents file of " + size + " bytes, expected at least "
                + (BlockLayout.PARENTS_FIXED_BYTES + 4), null);
        }
        final int magic = bytes.get(BlockLayout.U32, 0);
        if (magic != BlockLayout.PARENTS_MAGIC) {
            throw new CorruptBlockException(file, 0, "magic 0x" + Integer.toHexString(magic) + ", expected 0x"
                + Integer.toHexString(BlockLayout.PARENTS_MAGIC), null);
        }
        final int version = Short.toUnsignedInt(bytes.get(BlockLayout.U16, 4));
        if (version != BlockLayout.VERSION) {
            throw new CorruptBlockException(file, 4, "format version " + version + ", this build reads version "
                + BlockLayout.VERSION, null);
        }
        final long count = Integer.toUnsignedLong(bytes.get(BlockLayout.U32, BlockLayout.PARENTS_COUNT_OFFSET));
        final long expected = BlockLayout.PARENTS_FIXED_BYTES + BlockId.BYTES * count + 4;
        if (count > BlockLayout.MAX_PARENTS || expected != size) {
            throw new CorruptBlockException(file, BlockLayout.PARENTS_COUNT_OFFSET, "parent count " + count
                + " needs a parents file of " + expected + " bytes, found " + size, null);
        }
        BlockLayout.checkTrailingCrc(file, bytes, size);
        final List<BlockId> parents = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            final long at = BlockLayout.PARENTS_FIXED_BYTES + (long) BlockId.BYTES * i;
            parents.add(BlockId.of(bytes.get(BlockLayout.I64, at), bytes.get(BlockLayout.I64, at + 8)));
        }
        return List.copyOf(parents);
    }
}
