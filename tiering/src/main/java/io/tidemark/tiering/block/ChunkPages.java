package io.tidemark.tiering.block;

import io.tidemark.codecs.block.CorruptBlockException;
import io.tidemark.codecs.block.Crc32cFrames;
import io.tidemark.codecs.block.FrameLayout;
import io.tidemark.codecs.block.ZstdBlockCodec;
import io.tidemark.memory.Allocation;
import io.tidemark.memory.MappedFile;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * The mapped chunk files of a block and the page table from its index. A page is checked (CRC32C
 * frame) and decompressed when a chunk of it is first asked for, into one buffer of the largest
 * page's size (native, {@link MemoryTag#BLOCKS}) that is reused; the last page stays decompressed,
 * so reading the chunks of a page in order decompresses it once. A damaged page fails with
 * {@link CorruptBlockException} naming its file and frame offset and leaves the other pages
 * readable. Not thread-safe (the buffer and the frame checkers are shared): one thread at a time.
 */
final class ChunkPages implements AutoCloseable {
    private final MappedFile[] files;
    private final Crc32cFrames[] frames;
    private final int pageCount;
    private final int[] pageFile;
    private final long[] pageOffset;
    private final int[] pageBytes;
    private Allocation buffer;
    private int decompressedPage = -1;

    private ChunkPages(final int fileCount, final int pageCount) {
        this.files = new MappedFile[fileCount];
        this.frames = new Crc32cFrames[fileCount];
        this.pageCount = pageCount;
        this.pageFile = new int[pageCount];
        this.pageOffset = new long[pageCount];
        this.pageBytes = new int[pageCount];
    }

    /** Maps the chunk files named by {@code meta}, checks their sizes and headers, and loads the page table. */
    static ChunkPages open(final NativeAllocator allocator, final Path directory, final BlockMeta meta, final BlockIndex index)
        throws IOException {
        final long tableAt = index.sectionOffset(BlockLayout.PAGES);
        final int count = (int) (index.sectionLength(BlockLayout.PAGES) / BlockLayout.PAGE_ENTRY_BYTES);
        final ChunkPages pages = new ChunkPages(meta.chunkFiles(), count);
        try {
            for (int i = 0; i < pages.files.length; i++) {
                final Path path = directory.resolve(BlockLayout.chunkFileName(i + 1));
                pages.files[i] = MappedFile.openReadOnly(allocator, path);
                final MemorySegment bytes = pages.files[i].segment();
                final long expected = meta.chunkFileBytes(i + 1);
                if (bytes.byteSize() != expected) {
                    throw new CorruptBlockException(path, Math.min(bytes.byteSize(), expected), "chunk file is "
                        + bytes.byteSize() + " bytes, meta says " + expected, null);
                }
                if (expected > BlockLayout.MAX_CHUNK_FILE_BYTES) {
                    throw new CorruptBlockException(path, 0, "chunk file above " + BlockLayout.MAX_CHUNK_FILE_BYTES + " bytes", null);
                }
                BlockIndex.checkHeader(bytes, path, BlockLayout.CHUNKS_MAGIC);
                pages.frames[i] = new Crc32cFrames(bytes);
            }
            int largest = 1;
            final MemorySegment table = index.bytes();
            for (int p = 0; p < count; p++) {
                final long entry = tableAt + (long) p * BlockLayout.PAGE_ENTRY_BYTES;
                final int file = table.get(BlockLayout.U32, entry);
                final long offset = table.get(BlockLayout.I64, entry + 4);
                final int bytes = table.get(BlockLayout.U32, entry + 12);
                if (file < 1 || file > pages.files.length || offset < BlockLayout.FILE_HEADER_BYTES
                    || offset > meta.chunkFileBytes(file) || bytes < 0 || bytes > BlockLayout.MAX_PAGE_BYTES) {
                    throw index.corrupt(entry, "page " + p + " entry file=" + file + " offset=" + offset + " bytes=" + bytes
                        + " does not fit the block's " + pages.files.length + " chunk files");
                }
                pages.pageFile[p] = file - 1;
                pages.pageOffset[p] = offset;
                pages.pageBytes[p] = bytes;
                largest = Math.max(largest, bytes);
            }
            pages.buffer = allocator.allocate(MemoryTag.BLOCKS, largest);
            return pages;
        } catch (final Throwable t) {
            pages.close();
            throw t;
        }
    }

    int pageCount() {
        return pageCount;
    }

    /** Native bytes of the decompression buffer. */
    long bufferBytes() {
        return buffer.bytes();
    }

    /** The decompressed page that holds {@code ref}, checked and decompressed if it is not the current one. */
    MemorySegment page(final long ref) {
        final int page = BlockLayout.refPage(ref);
        if (page < 0 || page >= pageCount) {
            throw new IllegalArgumentException("chunk ref names no page of this block: page=" + page + " pages=" + pageCount);
        }
        if (page != decompressedPage) {
            decompress(page);
        }
        return buffer.segment();
    }

    /** Bytes of the decompressed page {@code page}. */
    int pageBytes(final int page) {
        return pageBytes[page];
    }

    /** Damage inside a decompressed page: reported at the page's frame. */
    CorruptBlockException corruptPage(final int page, final String problem) {
        return new CorruptBlockException(files[pageFile[page]].path(), pageOffset[page], "page " + page + ": " + problem, null);
    }

    private void decompress(final int page) {
        decompressedPage = -1;
        final int file = pageFile[page];
        final long offset = pageOffset[page];
        final MemorySegment bytes = files[file].segment();
        final long length = frames[file].check(offset, bytes.byteSize());
        if (length < 0) {
            throw new CorruptBlockException(files[file].path(), offset, "page " + page + ": " + Crc32cFrames.describe(length), null);
        }
        try {
            ZstdBlockCodec.decompress(bytes.asSlice(offset + FrameLayout.HEADER_BYTES, length),
                buffer.segment().asSlice(0, pageBytes[page]));
        } catch (final CorruptBlockException e) {
            throw new CorruptBlockException(files[file].path(), offset, "page " + page + ": " + e.getMessage(), e);
        }
        decompressedPage = page;
    }

    /** Unsigned LEB128 at {@code at} of the current page, which must end before {@code end}. */
    long uvarint(final int page, final long at, final long end) {
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

    @Override
    public void close() {
        for (final MappedFile file : files) {
            if (file != null) {
                file.close();
            }
        }
        if (buffer != null) {
            buffer.close();
            buffer = null;
        }
    }
}
