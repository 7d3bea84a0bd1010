package io.tidemark.tiering.block;

import io.tidemark.codecs.chunk.ChunkDecoder;
import io.tidemark.codecs.chunk.ChunkEncoder;
import io.tidemark.codecs.chunk.ChunkLayout;
import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges blocks into one new block whose {@code parents} file names them (see {@link BlockParents}).
 *
 * <p>Layout: when the inputs do not overlap in time (adjacent blocks, the usual case), their chunk data
 * is copied first, input by input in time order ({@link #writeAhead}, 12 bytes held per chunk), so a
 * compressed page holds many series of one time range; the series then refer to it.
 *
 * <p>Streaming: the inputs' series are walked in label order as a k-way merge, one series of each
 * input at a time, so memory does not grow with the number of series beyond that. A series found in one input,
 * or in several whose chunks do not overlap in time (adjacent blocks), has its chunks copied as
 * they are. Where chunks of a series overlap (overlapping blocks), its samples are decoded, ordered
 * by time, deduplicated by timestamp keeping the sample of the input listed first, and re-encoded
 * by the codecs' {@link ChunkEncoder} in chunks of at most {@code chunkSamples}; only that one
 * series' samples are held. A series with deleted ranges ({@link SeriesDeletions}, tombstones) over its
 * chunks goes the same way, leaving the deleted samples out.
 *
 * <p>Each input is read through a chunk reader of its own ({@link BlockReader#newChunkReader()}),
 * so queries keep reading the inputs while they are compacted. Native memory: one encoder, one
 * output buffer, one page buffer per input and the writer's page buffers, all freed by
 * {@link #compact}'s end or {@link #close()}. Not thread-safe: one compaction at a time.
 */
public final class BlockCompactor implements AutoCloseable {
    private final NativeAllocator allocator;
    private final BlockWriterOptions options;
    private final int chunkSamples;
    private final ChunkEncoder encoder;
    private final Allocation encoded;
    private final ChunkDecoder decoder = new ChunkDecoder();
    private final long[] decodedTimes = new long[ChunkLayout.MAX_SAMPLES];
    private final double[] decodedValues = new double[ChunkLayout.MAX_SAMPLES];
    private final SampleMerge merge = new SampleMerge();
    private long[] chunkOrder = new long[64];

    /** A compactor writing with {@code options}, re-encoding merged series in chunks of at most {@code chunkSamples}. */
    public BlockCompactor(final NativeAllocator allocator, final BlockWriterOptions options, final int chunkSamples) {
        if (chunkSamples < 1 || chunkSamples > ChunkLayout.MAX_SAMPLES) {
            throw new IllegalArgumentException("chunkSamples must be in 1.." + ChunkLayout.MAX_SAMPLES + ": chunkSamples=" + chunkSamples);
        }
        this.allocator = allocator;
        this.options = options;
        this.chunkSamples = chunkSamples;
        this.encoder = new ChunkEncoder(allocator, chunkSamples);
        try {
            this.encoded = allocator.allocate(MemoryTag.BLOCKS, ChunkEncoder.maxBytes(chunkSamples));
        } catch (final Throwable t) {
            encoder.close();
            throw t;
        }
    }

    /** One input: its reader, its own chunk reader, and the series the merge is at. */
    private static final class Input {
        final BlockReader block;
        final BlockChunkReader chunks;
        final BlockSeries series = new BlockSeries();
        int id = -1;
        /** With the chunk data written ahead (see {@link #writeAhead}): each chunk's new reference and samples. */
        long[] refs;
        int[] samples;
        /** The ordinal, among this input's chunks, of the current series' first chunk. */
        int chunkCursor;

        Input(final BlockReader block) {
            this.block = block;
            this.chunks = block.newChunkReader();
        }

        boolean advance() {
            if (++id >= block.seriesCount()) {
                return false;
            }
            block.series(id, series);
            return true;
        }

        boolean hasSeries() {
            return id < block.seriesCount();
        }
    }

    /**
     * Writes the merge of {@code inputs} as a new block in {@code directory} and returns its path.
     * On a duplicate timestamp the sample of the input listed first is kept. The inputs stay open
     * and in place: deleting them is the caller's, once the new block is published. On failure no new
     * block is left behind, even one renamed into place whose directory fsync then failed.
     */
    public Path compact(final Path directory, final List<BlockReader> inputs) throws IOException {
        return compact(directory, inputs, SeriesDeletions.NONE);
    }

    /**
     * As {@link #compact(Path, List)}, leaving out the samples that {@code deletions} deletes: a
     * series with deleted ranges over its chunks is decoded, filtered and re-encoded (the other series
     * are copied as they are, and chunk data is then not written ahead). Returns null, writing no
     * block, when nothing is left.
     */
    public Path compact(final Path directory, final List<BlockReader> inputs, final SeriesDeletions deletions)
        throws IOException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("nothing to compact");
        }
        final List<BlockId> parents = new ArrayList<>(inputs.size());
        final Input[] sources = new Input[inputs.size()];
        try (BlockWriter writer = BlockWriter.create(allocator, directory, options)) {
            for (int i = 0; i < sources.length; i++) {
                sources[i] = new Input(inputs.get(i));
                sources[i].advance();
                parents.add(inputs.get(i).meta().id());
            }
            writer.parents(parents);
            if (deletions == SeriesDeletions.NONE && disjoint(sources)) {
                writeAhead(writer, sources);
            }
            int written = 0;
            final Input[] members = new Input[sources.length];
            while (true) {
                Input first = null;
                for (final Input source : sources) {
                    if (source.hasSeries() && (first == null || compare(source.series, first.series) < 0)) {
                        first = source;
                    }
                }
                if (first == null) {
                    break;
                }
                int count = 0;
                for (final Input source : sources) {
                    if (source.hasSeries() && (source == first || compare(source.series, first.series) == 0)) {
                        members[count++] = source; // in input order: the first listed wins duplicates
                    }
                }
                final String[] labels = first.series.labels();
                if (writeSeries(writer, labels, members, count, deletions.deleted(labels))) {
                    written++;
                }
                for (int m = 0; m < count; m++) {
                    members[m].chunkCursor += members[m].series.chunkCount();
                    members[m].advance();
                }
            }
            if (written == 0) {
                return null; // everything was deleted: closing the writer removes its temporary directory
            }
            try {
                return writer.finish();
            } catch (final IOException | RuntimeException e) {
                // the rename may have happened (the directory fsync after it failed): a block the caller
                // does not publish must not supersede its parents on the next open
                try {
                    BlockDirectory.deleteBlock(options.files(), directory, writer.id());
                } catch (final IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } finally {
            for (final Input source : sources) {
                if (source != null) {
                    source.chunks.close();
                }
            }
        }
    }

    /**
     * Writes the series with {@code labels} whose chunks are in {@code members[0..count)}, without the
     * samples in the {@code deleted} ranges (null: none); returns false, writing nothing, if none is left.
     */
    private boolean writeSeries(final BlockWriter writer, final String[] labels, final Input[] members, final int count,
                                final long[] deleted) throws IOException {
        int chunks = 0;
        for (int m = 0; m < count; m++) {
            chunks += members[m].series.chunkCount();
        }
        if (chunks > chunkOrder.length) {
            chunkOrder = new long[Math.max(chunks, 2 * chunkOrder.length)];
        }
        // (member << 32 | chunk), sorted by min time
        int n = 0;
        for (int m = 0; m < count; m++) {
            for (int c = 0; c < members[m].series.chunkCount(); c++) {
                chunkOrder[n++] = (long) m << 32 | c;
            }
        }
        sortByMinTime(members, n);
        boolean decode = false;
        long previousMax = Long.MIN_VALUE;
        for (int i = 0; i < n && !decode; i++) {
            final BlockSeries series = members[(int) (chunkOrder[i] >>> 32)].series;
            final int c = (int) chunkOrder[i];
            decode = i > 0 && series.chunkMinTime(c) <= previousMax
                || deleted != null && DeletedRanges.overlaps(deleted, series.chunkMinTime(c), series.chunkMaxTime(c));
            previousMax = Math.max(previousMax, series.chunkMaxTime(c));
        }
        if (!decode) {
            writer.startSeries(labels);
            for (int i = 0; i < n; i++) {
                final Input member = members[(int) (chunkOrder[i] >>> 32)];
                final int c = (int) chunkOrder[i];
                if (member.refs != null) {
                    final int ordinal = member.chunkCursor + c;
                    writer.addChunkRef(member.series.chunkMinTime(c), member.series.chunkMaxTime(c), member.refs[ordinal],
                        member.samples[ordinal]);
                    continue;
                }
                final MemorySegment chunk = member.chunks.readChunk(member.series.chunkRef(c));
                writer.addChunk(member.series.chunkMinTime(c), member.series.chunkMaxTime(c), chunk, 0, (int) chunk.byteSize());
            }
            return true;
        }
        merge.clear();
        for (int m = 0; m < count; m++) { // input order, then chunk order: the stable sort keeps the first
            final Input member = members[m];
            for (int c = 0; c < member.series.chunkCount(); c++) {
                final int decoded = member.chunks.decodeChunk(member.series.chunkRef(c), decoder, decodedTimes, decodedValues);
                merge.add(decodedTimes, decodedValues, decoded);
            }
        }
        int samples = merge.sortAndDropDuplicates();
        final long[] times = merge.times();
        final double[] values = merge.values();
        if (deleted != null) {
            samples = DeletedRanges.remove(deleted, times, values, samples);
            if (samples == 0) {
                return false;
            }
        }
        writer.startSeries(labels);
        for (int from = 0; from < samples; from += chunkSamples) {
            final int length = Math.min(chunkSamples, samples - from);
            System.arraycopy(times, from, decodedTimes, 0, length);
            System.arraycopy(values, from, decodedValues, 0, length);
            final int bytes = encoder.encode(decodedTimes, decodedValues, length, encoded.segment(), 0, encoded.bytes());
            if (bytes < 0) {
                throw new IllegalStateException("a chunk of " + length + " samples did not fit in " + encoded.bytes() + " bytes");
            }
            writer.addChunk(decodedTimes[0], decodedTimes[length - 1], encoded.segment(), 0, bytes);
        }
        return true;
    }

    /** Whether the inputs' time ranges are pairwise disjoint (adjacent blocks), so no series can need re-encoding. */
    private static boolean disjoint(final Input[] sources) {
        final Input[] byTime = sources.clone();
        java.util.Arrays.sort(byTime, java.util.Comparator.comparingLong(source -> source.block.meta().minTime()));
        for (int i = 1; i < byTime.length; i++) {
            if (byTime[i].block.meta().minTime() <= byTime[i - 1].block.meta().maxTime()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies every chunk of the inputs into the new block ahead of the series, input by input in
     * time order and each input's series in label order, and remembers each chunk's new reference:
     * a compressed page then holds many series of one time range, as in the sealed blocks, instead
     * of a few series over the whole range (on node data that is 23% more bytes with 12 h blocks).
     * Each input's chunks are copied in its own file order, so an input that is itself compacted keeps
     * its window-by-window layout. Holds about 36 bytes per chunk of one input at a time, 12 per chunk
     * of all inputs.
     */
    private static void writeAhead(final BlockWriter writer, final Input[] sources) throws IOException {
        final Input[] byTime = sources.clone();
        java.util.Arrays.sort(byTime, java.util.Comparator.comparingLong(source -> source.block.meta().minTime()));
        final BlockSeries series = new BlockSeries();
        for (final Input source : byTime) {
            final long chunks = source.block.meta().chunkCount();
            if (chunks > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("too many chunks in one input to compact: " + chunks);
            }
            source.refs = new long[(int) chunks];
            source.samples = new int[(int) chunks];
            // the input's chunks in its own file order (a compacted input is laid out window by window already)
            final long[] oldRefs = new long[(int) chunks];
            int ordinal = 0;
            for (int id = 0; id < source.block.seriesCount(); id++) {
                source.block.series(id, series);
                for (int c = 0; c < series.chunkCount(); c++) {
                    if (ordinal == oldRefs.length) {
                        throw new IllegalStateException("block " + source.block.meta().id() + " has more chunks than its meta says ("
                            + chunks + ")");
                    }
                    oldRefs[ordinal++] = series.chunkRef(c);
                }
            }
            final Integer[] fileOrder = new Integer[ordinal];
            for (int i = 0; i < ordinal; i++) {
                fileOrder[i] = i;
            }
            java.util.Arrays.sort(fileOrder, (a, b) -> Long.compareUnsigned(oldRefs[a], oldRefs[b]));
            for (final int i : fileOrder) {
                final MemorySegment chunk = source.chunks.readChunk(oldRefs[i]);
                source.samples[i] = ChunkDecoder.sampleCount(chunk, 0, chunk.byteSize());
                source.refs[i] = writer.writeChunk(chunk, 0, (int) chunk.byteSize());
            }
        }
    }

    /** Insertion sort of {@link #chunkOrder}{@code [0..n)} by chunk min time, stable: chunks of a series are few and mostly in order. */
    private void sortByMinTime(final Input[] members, final int n) {
        for (int i = 1; i < n; i++) {
            final long entry = chunkOrder[i];
            final long key = minTime(members, entry);
            int j = i - 1;
            while (j >= 0 && minTime(members, chunkOrder[j]) > key) {
                chunkOrder[j + 1] = chunkOrder[j];
                j--;
            }
            chunkOrder[j + 1] = entry;
        }
    }

    private static long minTime(final Input[] members, final long entry) {
        return members[(int) (entry >>> 32)].series.chunkMinTime((int) entry);
    }

    /** Compares the label sets of two series in {@link LabelOrder} without copying them. */
    static int compare(final BlockSeries a, final BlockSeries b) {
        final int n = Math.min(a.labelCount(), b.labelCount());
        for (int i = 0; i < n; i++) {
            int c = LabelOrder.compare(a.labelName(i), b.labelName(i));
            if (c != 0) {
                return c;
            }
            c = LabelOrder.compare(a.labelValue(i), b.labelValue(i));
            if (c != 0) {
                return c;
            }
        }
        return a.labelCount() - b.labelCount();
    }

    /** Frees the encoder and its output buffer. */
    @Override
    public void close() {
        encoder.close();
        encoded.close();
    }
}
