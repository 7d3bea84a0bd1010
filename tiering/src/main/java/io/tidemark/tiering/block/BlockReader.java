package io.tidemark.tiering.block;

import io.tidemark.codecs.block.CorruptBlockException;
import io.tidemark.codecs.chunk.ChunkDecoder;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An open block: its files memory-mapped, the meta file, the index header, table of contents and
 * every index section checked (CRC32C) on {@link #open}, chunk pages checked when first read.
 * Damage fails with {@link CorruptBlockException} naming the file and byte offset: on open for the
 * meta file, the index and chunk file sizes and headers; on read for a chunk page, and then only
 * the chunks of that page are lost.
 *
 * <p>Threads: {@link #meta}, {@link #labelNames}, {@link #labelValues}, {@link #postings},
 * {@link #series} and {@link #newChunkReader} may be called from any thread. {@link #readChunk} and
 * {@link #decodeChunk} go through the block's own {@link BlockChunkReader}: one thread at a time;
 * other threads take a {@link #newChunkReader()} each. {@link #close()} once, after the readers are done.
 *
 * <p>Allocation: open allocates the symbol strings, the page table and one native buffer the size
 * of the largest page. {@link #labelNames}, {@link #labelValues} and {@link #postings} allocate
 * their result; {@link #series} into a reused {@link BlockSeries} allocates nothing; chunk reads as
 * {@link BlockChunkReader} says.
 */
public final class BlockReader implements AutoCloseable {
    private static final int[] NO_POSTINGS = new int[0];

    private final Path directory;
    private final BlockMeta meta;
    private final BlockIndex index;
    private final NativeAllocator allocator;
    private final ChunkFiles chunks;
    private final BlockChunkReader chunkReader;

    private BlockReader(final NativeAllocator allocator, final Path directory, final BlockMeta meta, final BlockIndex index,
                        final ChunkFiles chunks) {
        this.allocator = allocator;
        this.directory = directory;
        this.meta = meta;
        this.index = index;
        this.chunks = chunks;
        this.chunkReader = new BlockChunkReader(allocator, chunks);
    }

    /**
     * Opens the block in {@code directory} (named by its id); mapped bytes are counted by
     * {@code allocator}. A missing meta, index or chunk file is damage like any other: a
     * {@link CorruptBlockException} naming the file at offset 0.
     */
    public static BlockReader open(final NativeAllocator allocator, final Path directory) throws IOException {
        try {
            return openFiles(allocator, directory);
        } catch (final NoSuchFileException e) {
            throw new CorruptBlockException(Path.of(e.getFile()), 0, "file is missing", e);
        }
    }

    private static BlockReader openFiles(final NativeAllocator allocator, final Path directory) throws IOException {
        final Path metaPath = directory.resolve(BlockLayout.META_FILE);
        final BlockMeta meta = BlockMeta.decode(metaPath, MemorySegment.ofArray(Files.readAllBytes(metaPath)));
        final String name = directory.getFileName().toString();
        if (!meta.id().toString().equals(name)) {
            throw new CorruptBlockException(metaPath, BlockLayout.META_ID_OFFSET, "block id " + meta.id()
                + " does not match the directory name " + name, null);
        }
        final BlockIndex index = BlockIndex.open(allocator, directory.resolve(BlockLayout.INDEX_FILE), meta.indexBytes());
        try {
            if (index.sectionLength(BlockLayout.SERIES_OFFSETS) != meta.seriesCount() * BlockLayout.SERIES_OFFSET_BYTES) {
                throw index.corrupt(index.sectionOffset(BlockLayout.SERIES_OFFSETS), "series offsets for "
                    + index.sectionLength(BlockLayout.SERIES_OFFSETS) / BlockLayout.SERIES_OFFSET_BYTES
                    + " series, meta says " + meta.seriesCount());
            }
            final ChunkFiles chunks = ChunkFiles.open(allocator, directory.resolve(BlockLayout.CHUNKS_DIRECTORY), meta, index);
            try {
                return new BlockReader(allocator, directory, meta, index, chunks);
            } catch (final Throwable t) {
                chunks.close();
                throw t;
            }
        } catch (final Throwable t) {
            index.close();
            throw t;
        }
    }

    /** The block's directory. */
    public Path directory() {
        return directory;
    }

    /** What the meta file says. */
    public BlockMeta meta() {
        return meta;
    }

    /** Number of series; ids are {@code 0..seriesCount()-1}, in label order. */
    public int seriesCount() {
        return (int) meta.seriesCount();
    }

    /** Number of chunk pages. */
    public int pageCount() {
        return chunks.pageCount();
    }

    /** Every label name, in label order. */
    public List<String> labelNames() {
        final long start = index.sectionOffset(BlockLayout.LABEL_NAMES);
        final int count = labelNameCount();
        final List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final long entry = start + (long) i * BlockLayout.LABEL_NAME_ENTRY_BYTES;
            names.add(index.symbol(Integer.toUnsignedLong(index.bytes().get(BlockLayout.U32, entry)), entry));
        }
        return names;
    }

    /** Every value of label {@code name}, in label order; empty if no series has it. */
    public List<String> labelValues(final String name) {
        final int nameEntry = findName(name);
        if (nameEntry < 0) {
            return List.of();
        }
        final long entry = nameEntryOffset(nameEntry);
        final int first = firstPair(entry);
        final int count = pairCount(entry, first);
        final List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(pairValue(first + i));
        }
        return values;
    }

    /** Ids of the series with label {@code name="value"}, increasing; empty if none. */
    public int[] postings(final String name, final String value) {
        final int nameEntry = findName(name);
        if (nameEntry < 0) {
            return NO_POSTINGS;
        }
        final long entry = nameEntryOffset(nameEntry);
        int low = firstPair(entry);
        int high = low + pairCount(entry, low) - 1;
        while (low <= high) {
            final int middle = (low + high) >>> 1;
            final int c = LabelOrder.compare(pairValue(middle), value);
            if (c < 0) {
                low = middle + 1;
            } else if (c > 0) {
                high = middle - 1;
            } else {
                return readPostings(middle);
            }
        }
        return NO_POSTINGS;
    }

    /** Fills {@code into} with series {@code id}'s labels and chunk metas; returns it. */
    public BlockSeries series(final int id, final BlockSeries into) {
        if (id < 0 || id >= meta.seriesCount()) {
            throw new IllegalArgumentException("no such series: id=" + id + " seriesCount=" + meta.seriesCount());
        }
        SeriesEntryDecoder.decode(index, id, meta.seriesCount(), into);
        return into;
    }

    /**
     * A reader of this block's chunks for one thread (its own page buffer, the size of the largest
     * page). Close it before this block.
     */
    public BlockChunkReader newChunkReader() {
        return new BlockChunkReader(allocator, chunks);
    }

    /**
     * The bytes of chunk {@code ref} through this block's own {@link BlockChunkReader}: one thread at
     * a time. The segment is valid until the next {@code readChunk}/{@code decodeChunk} or {@link #close()}.
     */
    public MemorySegment readChunk(final long ref) {
        return chunkReader.readChunk(ref);
    }

    /** Decodes chunk {@code ref} through this block's own {@link BlockChunkReader}: one thread at a time. */
    public int decodeChunk(final long ref, final ChunkDecoder decoder, final long[] timestamps, final double[] values) {
        return chunkReader.decodeChunk(ref, decoder, timestamps, values);
    }

    private int labelNameCount() {
        return (int) (index.sectionLength(BlockLayout.LABEL_NAMES) / BlockLayout.LABEL_NAME_ENTRY_BYTES);
    }

    private long nameEntryOffset(final int i) {
        return index.sectionOffset(BlockLayout.LABEL_NAMES) + (long) i * BlockLayout.LABEL_NAME_ENTRY_BYTES;
    }

    private int findName(final String name) {
        int low = 0;
        int high = labelNameCount() - 1;
        while (low <= high) {
            final int middle = (low + high) >>> 1;
            final long entry = nameEntryOffset(middle);
            final int c = LabelOrder.compare(index.symbol(Integer.toUnsignedLong(index.bytes().get(BlockLayout.U32, entry)), entry), name);
            if (c < 0) {
                low = middle + 1;
            } else if (c > 0) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    private int firstPair(final long nameEntry) {
        final long first = Integer.toUnsignedLong(index.bytes().get(BlockLayout.U32, nameEntry + 4));
        if (first >= pairTotal()) {
            throw index.corrupt(nameEntry + 4, "first postings entry " + first + " beyond the table of " + pairTotal());
        }
        return (int) first;
    }

    private int pairCount(final long nameEntry, final int first) {
        final long count = Integer.toUnsignedLong(index.bytes().get(BlockLayout.U32, nameEntry + 8));
        if (count > pairTotal() - first) {
            throw index.corrupt(nameEntry + 8, "postings entry count " + count + " runs past the table of " + pairTotal());
        }
        return (int) count;
    }

    private long pairTotal() {
        return index.sectionLength(BlockLayout.POSTINGS_TABLE) / BlockLayout.POSTINGS_ENTRY_BYTES;
    }

    private String pairValue(final int pair) {
        final long entry = index.sectionOffset(BlockLayout.POSTINGS_TABLE) + (long) pair * BlockLayout.POSTINGS_ENTRY_BYTES;
        return index.symbol(Integer.toUnsignedLong(index.bytes().get(BlockLayout.U32, entry + 4)), entry + 4);
    }

    private int[] readPostings(final int pair) {
        final long entry = index.sectionOffset(BlockLayout.POSTINGS_TABLE) + (long) pair * BlockLayout.POSTINGS_ENTRY_BYTES;
        final long offset = index.bytes().get(BlockLayout.I64, entry + 8);
        final long length = index.sectionLength(BlockLayout.POSTINGS);
        if (offset < 0 || offset > length - 4) {
            throw index.corrupt(entry + 8, "postings offset " + offset + " outside the section of " + length + " bytes");
        }
        final long at = index.sectionOffset(BlockLayout.POSTINGS) + offset;
        final long count = Integer.toUnsignedLong(index.bytes().get(BlockLayout.U32, at));
        if (count > (length - offset - 4) / 4 || count > meta.seriesCount()) {
            throw index.corrupt(at, "postings count " + count + " runs past the section or above the series count");
        }
        final int[] ids = new int[(int) count];
        MemorySegment.copy(index.bytes(), BlockLayout.U32, at + 4, ids, 0, ids.length);
        return ids;
    }

    /** Unmaps the files and frees the page buffer. */
    @Override
    public void close() {
        chunkReader.close();
        chunks.close();
        index.close();
    }
}
