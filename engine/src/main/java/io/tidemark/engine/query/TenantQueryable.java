package io.tidemark.engine.query;

import io.tidemark.codecs.chunk.ChunkDecoder;
import io.tidemark.codecs.chunk.ChunkLayout;
import io.tidemark.engine.db.BlockSnapshot;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.head.SeriesCursor;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.tiering.block.BlockReader;
import io.tidemark.tiering.block.BlockSeries;
import io.tidemark.tiering.block.DeletedRanges;
import io.tidemark.tiering.block.LabelOrder;
import io.tidemark.tiering.block.SeriesDeletions;
import io.tidemark.tiering.cache.DecodedChunkCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link Queryable} over one tenant of a {@link Tidemark} database, reading its head and its sealed blocks as one.
 * An unknown tenant reads as empty. Thread-safe.
 *
 * <p>Series are those the matchers select in the head's index or in any block overlapping the range, merged by
 * label set in Prometheus' order (code points, pair by pair). A series' samples are read from the head first, from
 * the tenant's sealed boundary on (before it the blocks hold everything), then from the blocks, listed again at
 * that moment: the sealer publishes a block before it moves the boundary and before it truncates the head, so a
 * read that misses truncated head data finds the block. Where head and blocks (or two blocks) still hold the same
 * timestamp, the sample is returned once. Samples that {@link Tidemark#deleteSeries} deleted are left out (a series
 * whose samples are all deleted is still selected, with none).
 *
 * <p>Reads decode through one {@link SeriesCursor} and one set of block decode buffers per reading thread, shared
 * by all its series sets: they hold about 2 MB (a chunk can hold {@code 0xFFFF} samples), which a set of its own
 * would allocate per select, and {@link SeriesSet#samples} drains them within the call. A block decodes through its
 * own chunk reader under the block's lock: one thread at a time per block. A series set can be split into
 * partitions ({@link SeriesSet#partition}) that several threads read at once, each through its own buffers.
 *
 * <p>Blocks are read only inside a {@link BlockSnapshot} taken for the {@code select} or {@code samples} call, so
 * compaction and retention can replace and close blocks between calls but never under one. A series that a select
 * found in blocks later merged by compaction is found in the merged block by its labels, as a newly sealed one is.
 */
public final class TenantQueryable implements Queryable {
    private static final ThreadLocal<SeriesCursor> CURSORS = ThreadLocal.withInitial(SeriesCursor::new);
    private static final ThreadLocal<BlockScratch> BLOCK_SCRATCH = ThreadLocal.withInitial(BlockScratch::new);

    private final Tidemark database;
    private final String tenant;

    /** A read view of {@code tenant} in {@code database}. */
    public TenantQueryable(final Tidemark database, final String tenant) {
        this.database = database;
        this.tenant = tenant;
    }

    /** Per thread: a block chunk decoder and its output, and the merge arrays. */
    private static final class BlockScratch {
        final ChunkDecoder decoder = new ChunkDecoder();
        final long[] timestamps = new long[ChunkLayout.MAX_SAMPLES];
        final double[] values = new double[ChunkLayout.MAX_SAMPLES];
        final BlockSeries series = new BlockSeries();
    }

    /** One selected series: its labels, its head id (or -1) and its id in each block of the snapshot (or -1). */
    private static final class Selected {
        final String[] pairs;
        LabelSet labels;
        int headId = -1;
        final int[] blockIds;

        Selected(final String[] pairs, final int blocks) {
            this.pairs = pairs;
            this.blockIds = new int[blocks];
            Arrays.fill(blockIds, -1);
        }
    }

    @Override
    public SeriesSet select(final List<LabelMatcher> matchers, final long minTime, final long maxTime) {
        try (BlockSnapshot snapshot = database.acquireBlocks(tenant)) {
            final List<BlockReader> blocks = overlapping(snapshot.blocks(), minTime, maxTime);
            final TreeMap<String[], Selected> selected = new TreeMap<>(LabelOrder::compareLabelSets);
            for (final int id : database.select(tenant, matchers)) {
                final LabelSet labels = database.labels(tenant, id);
                final Selected entry = selected.computeIfAbsent(labels.namesAndValues(), p -> new Selected(p, blocks.size()));
                entry.labels = labels;
                entry.headId = id;
            }
            final BlockScratch scratch = BLOCK_SCRATCH.get();
            for (int b = 0; b < blocks.size(); b++) {
                final BlockReader block = blocks.get(b);
                for (final int id : BlockSelection.select(block, matchers, scratch.series)) {
                    final String[] pairs = block.series(id, scratch.series).labels().clone();
                    final Selected entry = selected.computeIfAbsent(pairs, p -> new Selected(p, blocks.size()));
                    if (entry.labels == null) {
                        entry.labels = LabelSet.of(pairs);
                    }
                    entry.blockIds[b] = id;
                }
            }
            // the set keeps the readers only to recognise them (by identity) in later snapshots
            return new MergedSeriesSet(selected.values().toArray(new Selected[0]), blocks, matchers, minTime, maxTime);
        }
    }

    private static List<BlockReader> overlapping(final List<BlockReader> blocks, final long minTime, final long maxTime) {
        final List<BlockReader> overlapping = new ArrayList<>(blocks.size());
        for (final BlockReader block : blocks) {
            if (block.meta().minTime() <= maxTime && block.meta().maxTime() >= minTime) {
                overlapping.add(block);
            }
        }
        return overlapping;
    }

    /** Of the head's series and every block's: a series leaves the head's index once blocks hold all it had. */
    @Override
    public List<String> labelNames(final List<LabelMatcher> matchers) {
        return labels(null, matchers, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Of the head's series and every block's, as {@link #labelNames(List)}. */
    @Override
    public List<String> labelValues(final String name, final List<LabelMatcher> matchers) {
        return labels(name, matchers, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * The label names of the series that {@code matchers} select (all when empty) and that may have samples in
     * [minTime, maxTime], sorted by code point: from the head, series whose newest sample is in or after the range
     * ({@link Tidemark#headLabels}); from every block overlapping the range, its selected series, whatever their own
     * times (a block's granularity, as Prometheus answers). A superset for a narrow range, never a subset.
     */
    public List<String> labelNames(final List<LabelMatcher> matchers, final long minTime, final long maxTime) {
        return labels(null, matchers, minTime, maxTime);
    }

    /** The values of label {@code name}, chosen as {@link #labelNames(List, long, long)} chooses names. */
    public List<String> labelValues(final String name, final List<LabelMatcher> matchers, final long minTime, final long maxTime) {
        return labels(name, matchers, minTime, maxTime);
    }

    private List<String> labels(final String name, final List<LabelMatcher> matchers, final long minTime, final long maxTime) {
        final TreeSet<String> found = new TreeSet<>(LabelOrder::compare);
        if (minTime == Long.MIN_VALUE && maxTime == Long.MAX_VALUE) { // every head series: no state to read per series
            found.addAll(name == null ? database.labelNames(tenant, matchers) : database.labelValues(tenant, name, matchers));
        } else {
            found.addAll(database.headLabels(tenant, name, matchers, minTime, maxTime));
        }
        try (BlockSnapshot snapshot = database.acquireBlocks(tenant)) {
            final BlockScratch scratch = BLOCK_SCRATCH.get();
            for (final BlockReader block : overlapping(snapshot.blocks(), minTime, maxTime)) {
                if (matchers.isEmpty()) {
                    found.addAll(name == null ? block.labelNames() : block.labelValues(name));
                    continue;
                }
                for (final int id : BlockSelection.select(block, matchers, scratch.series)) {
                    final String[] pairs = block.series(id, scratch.series).labels();
                    for (int p = 0; p < pairs.length; p += 2) {
                        if (name == null) {
                            found.add(pairs[p]);
                        } else if (pairs[p].equals(name)) {
                            found.add(pairs[p + 1]);
                            break;
                        }
                    }
                }
            }
        }
        return new ArrayList<>(found);
    }

    /** Prometheus' label order: pairwise by name, then value (by code point), shorter set first on a tie. */
    static int compareLabels(final LabelSet a, final LabelSet b) {
        final int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = LabelOrder.compare(a.name(i), b.name(i));
            if (c != 0) {
                return c;
            }
            c = LabelOrder.compare(a.value(i), b.value(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private final class MergedSeriesSet implements SeriesSet {
        private final Selected[] series;
        private final List<BlockReader> blocks;
        private final List<LabelMatcher> matchers;
        private final long minTime;
        private final long maxTime;
        /**
         * Blocks published after the select (sealed, or merged by compaction), with the ids the matchers select in
         * each: found when first needed. Keys are only compared by identity; a key may be closed by now.
         */
        private final Map<BlockReader, int[]> later = new IdentityHashMap<>();
        private int position = -1;

        MergedSeriesSet(final Selected[] series, final List<BlockReader> blocks, final List<LabelMatcher> matchers,
                        final long minTime, final long maxTime) {
            this.series = series;
            this.blocks = blocks;
            this.matchers = matchers;
            this.minTime = minTime;
            this.maxTime = maxTime;
        }

        @Override
        public int size() {
            return series.length;
        }

        @Override
        public boolean partitionable() {
            return true;
        }

        /** The selected entries are not written after the select; each partition finds later blocks itself. */
        @Override
        public SeriesSet partition(final int from, final int to) {
            if (from < 0 || to > series.length || from > to) {
                throw new IllegalArgumentException("from=" + from + " to=" + to + " size=" + series.length);
            }
            return new MergedSeriesSet(Arrays.copyOfRange(series, from, to), blocks, matchers, minTime, maxTime);
        }

        @Override
        public boolean next() {
            return ++position < series.length;
        }

        @Override
        public LabelSet labels() {
            return series[position].labels;
        }

        @Override
        public int samples(final SampleBuffer into) {
            into.clear();
            final Selected current = series[position];
            // Deletions first: one retired after this read was applied to the blocks and the sealed boundary read below.
            final SeriesDeletions deletions = database.deletions(tenant);
            final SeriesCursor cursor = CURSORS.get();
            // Before the sealed boundary the blocks hold everything: the head is read from it on only (a chunk
            // that straddles it would otherwise return its older samples twice).
            final long headFrom = Math.max(minTime, database.sealedThrough(tenant));
            final int fromHead = current.headId < 0 || headFrom > maxTime ? 0
                : database.read(tenant, current.headId, headFrom, maxTime, cursor);
            final BlockScratch scratch = BLOCK_SCRATCH.get();
            // blocks listed after the head was read (see the class comment), and held open while they are read
            try (BlockSnapshot snapshot = database.acquireBlocks(tenant)) {
                for (final BlockReader block : overlapping(snapshot.blocks(), minTime, maxTime)) {
                    final int at = indexOf(blocks, block);
                    final int id = at >= 0 ? current.blockIds[at] : findInLater(block, current.pairs, scratch);
                    if (id >= 0) {
                        readBlock(block, id, scratch, into);
                    }
                }
            }
            for (int i = 0; i < fromHead; i++) {
                cursor.next();
                into.add(cursor.timestamp(), cursor.value());
            }
            sortAndDropDuplicates(into);
            if (deletions != SeriesDeletions.NONE) {
                final long[] deleted = deletions.deleted(current.pairs);
                if (deleted != null) {
                    into.truncate(DeletedRanges.remove(deleted, into.timestamps(), into.values(), into.size()));
                }
            }
            return into.size();
        }

        private static int indexOf(final List<BlockReader> blocks, final BlockReader block) {
            for (int i = 0; i < blocks.size(); i++) {
                if (blocks.get(i) == block) {
                    return i;
                }
            }
            return -1;
        }

        /** The id of the series with {@code pairs} in a block published after the select (sealed or compacted), or -1. */
        private int findInLater(final BlockReader block, final String[] pairs, final BlockScratch scratch) {
            final int[] ids = later.computeIfAbsent(block, b -> BlockSelection.select(b, matchers, scratch.series));
            int low = 0;
            int high = ids.length - 1;
            while (low <= high) {
                final int middle = (low + high) >>> 1;
                final int c = LabelOrder.compareLabelSets(block.series(ids[middle], scratch.series).labels(), pairs);
                if (c < 0) {
                    low = middle + 1;
                } else if (c > 0) {
                    high = middle - 1;
                } else {
                    return ids[middle];
                }
            }
            return -1;
        }

        private void readBlock(final BlockReader block, final int id, final BlockScratch scratch, final SampleBuffer into) {
            final BlockSeries entry = block.series(id, scratch.series);
            for (int c = 0; c < entry.chunkCount(); c++) {
                if (entry.chunkMaxTime(c) < minTime || entry.chunkMinTime(c) > maxTime) {
                    continue;
                }
                final int decoded = decode(block, entry.chunkRef(c), scratch);
                for (int i = 0; i < decoded; i++) {
                    final long t = scratch.timestamps[i];
                    if (t >= minTime && t <= maxTime) {
                        into.add(t, scratch.values[i]);
                    }
                }
            }
        }
    }

    /**
     * Decodes a block chunk into the scratch arrays, through the database's chunk cache when it has one:
     * a hit copies the decoded samples, a miss decodes (under the block's lock) and caches them.
     */
    private int decode(final BlockReader block, final long ref, final BlockScratch scratch) {
        final DecodedChunkCache cache = database.chunkCache();
        if (cache == null) {
            synchronized (block) {
                return block.decodeChunk(ref, scratch.decoder, scratch.timestamps, scratch.values);
            }
        }
        final int number = database.blockNumber(block);
        final int cached = cache.get(number, ref, scratch.timestamps, scratch.values);
        if (cached >= 0) {
            return cached;
        }
        final int decoded;
        synchronized (block) {
            decoded = block.decodeChunk(ref, scratch.decoder, scratch.timestamps, scratch.values);
        }
        cache.put(number, ref, scratch.timestamps, scratch.values, decoded);
        return decoded;
    }

    /**
     * Blocks first, then the head: usually already in strictly increasing time. Where it is not (blocks that
     * overlap, head data not yet truncated), orders by time and keeps the first sample of each timestamp.
     */
    static void sortAndDropDuplicates(final SampleBuffer samples) {
        final int n = samples.size();
        final long[] timestamps = samples.timestamps();
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = timestamps[i] > timestamps[i - 1];
        }
        if (sorted) {
            return;
        }
        final double[] values = samples.values();
        final Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(timestamps[a], timestamps[b])); // stable: the first source wins
        final long[] t = new long[n];
        final double[] v = new double[n];
        int kept = 0;
        for (final int i : order) {
            if (kept == 0 || timestamps[i] != t[kept - 1]) {
                t[kept] = timestamps[i];
                v[kept++] = values[i];
            }
        }
        samples.clear();
        for (int i = 0; i < kept; i++) {
            samples.add(t[i], v[i]);
        }
    }
}
