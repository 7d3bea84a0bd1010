package io.tidemark.tiering.block;

import io.tidemark.codecs.chunk.ChunkDecoder;
import io.tidemark.codecs.chunk.CorruptChunkException;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Writes one immutable block (format in {@link BlockLayout} and {@code docs/format/block.md}) from
 * series given in label order, each followed by its chunks in time order:
 * <pre>
 *   try (BlockWriter writer = BlockWriter.create(allocator, blocksDirectory, options)) {
 *       writer.startSeries("__name__", "up", "job", "node");     // names and values alternating, sorted by name
 *       writer.addChunk(minTime, maxTime, chunk, offset, length); // encoded as by the codecs' ChunkEncoder
 *       ...
 *       Path block = writer.finish();                             // now visible under its id
 *   }
 * </pre>
 * Everything is written under {@code <id>.tmp/}; {@link #finish()} forces every file and the
 * directories to the device and renames the directory to {@code <id>/}, so a block directory
 * without the suffix is always complete. {@link #close()} without {@code finish()} (or after it
 * failed) deletes the temporary directory; after a crash, {@link BlockDirectory#open} does.
 *
 * <p>Memory: chunk bytes are streamed into one page buffer (native, {@code pageBytes}) and series
 * entries straight to the index file, so chunk data is never held. What is held on the heap until
 * {@link #finish()}: each distinct label name and value once, 4 bytes per label of every series
 * (postings), 8 bytes per series (series offsets), 16 bytes per page, and the chunk references of
 * the current series.
 *
 * <p>Not thread-safe: one writer per block, on one thread.
 */
public final class BlockWriter implements AutoCloseable {
    private final BlockWriterOptions options;
    private final BlockId id;
    private final Path temporary;
    private final Path target;
    private final SymbolsAndPostings symbols = new SymbolsAndPostings();
    private final ChunkPageWriter pages;
    private final FileChannel indexChannel;
    private final IndexOutput index;
    private String[] currentLabels;
    private int[] currentLabelRefs = new int[16];
    private long[] currentChunks = new long[3 * 16];
    private int currentChunkCount;
    private long[] seriesOffsets = new long[1024];
    private int seriesCount;
    private long chunkCount;
    private long sampleCount;
    private long minTime = Long.MAX_VALUE;
    private long maxTime = Long.MIN_VALUE;
    private List<BlockId> parents = List.of();
    private boolean finished;
    private boolean failed;

    private BlockWriter(final NativeAllocator allocator, final Path blocksDirectory, final BlockWriterOptions options,
                        final BlockId id) throws IOException {
        this.options = options;
        this.id = id;
        this.target = blocksDirectory.resolve(id.toString());
        this.temporary = blocksDirectory.resolve(id + BlockLayout.TEMPORARY_SUFFIX);
        if (Files.exists(target) || Files.exists(temporary)) {
            throw new IllegalStateException("block directory already exists: id=" + id);
        }
        Files.createDirectories(temporary.resolve(BlockLayout.CHUNKS_DIRECTORY));
        ChunkPageWriter pageWriter = null;
        FileChannel channel = null;
        try {
            pageWriter = new ChunkPageWriter(allocator, options.files(), temporary.resolve(BlockLayout.CHUNKS_DIRECTORY),
                options.pageBytes(), options.chunkFileBytes(), options.zstdLevel());
            channel = options.files().create(temporary.resolve(BlockLayout.INDEX_FILE));
            this.index = new IndexOutput(channel);
            index.writeHeader();
            index.beginSection(BlockLayout.SERIES);
        } catch (final Throwable t) {
            if (channel != null) {
                channel.close();
            }
            if (pageWriter != null) {
                pageWriter.close();
            }
            BlockDirectory.deleteRecursively(temporary);
            throw t;
        }
        this.pages = pageWriter;
        this.indexChannel = channel;
    }

    /** Starts a block in {@code blocksDirectory} with a new id made from the current time. */
    public static BlockWriter create(final NativeAllocator allocator, final Path blocksDirectory, final BlockWriterOptions options)
        throws IOException {
        return new BlockWriter(allocator, blocksDirectory, options, BlockId.generate(System.currentTimeMillis()));
    }

    /** Starts a block with the given id. */
    public static BlockWriter create(final NativeAllocator allocator, final Path blocksDirectory, final BlockWriterOptions options,
                                     final BlockId id) throws IOException {
        return new BlockWriter(allocator, blocksDirectory, options, id);
    }

    /** The id of the block being written. */
    public BlockId id() {
        return id;
    }

    /**
     * Names the blocks this one replaces (a compaction's inputs): {@link #finish()} writes them to
     * the {@code parents} file before the rename, and {@link BlockDirectory#open} deletes whichever
     * of them are still present once this block is.
     */
    public void parents(final List<BlockId> ids) {
        checkOpen();
        if (ids.size() > BlockLayout.MAX_PARENTS || ids.contains(id)) {
            throw new IllegalArgumentException("parents must be at most " + BlockLayout.MAX_PARENTS
                + " other blocks: count=" + ids.size());
        }
        parents = List.copyOf(ids);
    }

    /**
     * Starts the next series. {@code labels} alternates names and values, sorted by name in
     * {@link LabelOrder}, names unique and non-empty, values non-empty; the label set must sort
     * after the previous series'. The previous series must have had at least one chunk.
     */
    public void startSeries(final String... labels) throws IOException {
        checkOpen();
        if (labels.length == 0 || (labels.length & 1) != 0 || labels.length / 2 > 0xFFFF) {
            throw new IllegalArgumentException("labels must be 1..65535 name/value pairs: length=" + labels.length);
        }
        for (int i = 0; i < labels.length; i += 2) {
            if (labels[i].isEmpty() || labels[i + 1].isEmpty()) {
                throw new IllegalArgumentException("empty label name or value: labels=" + Arrays.toString(labels));
            }
            if (i > 0 && LabelOrder.compare(labels[i - 2], labels[i]) >= 0) {
                throw new IllegalArgumentException("label names not sorted and unique: labels=" + Arrays.toString(labels));
            }
        }
        if (currentLabels != null && LabelOrder.compareLabelSets(currentLabels, labels) >= 0) {
            throw new IllegalArgumentException("series out of order: " + Arrays.toString(labels) + " after "
                + Arrays.toString(currentLabels));
        }
        endSeries();
        currentLabels = labels.clone();
        if (labels.length > currentLabelRefs.length) {
            currentLabelRefs = new int[labels.length];
        }
        for (int i = 0; i < labels.length; i++) {
            currentLabelRefs[i] = symbols.symbol(labels[i]);
        }
        for (int i = 0; i < labels.length; i += 2) {
            symbols.addPosting(currentLabelRefs[i], currentLabelRefs[i + 1], seriesCount);
        }
    }

    /**
     * Adds a chunk of the current series: {@code length} bytes at {@code offset} of {@code chunk}, in
     * the codecs' chunk format, whose samples lie in {@code [minTime, maxTime]}. Chunks of a series
     * come in order of min time. The bytes are copied; the caller keeps the segment.
     */
    public void addChunk(final long minTime, final long maxTime, final MemorySegment chunk, final long offset, final int length)
        throws IOException {
        checkOpen();
        if (currentLabels == null) {
            throw new IllegalStateException("addChunk before startSeries");
        }
        checkChunkTimes(minTime, maxTime);
        final int samples = samplesOf(chunk, offset, length);
        attach(minTime, maxTime, appendChunkBytes(chunk, offset, length), samples);
    }

    /**
     * Writes a chunk's bytes now, before the series it belongs to is started, and returns its
     * reference for {@link #addChunkRef}: a compaction writes the chunk data of its inputs window by
     * window (so a compressed page holds many series of one time range, as in a sealed block), then
     * the series in label order. Every chunk written this way must be attached exactly once.
     *
     * @return the chunk's reference in this block
     */
    public long writeChunk(final MemorySegment chunk, final long offset, final int length) throws IOException {
        checkOpen();
        samplesOf(chunk, offset, length);
        return appendChunkBytes(chunk, offset, length);
    }

    /**
     * Adds to the current series a chunk written by {@link #writeChunk}, with {@code samples}
     * samples in {@code [minTime, maxTime]}; chunks of a series come in order of min time.
     */
    public void addChunkRef(final long minTime, final long maxTime, final long ref, final int samples) {
        checkOpen();
        if (currentLabels == null) {
            throw new IllegalStateException("addChunkRef before startSeries");
        }
        checkChunkTimes(minTime, maxTime);
        if (samples < 1 || samples > io.tidemark.codecs.chunk.ChunkLayout.MAX_SAMPLES) {
            throw new IllegalArgumentException("samples out of range: " + samples);
        }
        attach(minTime, maxTime, ref, samples);
    }

    private void checkChunkTimes(final long minTime, final long maxTime) {
        if (maxTime < minTime) {
            throw new IllegalArgumentException("maxTime before minTime: minTime=" + minTime + " maxTime=" + maxTime);
        }
        if (currentChunkCount > 0 && minTime < currentChunks[3 * (currentChunkCount - 1)]) {
            throw new IllegalArgumentException("chunks out of order: minTime=" + minTime + " previousMinTime="
                + currentChunks[3 * (currentChunkCount - 1)]);
        }
    }

    private static int samplesOf(final MemorySegment chunk, final long offset, final int length) {
        try {
            return ChunkDecoder.sampleCount(chunk, offset, length);
        } catch (final CorruptChunkException e) {
            throw new IllegalArgumentException("not a chunk: offset=" + offset + " length=" + length, e);
        }
    }

    private long appendChunkBytes(final MemorySegment chunk, final long offset, final int length) throws IOException {
        try {
            return pages.append(chunk, offset, length);
        } catch (final Throwable t) {
            failed = true;
            throw t;
        }
    }

    private void attach(final long minTime, final long maxTime, final long ref, final int samples) {
        if (3 * currentChunkCount + 3 > currentChunks.length) {
            currentChunks = Arrays.copyOf(currentChunks, currentChunks.length * 2);
        }
        currentChunks[3 * currentChunkCount] = minTime;
        currentChunks[3 * currentChunkCount + 1] = maxTime;
        currentChunks[3 * currentChunkCount + 2] = ref;
        currentChunkCount++;
        chunkCount++;
        sampleCount += samples;
        this.minTime = Math.min(this.minTime, minTime);
        this.maxTime = Math.max(this.maxTime, maxTime);
    }

    /**
     * Completes the block: writes the last page, the index and the meta file, forces them and the
     * directories to the device, and renames {@code <id>.tmp} to {@code <id>}. Returns the block's
     * directory.
     */
    public Path finish() throws IOException {
        checkOpen();
        if (currentLabels == null) {
            throw new IllegalStateException("a block needs at least one series: id=" + id);
        }
        failed = true;
        endSeries();
        pages.finish();
        index.endSection();
        symbols.writeSections(index, seriesOffsets, seriesCount, pages);
        index.writeTableOfContents();
        final long indexBytes = index.position();
        options.files().sync(indexChannel);
        indexChannel.close();
        final long[] fileBytes = new long[pages.fileCount()];
        for (int i = 0; i < fileBytes.length; i++) {
            fileBytes[i] = pages.fileSize(i + 1);
        }
        final BlockMeta meta = new BlockMeta(id, minTime, maxTime, seriesCount, chunkCount, sampleCount, indexBytes, fileBytes);
        try (FileChannel metaChannel = options.files().create(temporary.resolve(BlockLayout.META_FILE))) {
            final ByteBuffer bytes = meta.encode();
            while (bytes.hasRemaining()) {
                metaChannel.write(bytes);
            }
            options.files().sync(metaChannel);
        }
        if (!parents.isEmpty()) {
            try (FileChannel parentsChannel = options.files().create(temporary.resolve(BlockLayout.PARENTS_FILE))) {
                final ByteBuffer bytes = BlockParents.encode(parents);
                while (bytes.hasRemaining()) {
                    parentsChannel.write(bytes);
                }
                options.files().sync(parentsChannel);
            }
        }
        options.files().syncDirectory(temporary.resolve(BlockLayout.CHUNKS_DIRECTORY));
        options.files().syncDirectory(temporary);
        options.files().moveAtomically(temporary, target);
        finished = true;
        failed = false;
        options.files().syncDirectory(target.getParent());
        return target;
    }

    private void endSeries() throws IOException {
        if (currentLabels == null) {
            return;
        }
        if (currentChunkCount == 0) {
            throw new IllegalStateException("series without chunks: labels=" + Arrays.toString(currentLabels));
        }
        if (seriesCount == seriesOffsets.length) {
            seriesOffsets = Arrays.copyOf(seriesOffsets, seriesCount * 2);
        }
        try {
            seriesOffsets[seriesCount] = index.sectionPosition();
            index.uvarint(currentLabels.length / 2);
            for (int i = 0; i < currentLabels.length; i++) {
                index.uvarint(currentLabelRefs[i]);
            }
            index.uvarint(currentChunkCount);
            long previousMax = 0;
            for (int i = 0; i < currentChunkCount; i++) {
                final long chunkMin = currentChunks[3 * i];
                final long chunkMax = currentChunks[3 * i + 1];
                final long ref = currentChunks[3 * i + 2];
                index.zigzag(chunkMin - previousMax);
                index.uvarint(chunkMax - chunkMin);
                index.uvarint(Integer.toUnsignedLong(BlockLayout.refPage(ref)));
                index.uvarint(Integer.toUnsignedLong(BlockLayout.refOffset(ref)));
                previousMax = chunkMax;
            }
        } catch (final Throwable t) {
            failed = true;
            throw t;
        }
        seriesCount++;
        currentChunkCount = 0;
    }

    private void checkOpen() {
        if (finished || failed) {
            throw new IllegalStateException("block writer is " + (finished ? "finished" : "failed") + ": id=" + id);
        }
    }

    /** Releases buffers; if the block was not finished, deletes its temporary directory. */
    @Override
    public void close() throws IOException {
        pages.close();
        if (indexChannel.isOpen()) {
            indexChannel.close();
        }
        if (!finished) {
            options.files().deleteTree(temporary);
        }
    }
}
