package io.tidemark.index;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.postings.PostingsIterator;
import io.tidemark.index.postings.PostingsList;
import io.tidemark.index.postings.PostingsListIterator;
import io.tidemark.index.postings.PostingsMemory;
import io.tidemark.index.series.LabelSet;
import io.tidemark.index.series.SeriesRegistry;
import io.tidemark.index.storage.IdTable;
import io.tidemark.index.symbols.SymbolTable;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.memory.ReaderEpochs;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The series index of one tenant: label sets to stable series ids and back ({@link SeriesRegistry}
 * over a {@link SymbolTable}), a postings list per label pair and one of every series, selection by
 * label matchers with Prometheus' semantics, label name and value enumeration, and cardinality
 * counts.
 *
 * <p>Writers. Creating and removing series take the registry's write lock. A new series is appended
 * to the postings of each of its pairs and to the list of all series before its id becomes visible
 * (see {@link SeriesRegistry}), so a reader never meets an id whose labels or postings are missing.
 * Ids come in increasing order under the lock, so appending keeps every list sorted.
 *
 * <p>Readers never lock. {@link #find} (the write path's lookup) touches only the registry and
 * allocates nothing. Queries ({@link #select}, {@link #labelNames}, {@link #labelValues},
 * {@link #cardinality}) first read the registry's visible-id watermark and ignore ids at or above
 * it, and ignore removed ids; they run inside a reader epoch ({@link ReaderEpochs}) because removal
 * replaces postings lists and frees the old ones once no reader can hold them.
 *
 * <p>Removal ({@link #remove}) marks the series removed, so every reader stops returning them at
 * once, rebuilds the lists they were on without them, and frees the old lists when safe. The two
 * halves can run apart ({@link #markRemoved} on a writer's thread, {@link #purgeRemoved} later on a
 * background one), since readers skip marked series wherever they meet them. What a
 * removed series keeps until restart is described in {@link SeriesRegistry}.
 */
public final class SeriesIndex implements AutoCloseable {
    /** Returned by {@link #find} for a label set with no series. */
    public static final int NOT_FOUND = SeriesRegistry.NOT_FOUND;
    /** The label that holds the metric name. */
    public static final String METRIC_NAME = "__name__";
    private static final IntPredicate ALL = id -> true;
    private static final int MIX = 0x9E3779B9;

    /**
     * Memory sizes.
     *
     * @param blockBytes           bytes per off-heap block of symbols and of series records, at least 64 KiB
     * @param postingsPagesPerSlab 64 KiB postings pages taken from the allocator at a time
     * @param postingsMaxPages     the most postings pages, a multiple of {@code postingsPagesPerSlab}; its
     *                             page table costs 12 heap bytes per page up front
     */
    public record Options(int blockBytes, int postingsPagesPerSlab, int postingsMaxPages) {
        /** 1 MiB blocks, postings taken 1 MiB at a time, up to 4 GiB of postings. */
        public static final Options DEFAULT = new Options(1 << 20, 16, 1 << 16);
    }

    private final SymbolTable symbols;
    private final PostingsMemory postingsMemory;
    private final SeriesRegistry registry;
    private final ReaderEpochs epochs = new ReaderEpochs();
    /** Label names that occur in some series: location = name symbol, id = index into {@link #byName}. */
    private final IdTable names = new IdTable(64);
    private volatile LabelValues[] byName = new LabelValues[64];
    private volatile PostingsList all;
    /** The list of every label value whose series were all removed: never appended to. */
    private final PostingsList emptyList;
    private final ArrayDeque<Retired> retired = new ArrayDeque<>();
    /** Series marked removed whose postings still hold them; under the write lock. */
    private final UnpurgedSeries unpurged = new UnpurgedSeries();
    private final int metricNameSymbol;
    private boolean closed;

    private record Retired(long epoch, PostingsList list) {
    }

    /** An index with {@link Options#DEFAULT} sizes whose memory comes from {@code allocator}. */
    public SeriesIndex(final NativeAllocator allocator) {
        this(allocator, Options.DEFAULT);
    }

    /** An index whose off-heap memory comes from {@code allocator} under the INDEX tag. */
    public SeriesIndex(final NativeAllocator allocator, final Options options) {
        this(allocator, options, 1);
    }

    /**
     * An index for an owner that routes series {@code id} to shard {@code id % shards}: a label set
     * created again after its removal stays on its shard (see {@link SeriesRegistry}).
     */
    public SeriesIndex(final NativeAllocator allocator, final Options options, final int shards) {
        this.symbols = new SymbolTable(allocator, options.blockBytes());
        this.postingsMemory = new PostingsMemory(allocator, options.postingsPagesPerSlab(), options.postingsMaxPages());
        this.registry = new SeriesRegistry(allocator, symbols, options.blockBytes(), this::indexNewSeries, shards);
        this.all = new PostingsList(postingsMemory);
        this.emptyList = new PostingsList(postingsMemory);
        this.metricNameSymbol = symbols.intern(METRIC_NAME);
    }

    static int mix(final int key) {
        final int h = key * MIX;
        return h ^ h >>> 16;
    }

    // ---------------------------------------------------------------- series

    /**
     * The id of the series whose canonical label bytes ({@link io.tidemark.index.series.LabelSetLayout})
     * are {@code [offset, offset + length)}, or {@link #NOT_FOUND}. Lock-free; allocates nothing.
     */
    public int find(final MemorySegment labels, final long offset, final int length) {
        return registry.find(labels, offset, length);
    }

    /**
     * As {@link #find(MemorySegment, long, int)}, trying series {@code expectedId} first (the previous answer plus
     * one, in a scrape's order); see {@link SeriesRegistry#findExpected}. Lock-free; allocates nothing.
     */
    public int findExpected(final MemorySegment labels, final long offset, final int length, final int expectedId) {
        return registry.findExpected(labels, offset, length, expectedId);
    }

    /**
     * Finds {@code count} label sets at once (a request's series), overlapping their cache misses;
     * see {@link SeriesRegistry#findAll}. Lock-free; allocates nothing.
     */
    public void findAll(final MemorySegment labels, final long[] offsets, final int[] lengths, final int count,
                        final int[] ids, final int[] scratch) {
        registry.findAll(labels, offsets, lengths, count, ids, scratch);
    }

    /** The id of the series with these labels, or {@link #NOT_FOUND}. Allocates. */
    public int find(final LabelSet labels) {
        return registry.find(labels);
    }

    /**
     * The id of the series with these canonical label bytes, created and indexed if new.
     *
     * @throws IllegalArgumentException if the bytes are not a valid canonical label set
     * @throws io.tidemark.memory.NativeMemoryLimitException if the index may not take more memory;
     *                                                      nothing of the series stays visible
     */
    public int getOrCreate(final MemorySegment labels, final long offset, final int length) {
        return registry.getOrCreate(labels, offset, length);
    }

    /** Recreates, on restart, the series that had id {@code id} ({@link SeriesRegistry#restore}); ids in increasing order first. */
    public int restore(final int id, final MemorySegment labels, final long offset, final int length) {
        return registry.restore(id, labels, offset, length);
    }

    /** The id of the series with these labels, created and indexed if new. Allocates. */
    public int getOrCreate(final LabelSet labels) {
        return registry.getOrCreate(labels);
    }

    /** The labels of series {@code id} (also of a removed one). Allocates. */
    public LabelSet labels(final int id) {
        return registry.labels(id);
    }

    /** Series {@code id}'s canonical label bytes, in place (valid while the index is open). */
    public java.lang.foreign.MemorySegment labelBytes(final int id) {
        return registry.labelBytes(id);
    }

    /** Number of series, not counting removed ones: the tenant's series count. */
    public int size() {
        return registry.size();
    }

    /** The symbols of this index. */
    public SymbolTable symbols() {
        return symbols;
    }

    /** The registry of this index. */
    public SeriesRegistry registry() {
        return registry;
    }

    /** Called by the registry under its write lock with each new id, before the id becomes visible. */
    private void indexNewSeries(final int id) {
        checkOpen();
        final int[] labels = registry.labelSymbols(id);
        int appended = 0;
        try {
            for (; appended < labels.length / 2; appended++) {
                valuesOf(labels[2 * appended], true).getOrAdd(labels[2 * appended + 1], postingsMemory).append(id);
            }
            all.append(id);
        } catch (final RuntimeException | Error failure) {
            for (int p = 0; p < appended; p++) {
                valuesOf(labels[2 * p], false).getOrAdd(labels[2 * p + 1], postingsMemory).removeLast();
            }
            throw failure;
        }
        reclaim();
    }

    /** The values of label name {@code nameSymbol}, or null; with {@code create}, made if missing (write lock held). */
    LabelValues valuesOf(final int nameSymbol, final boolean create) {
        final int index = names.findLocation(nameSymbol, mix(nameSymbol));
        if (index >= 0) {
            return byName[index];
        }
        if (!create) {
            return null;
        }
        final int added = names.size();
        LabelValues[] table = byName;
        if (added == table.length) {
            table = Arrays.copyOf(table, added * 2);
        }
        final LabelValues values = new LabelValues(nameSymbol, emptyList);
        table[added] = values;
        byName = table; // volatile write before the name's slot is published
        names.add(mix(nameSymbol), nameSymbol);
        return values;
    }

    /** The values of label {@code name}, or null if no series ever had it. */
    LabelValues valuesOf(final String name) {
        final int symbol = symbols.find(name);
        return symbol == SymbolTable.NOT_FOUND ? null : valuesOf(symbol, false);
    }

    /** Every label name that a series ever had, in no order. */
    List<LabelValues> allNames() {
        // Count first: a name is counted only after the array holding it is published, so an array
        // read afterwards is long enough. Read the other way round, a name added (and the array
        // grown) between the two reads leaves the old, shorter array with the new count.
        final int count = names.size();
        final LabelValues[] table = byName;
        final List<LabelValues> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(table[i]);
        }
        return result;
    }

    PostingsList allSeries() {
        return all;
    }

    // ---------------------------------------------------------------- queries

    /**
     * The ids of the series that every matcher selects, ascending. A matcher that matches the empty
     * string also selects series without its label, as in Prometheus; an empty list selects every
     * series. Whether a selector is allowed to match everything (PromQL forbids it) is the caller's
     * check ({@link io.tidemark.index.matchers.Selectors}).
     */
    public int[] select(final List<LabelMatcher> matchers) {
        final long epoch = epochs.enter();
        try {
            final int limit = registry.idLimit();
            return collect(new Selection(this, limit).postings(matchers), limit);
        } finally {
            epochs.exit(epoch);
        }
    }

    /** The ids of {@code postings} below {@code limit} that are not removed. */
    private int[] collect(final PostingsIterator postings, final int limit) {
        int[] ids = new int[64];
        int count = 0;
        for (int id = postings.next(); id < limit; id = postings.next()) {
            if (!registry.isRemoved(id)) {
                if (count == ids.length) {
                    ids = Arrays.copyOf(ids, count * 2);
                }
                ids[count++] = id;
            }
        }
        return Arrays.copyOf(ids, count);
    }

    /** True if {@code list} holds a series that is visible below {@code limit} and not removed. */
    boolean hasLiveSeries(final PostingsList list, final int limit, final PostingsListIterator cursor) {
        return hasLiveSeries(list, limit, cursor, ALL);
    }

    private boolean hasLiveSeries(final PostingsList list, final int limit, final PostingsListIterator cursor, final IntPredicate keep) {
        cursor.reset(list);
        for (int id = cursor.next(); id < limit; id = cursor.next()) {
            if (!registry.isRemoved(id) && keep.test(id)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The label names of the series that {@code matchers} select (of every series when the list is
     * empty), sorted by their bytes as Prometheus sorts them.
     */
    public List<String> labelNames(final List<LabelMatcher> matchers) {
        return labelNames(matchers, ALL);
    }

    /** As {@link #labelNames(List)}, of the selected series that {@code keep} keeps (by id). */
    public List<String> labelNames(final List<LabelMatcher> matchers, final IntPredicate keep) {
        final long epoch = epochs.enter();
        try {
            final int limit = registry.idLimit();
            final List<Integer> found = new ArrayList<>();
            if (matchers.isEmpty()) {
                final PostingsListIterator cursor = new PostingsListIterator();
                for (final LabelValues values : allNames()) {
                    for (int v = 0; v < values.size(); v++) {
                        if (hasLiveSeries(values.list(v), limit, cursor, keep)) {
                            found.add(values.nameSymbol());
                            break;
                        }
                    }
                }
            } else {
                final BitSet seen = new BitSet();
                for (final int id : collect(new Selection(this, limit).postings(matchers), limit)) {
                    if (!keep.test(id)) {
                        continue;
                    }
                    final int[] labels = registry.labelSymbols(id);
                    for (int p = 0; p < labels.length; p += 2) {
                        seen.set(labels[p]);
                    }
                }
                seen.stream().forEach(found::add);
            }
            return sortedStrings(found);
        } finally {
            epochs.exit(epoch);
        }
    }

    /**
     * The values of label {@code name} among the series that {@code matchers} select (among every
     * series when the list is empty), sorted by their bytes. Empty if no such series has the label.
     */
    public List<String> labelValues(final String name, final List<LabelMatcher> matchers) {
        return labelValues(name, matchers, ALL);
    }

    /** As {@link #labelValues(String, List)}, among the selected series that {@code keep} keeps (by id). */
    public List<String> labelValues(final String name, final List<LabelMatcher> matchers, final IntPredicate keep) {
        final long epoch = epochs.enter();
        try {
            final int limit = registry.idLimit();
            final LabelValues values = valuesOf(name);
            if (values == null) {
                return List.of();
            }
            final List<Integer> found = new ArrayList<>();
            if (matchers.isEmpty()) {
                final PostingsListIterator cursor = new PostingsListIterator();
                for (int v = 0; v < values.size(); v++) {
                    if (hasLiveSeries(values.list(v), limit, cursor, keep)) {
                        found.add(values.valueSymbol(v));
                    }
                }
            } else {
                final BitSet seen = new BitSet();
                final int nameSymbol = values.nameSymbol();
                for (final int id : collect(new Selection(this, limit).postings(matchers), limit)) {
                    if (!keep.test(id)) {
                        continue;
                    }
                    final int[] labels = registry.labelSymbols(id);
                    for (int p = 0; p < labels.length; p += 2) {
                        if (labels[p] == nameSymbol) {
                            seen.set(labels[p + 1]);
                            break;
                        }
                    }
                }
                seen.stream().forEach(found::add);
            }
            return sortedStrings(found);
        } finally {
            epochs.exit(epoch);
        }
    }

    private List<String> sortedStrings(final List<Integer> symbolIds) {
        symbolIds.sort(symbols::compare);
        final List<String> strings = new ArrayList<>(symbolIds.size());
        for (final int symbol : symbolIds) {
            strings.add(symbols.string(symbol));
        }
        return strings;
    }

    /** Number of series whose metric name is {@code metricName}. One symbol lookup and one list length. */
    public int seriesWithMetricName(final String metricName) {
        final int symbol = symbols.find(metricName);
        return symbol == SymbolTable.NOT_FOUND ? 0 : seriesWithMetricName(symbol);
    }

    /**
     * Number of series whose metric name is the symbol {@code metricNameValue}. Lock-free; allocates
     * nothing. The count is a list length: while a series of the metric is being created (or removed)
     * it may already (or still) include that one series, ahead of what {@link #select} returns.
     */
    public int seriesWithMetricName(final int metricNameValue) {
        final LabelValues values = valuesOf(metricNameSymbol, false);
        final int index = values == null ? -1 : values.find(metricNameValue);
        if (index < 0) {
            return 0;
        }
        final long epoch = epochs.enter();
        try {
            return values.list(index).lengthAcquire();
        } finally {
            epochs.exit(epoch);
        }
    }

    /**
     * Series counts for the {@code /api/v1/status/tsdb} endpoint: the top {@code limit} metric names,
     * label names by distinct values and by bytes of values, and label pairs by series count.
     */
    public CardinalityStats cardinality(final int limit) {
        final long epoch = epochs.enter();
        try {
            return CardinalityStats.of(this, registry.size(), limit);
        } finally {
            epochs.exit(epoch);
        }
    }

    // ---------------------------------------------------------------- removal

    /**
     * Removes the series {@code ids} (for retention and deletion) without stopping readers: from
     * the next read on they are neither found nor selected; the lists they were on are rebuilt and the
     * old ones freed once no reader can hold them. Ids already removed are skipped. A call costs
     * work in proportion to the whole index (every label pair is visited and the list of all series is
     * rebuilt), so remove in batches, as retention does, or mark with {@link #markRemoved} and rebuild
     * later with {@link #purgeRemoved}.
     *
     * @return the number of series removed by this call
     * @throws IllegalArgumentException if an id names no series
     */
    public int remove(final int[] ids) {
        synchronized (registry.writeLock()) {
            final int removed = markRemoved(ids, ids.length);
            purgeRemoved();
            return removed;
        }
    }

    /**
     * The cheap half of {@link #remove}, a few stores per id under the write lock: the first {@code count} of
     * {@code ids} are neither found, selected nor counted by {@link #size} from now on; the postings hold them
     * (readers skip them; {@link #seriesWithMetricName} counts them) until {@link #purgeRemoved}. Returns the
     * number removed by this call; throws IllegalArgumentException, removing nothing, if an id names no series.
     */
    public int markRemoved(final int[] ids, final int count) {
        synchronized (registry.writeLock()) {
            checkOpen();
            for (int i = 0; i < count; i++) {
                registry.isRemoved(ids[i]); // validates every id before anything changes
            }
            int removed = 0;
            for (int i = 0; i < count; i++) {
                if (registry.remove(ids[i])) {
                    unpurged.add(ids[i]);
                    removed++;
                }
            }
            return removed;
        }
    }

    /**
     * Takes the series marked by {@link #markRemoved} out of the postings lists they are on and the list of all
     * series (rebuilt; the old ones freed once no reader can hold them); returns how many. Work in proportion to
     * the whole index, under the write lock (creations wait).
     */
    public int purgeRemoved() {
        synchronized (registry.writeLock()) {
            checkOpen();
            final int purged = unpurged.count();
            if (purged == 0) {
                return 0;
            }
            final Set<PostingsList> affected = new HashSet<>();
            for (int i = 0; i < purged; i++) {
                final int[] labels = registry.labelSymbols(unpurged.id(i));
                for (int p = 0; p < labels.length; p += 2) {
                    final LabelValues values = valuesOf(labels[p], false);
                    affected.add(values.list(values.find(labels[p + 1])));
                }
            }
            for (final LabelValues values : allNames()) {
                for (int v = 0; v < values.size(); v++) {
                    final PostingsList list = values.list(v);
                    if (affected.contains(list)) {
                        values.replace(v, withoutRemoved(list));
                        retire(list);
                    }
                }
            }
            final PostingsList previous = all;
            all = withoutRemoved(previous);
            retire(previous);
            reclaim();
            unpurged.clear();
            return purged;
        }
    }

    /** True if series {@code id} was removed. */
    public boolean isRemoved(final int id) {
        return registry.isRemoved(id);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("series index is closed");
        }
    }

    private PostingsList withoutRemoved(final PostingsList list) {
        final PostingsList copy = new PostingsList(postingsMemory);
        final PostingsListIterator cursor = list.iterator();
        for (int id = cursor.next(); id != PostingsIterator.NO_MORE; id = cursor.next()) {
            if (!registry.isRemoved(id)) {
                copy.append(id);
            }
        }
        return copy;
    }

    private void retire(final PostingsList list) {
        retired.add(new Retired(epochs.epoch(), list));
    }

    /** Frees the replaced lists that no reader can hold any more. Called under the write lock. */
    private void reclaim() {
        while (!retired.isEmpty() && epochs.safeToFree(retired.peekFirst().epoch())) {
            retired.pollFirst().list().close();
        }
    }

    /** Frees what removals replaced, as far as readers allow; returns the number of lists still waiting. */
    public int reclaimRemoved() {
        synchronized (registry.writeLock()) {
            reclaim();
            return retired.size();
        }
    }

    // ---------------------------------------------------------------- memory

    /** Off-heap bytes the index holds: symbol and record blocks, postings pages. */
    public long nativeBytes() {
        return symbols.nativeBytes() + registry.nativeBytes() + postingsMemory.reservedBytes();
    }

    /** Heap bytes of the index's arrays and list objects, estimated from their sizes (48 bytes a list). */
    public long heapBytesEstimate() {
        synchronized (registry.writeLock()) {
            long bytes = symbols.heapBytes() + registry.heapBytes() + names.heapBytes() + (long) byName.length * Integer.BYTES;
            long lists = 1;
            for (final LabelValues values : allNames()) {
                bytes += values.heapBytes();
                lists += values.nonEmpty();
            }
            return bytes + lists * 48;
        }
    }

    /** Frees everything. Readers must have finished; ids and lists of this index are invalid afterwards. */
    @Override
    public void close() {
        synchronized (registry.writeLock()) {
            if (closed) {
                return;
            }
            closed = true;
            retired.clear();
            postingsMemory.close();
            registry.close();
            symbols.close();
        }
    }
}
