package io.tidemark.tiering.block;

import io.tidemark.codecs.block.CorruptBlockException;
import io.tidemark.memory.MappedFile;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The mapped chunk files of a block and the page table from its index, checked on open (sizes
 * against meta, headers, page entries within their files). Immutable after open: any thread may
 * read; pages are checked and decompressed by each thread's {@link BlockChunkReader}.
 */
final class ChunkFiles implements AutoCloseable {
    private final MappedFile[] files;
    private final int pageCount;
    private final int[] pageFile;
    private final long[] pageOffset;
    private final int[] pageBytes;
    private int largestPageBytes = 1;

    private ChunkFiles(final int fileCount, final int pageCount) {
        this.files = new MappedFile[fileCount];
        this.pageCount = pageCount;
        this.pageFile = new int[pageCount];
        this.pageOffset = new long[pageCount];
        this.pageBytes = new int[pageCount];
    }

    /** Maps the chunk files named by {@code meta}, checks their sizes and headers, and loads the page table. */
    static ChunkFiles open(final NativeAllocator allocator, final Path directory, final BlockMeta meta, final BlockIndex index)
        throws IOException {
        final long tableAt = index.sectionOffset(BlockLayout.PAGES);
        final int count = (int) (index.sectionLength(BlockLayout.PAGES) / BlockLayout.PAGE_ENTRY_BYTES);
        final ChunkFiles chunks = new ChunkFiles(meta.chunkFiles(), count);
        try {
            for (int i = 0; i < chunks.files.length; i++) {
                final Path path = directory.resolve(BlockLayout.chunkFileName(i + 1));
                chunks.files[i] = MappedFile.openReadOnly(allocator, path);
                final MemorySegment bytes = chunks.files[i].segment();
                final long expected = meta.chunkFileBytes(i + 1);
                if (bytes.byteSize() != expected) {
                    throw new CorruptBlockException(path, Math.min(bytes.byteSize(), expected), "chunk file is "
                        + bytes.byteSize() + " bytes, meta says " + expected, null);
                }
                if (expected > BlockLayout.MAX_CHUNK_FILE_BYTES) {
                    throw new CorruptBlockException(path, 0, "chunk file above " + BlockLayout.MAX_CHUNK_FILE_BYTES + " bytes", null);
                }
                BlockIndex.checkHeader(bytes, path, BlockLayout.CHUNKS_MAGIC);
            }
            final MemorySegment table = index.bytes();
            for (int p = 0; p < count; p++) {
                final long entry = tableAt + (long) p * BlockLayout.PAGE_ENTRY_BYTES;
                final int file = table.get(BlockLayout.U32, entry);
                final long offset = table.get(BlockLayout.I64, entry + 4);
                final int bytes = table.get(BlockLayout.U32, entry + 12);
                if (file < 1 || file > chunks.files.length || offset < BlockLayout.FILE_HEADER_BYTES
                    || offset > meta.chunkFileBytes(file) || bytes < 0 || bytes > BlockLayout.MAX_PAGE_BYTES) {
                    throw index.corrupt(entry, "page " + p + " entry file=" + file + " offset=" + offset + " bytes=" + bytes
                        + " does not fit the block's " + chunks.files.length + " chunk files");
                }
                chunks.pageFile[p] = file - 1;
                chunks.pageOffset[p] = offset;
                chunks.pageBytes[p] = bytes;
                chunks.largestPageBytes = Math.max(chunks.largestPageBytes, bytes);
            }
            return chunks;
        } catch (final Throwable t) {
            chunks.close();
            throw t;
        }
    }

    int pageCount() {
        return pageCount;
    }

    int fileCount() {
        return files.length;
    }

    /** Index (0-based) of the file that holds page {@code page}. */
    int pageFile(final int page) {
        return pageFile[page];
    }

    /** Offset of page {@code page}'s frame in its file. */
    long pageOffset(final int page) {
        return pageOffset[page];
    }

    /** Uncompressed bytes of page {@code page}. */
    int pageBytes(final int page) {
        return pageBytes[page];
    }

    int largestPageBytes() {
        return largestPageBytes;
    }

    /** The mapped bytes of file {@code file} (0-based). */
    MemorySegment file(final int file) {
        return files[file].segment();
    }

    Path path(final int file) {
        return files[file].path();
    }

    @Override
    public void close() {
        for (final MappedFile file : files) {
            if (file != null) {
                file.close();
            }
        }
    }
}
