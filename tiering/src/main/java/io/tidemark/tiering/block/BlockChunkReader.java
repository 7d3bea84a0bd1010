package io.tidemark.tiering.block;

import io.tidemark.codecs.block.CorruptBlockException;
import io.tidemark.codecs.block.Crc32cFrames;
import io.tidemark.codecs.block.FrameLayout;
import io.tidemark.codecs.block.ZstdBlockCodec;
import io.tidemark.codecs.chunk.ChunkDecoder;
import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads chunks of one block on one thread. A page is checked (CRC32C frame) and decompressed when a
 * chunk of it is first asked for, into a buffer the size of the block's largest page (native,
 * {@link MemoryTag#BLOCKS}) that is reused; the last page stays decompressed, so reading the chunks
 * of a page in order decompresses it once. A damaged page fails with {@link CorruptBlockException}
 * naming its file and frame offset; the other pages stay readable.
 *
 * <p>Get one from {@link BlockReader#newChunkReader()} per querying thread; close it before the
 * block. Not thread-safe. Allocation: {@link #decodeChunk} none; {@link #readChunk} the returned
 * slice; a page decompression two slice objects.
 */
public final class BlockChunkReader implements AutoCloseable {
    private final ChunkFiles chunks;
    private final Crc32cFrames[] frames;
    private final Allocation buffer;
    private int decompressedPage = -1;
    private long chunkLength;

    BlockChunkReader(final NativeAllocator allocator, final ChunkFiles chunks) {
        this.chunks = chunks;
        this.frames = new Crc32cFrames[chunks.fileCount()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new Crc32cFrames(chunks.file(i));
        }
        this.buffer = allocator.allocate(MemoryTag.BLOCKS, chunks.largestPageBytes());
    }

    /**
     * The bytes of chunk {@code ref} (codecs' chunk format). The segment is valid until the next
     * call on this reader or {@link #close()}.
     */
    public MemorySegment readChunk(final long ref) {
        final long start = locate(ref);
        return buffer.segment().asSlice(start, chunkLength);
    }

    /** Decodes chunk {@code ref} into the caller's arrays; returns the sample count. */
    public int decodeChunk(final long ref, final ChunkDecoder decoder, final long[] timestamps, final double[] values) {
        final long start = locate(ref);
        return decoder.decode(buffer.segment(), start, chunkLength, timestamps, values);
    }

    /** Native bytes of the decompression buffer. */
    public long bufferBytes() {
        return buffer.bytes();
    }

    /** Decompresses the chunk's page if needed; returns where its bytes start and sets {@link #chunkLength}. */
    private long locate(final long ref) {
        final int page = BlockLayout.refPage(ref);
        if (page < 0 || page >= chunks.pageCount()) {
            throw new IllegalArgumentException("chunk ref names no page of this block: page=" + page + " pages=" + chunks.pageCount());
        }
        if (page != decompressedPage) {
            decompress(page);
        }
        final long at = Integer.toUnsignedLong(BlockLayout.refOffset(ref));
        final int end = chunks.pageBytes(page);
        if (at >= end) {
            throw new IllegalArgumentException("chunk ref offset beyond its page: offset=" + at + " pageBytes=" + end);
        }
        final long length = uvarint(page, at, end);
        final long start = at + BlockIndex.uvarintBytes(length);
        if (length > end - start) {
            throw corruptPage(page, "chunk at page offset " + at + " of " + length + " bytes runs past the page end " + end);
        }
        chunkLength = length;
        return start;
    }

    private void decompress(final int page) {
        decompressedPage = -1;
        final int file = chunks.pageFile(page);
        final long offset = chunks.pageOffset(page);
        final MemorySegment bytes = chunks.file(file);
        final long length = frames[file].check(offset, bytes.byteSize());
        if (length < 0) {
            throw corruptPage(page, Crc32cFrames.describe(length));
        }
        try {
            ZstdBlockCodec.decompress(bytes.asSlice(offset + FrameLayout.HEADER_BYTES, length),
                buffer.segment().asSlice(0, chunks.pageBytes(page)));
        } catch (final CorruptBlockException e) {
            throw new CorruptBlockException(chunks.path(file), offset, "page " + page + ": " + e.getMessage(), e);
        }
        decompressedPage = page;
    }

    /** Unsigned LEB128 at {@code at} of the decompressed page, which must end before {@code end}. */
    private long uvarint(final int page, final long at, final long end) {
        final MemorySegment bytes = buffer.segment();
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at + shift / 7 >= end) {
                throw corruptPage(page, "chunk length at page offset " + at + " runs past the page");
            }
            final byte b = bytes.get(ValueLayout.JAVA_BYTE, at + shift / 7);
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw corruptPage(page, "chunk length at page offset " + at + " longer than 10 bytes");
    }

    /** Damage in or inside a page: reported at the page's frame. */
    private CorruptBlockException corruptPage(final int page, final String problem) {
        return new CorruptBlockException(chunks.path(chunks.pageFile(page)), chunks.pageOffset(page), "page " + page + ": " + problem,
            null);
    }

    /** Frees the decompression buffer. */
    @Override
    public void close() {
        buffer.close();
    }
}
