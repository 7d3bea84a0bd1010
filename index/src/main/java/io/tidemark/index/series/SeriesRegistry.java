package io.tidemark.index.series;

import io.tidemark.index.symbols.SymbolHash;
import io.tidemark.index.symbols.SymbolTable;
import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Maps label sets to dense, stable series ids (0, 1, 2, ...) and back.
 *
 * <p>Layout. A series is a record of ints in off-heap blocks under {@link MemoryTag#INDEX}:
 * {@code [labelCount, name0, value0, name1, value1, ...]}, symbol ids of the registry's
 * {@link SymbolTable}; about 4 + 8 bytes per label. On the heap, per id, its record's location
 * (a long) and the hash of its canonical bytes (an int), and an open-addressing {@code int[]} of
 * id + 1 at most half full.
 *
 * <p>Threads. Finding an existing series ({@link #find}) never locks and never allocates: one hash
 * over the canonical bytes ({@link LabelSetLayout}), a probe, and a byte comparison per label with
 * the interned symbols. Creating a series takes the registry's lock; two threads creating the same
 * label set get the same id. The record, its location and hash are written before the table slot
 * is published with release semantics, so a reader that sees an id sees the whole series. Resizes
 * publish a new table as the {@link SymbolTable} does.
 */
public final class SeriesRegistry implements AutoCloseable {
    /** Returned by {@link #find} for a label set with no series. */
    public static final int NOT_FOUND = -1;
    static final int BLOCK_INTS = 1 << 18;
    private static final VarHandle INT_ARRAY = MethodHandles.arrayElementVarHandle(int[].class);
    private static final byte[] METRIC_NAME = "__name__".getBytes(StandardCharsets.UTF_8);

    private final SymbolTable symbols;
    private final NativeAllocator allocator;
    private final List<Allocation> blocks = new ArrayList<>();
    private final Object lock = new Object();
    private volatile MemorySegment[] blockSegments = new MemorySegment[0];
    private volatile long[] locations = new long[1024];
    private volatile int[] hashes = new int[1024];
    private volatile int[] table = new int[2048];
    private volatile int count;
    private volatile int[] seriesPerMetricName = new int[1024];
    private long usedInBlock = BLOCK_INTS;
    private final int metricNameSymbol;

    public SeriesRegistry(final NativeAllocator allocator, final SymbolTable symbols) {
        this.allocator = allocator;
        this.symbols = symbols;
        this.metricNameSymbol = symbols.intern("__name__");
    }

    /** The symbols of this registry's records. */
    public SymbolTable symbols() {
        return symbols;
    }

    /** The id of the series whose canonical label bytes are {@code [offset, offset + length)}, or {@link #NOT_FOUND}. */
    public int find(final MemorySegment labels, final long offset, final int length) {
        return findIn(table, labels, offset, length, SymbolHash.hash(labels, offset, length));
    }

    private int findIn(final int[] slots, final MemorySegment labels, final long offset, final int length, final int hash) {
        final int mask = slots.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            final int entry = (int) INT_ARRAY.getAcquire(slots, slot);
            if (entry == 0) {
                return NOT_FOUND;
            }
            final int id = entry - 1;
            if (hashes[id] == hash && recordEquals(id, labels, offset, offset + length)) {
                return id;
            }
        }
    }

    /** Compares series {@code id} with canonical bytes; malformed bytes compare unequal, never read outside. */
    private boolean recordEquals(final int id, final MemorySegment labels, final long offset, final long end) {
        final long location = locations[id];
        final MemorySegment record = blockSegments[(int) (location >>> 32)];
        final long at = (location & 0xFFFF_FFFFL) * Integer.BYTES;
        final int pairs = record.get(ValueLayout.JAVA_INT, at);
        if (end - offset < LabelSetLayout.LENGTH_BYTES || Short.toUnsignedInt(labels.get(LabelSetLayout.U16, offset)) != pairs) {
            return false;
        }
        long position = offset + LabelSetLayout.LENGTH_BYTES;
        for (int p = 0; p < 2 * pairs; p++) {
            if (end - position < LabelSetLayout.LENGTH_BYTES) {
                return false;
            }
            final int length = Short.toUnsignedInt(labels.get(LabelSetLayout.U16, position));
            position += LabelSetLayout.LENGTH_BYTES;
            if (end - position < length
                || !symbols.equals(record.get(ValueLayout.JAVA_INT, at + Integer.BYTES * (1L + p)), labels, position, length)) {
                return false;
            }
            position += length;
        }
        return position == end;
    }

    /**
     * The id of the series with these canonical label bytes, created if new.
     *
     * @throws IllegalArgumentException if the bytes are not a valid canonical label set
     */
    public int getOrCreate(final MemorySegment labels, final long offset, final int length) {
        final int hash = SymbolHash.hash(labels, offset, length);
        final int existing = findIn(table, labels, offset, length, hash);
        if (existing != NOT_FOUND) {
            return existing;
        }
        final int pairs = validate(labels, offset, length);
        synchronized (lock) {
            final int raced = findIn(table, labels, offset, length, hash);
            return raced != NOT_FOUND ? raced : add(labels, offset, pairs, hash);
        }
    }

    /** The id of the series with these labels, created if new. Allocates. */
    public int getOrCreate(final LabelSet labels) {
        final MemorySegment bytes = labels.encode();
        return getOrCreate(bytes, 0, (int) bytes.byteSize());
    }

    /** The id of the series with these labels, or {@link #NOT_FOUND}. Allocates. */
    public int find(final LabelSet labels) {
        final MemorySegment bytes = labels.encode();
        return find(bytes, 0, (int) bytes.byteSize());
    }

    /** Checks the canonical form; returns the label count. */
    private static int validate(final MemorySegment labels, final long offset, final int length) {
        final long end = offset + length;
        if (length < LabelSetLayout.LENGTH_BYTES) {
            throw new IllegalArgumentException("label set of " + length + " bytes has no count");
        }
        final int pairs = Short.toUnsignedInt(labels.get(LabelSetLayout.U16, offset));
        long position = offset + LabelSetLayout.LENGTH_BYTES;
        long previousName = -1;
        int previousNameLength = 0;
        for (int p = 0; p < pairs; p++) {
            for (int part = 0; part < 2; part++) {
                if (end - position < LabelSetLayout.LENGTH_BYTES) {
                    throw new IllegalArgumentException("label set truncated at label " + p);
                }
                final int partLength = Short.toUnsignedInt(labels.get(LabelSetLayout.U16, position));
                position += LabelSetLayout.LENGTH_BYTES;
                if (end - position < partLength) {
                    throw new IllegalArgumentException("label set truncated in label " + p);
                }
                if (partLength == 0) {
                    throw new IllegalArgumentException((part == 0 ? "empty label name" : "empty label value") + " at label " + p);
                }
                if (part == 0) {
                    if (previousName >= 0 && compareUnsigned(labels, previousName, previousNameLength, position, partLength) >= 0) {
                        throw new IllegalArgumentException("label names not sorted and unique at label " + p);
                    }
                    previousName = position;
                    previousNameLength = partLength;
                }
                position += partLength;
            }
        }
        if (position != end) {
            throw new IllegalArgumentException("label set has " + (end - position) + " bytes after its last label");
        }
        return pairs;
    }

    private static int compareUnsigned(final MemorySegment bytes, final long a, final int aLength, final long b, final int bLength) {
        final long mismatch = MemorySegment.mismatch(bytes, a, a + aLength, bytes, b, b + bLength);
        if (mismatch == -1) {
            return 0;
        }
        if (mismatch == aLength || mismatch == bLength) {
            return Integer.compare(aLength, bLength);
        }
        return Integer.compare(bytes.get(ValueLayout.JAVA_BYTE, a + mismatch) & 0xFF, bytes.get(ValueLayout.JAVA_BYTE, b + mismatch) & 0xFF);
    }

    private int add(final MemorySegment labels, final long offset, final int pairs, final int hash) {
        final int recordInts = 1 + 2 * pairs;
        if (usedInBlock + recordInts > BLOCK_INTS) {
            final Allocation block = allocator.allocate(MemoryTag.INDEX, (long) BLOCK_INTS * Integer.BYTES);
            blocks.add(block);
            final MemorySegment[] segments = Arrays.copyOf(blockSegments, blockSegments.length + 1);
            segments[segments.length - 1] = block.segment();
            blockSegments = segments;
            usedInBlock = 0;
        }
        final MemorySegment record = blockSegments[blockSegments.length - 1];
        final long at = usedInBlock * Integer.BYTES;
        record.set(ValueLayout.JAVA_INT, at, pairs);
        long position = offset + LabelSetLayout.LENGTH_BYTES;
        int metricName = -1;
        for (int p = 0; p < 2 * pairs; p++) {
            final int length = Short.toUnsignedInt(labels.get(LabelSetLayout.U16, position));
            final int symbol = symbols.intern(labels, position + LabelSetLayout.LENGTH_BYTES, length);
            record.set(ValueLayout.JAVA_INT, at + Integer.BYTES * (1L + p), symbol);
            if (p % 2 == 1 && metricName == -2) {
                metricName = symbol;
            }
            if (p % 2 == 0 && symbol == metricNameSymbol) {
                metricName = -2; // the next symbol is the metric name
            }
            position += LabelSetLayout.LENGTH_BYTES + length;
        }
        final int id = count;
        if (id == locations.length) {
            locations = Arrays.copyOf(locations, id * 2);
            hashes = Arrays.copyOf(hashes, id * 2);
        }
        locations[id] = (long) (blockSegments.length - 1) << 32 | usedInBlock;
        hashes[id] = hash;
        usedInBlock += recordInts;
        if (metricName >= 0) {
            countMetricName(metricName);
        }
        count = id + 1;
        int[] slots = table;
        if ((id + 1) * 2 > slots.length) {
            slots = new int[slots.length * 2];
            for (int existing = 0; existing < id; existing++) {
                insert(slots, hashes[existing], existing);
            }
        }
        insert(slots, hash, id);
        if (slots != table) {
            table = slots;
        }
        return id;
    }

    private void countMetricName(final int symbol) {
        int[] counts = seriesPerMetricName;
        if (symbol >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(symbol + 1, counts.length * 2));
        }
        counts[symbol]++;
        seriesPerMetricName = counts; // volatile write publishes the count
    }

    private static void insert(final int[] slots, final int hash, final int id) {
        final int mask = slots.length - 1;
        int slot = hash & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        INT_ARRAY.setRelease(slots, slot, id + 1);
    }

    /** Number of series. */
    public int size() {
        return count;
    }

    /** Number of series whose {@code __name__} is {@code metricName}. Cheap: one lookup and one array read. */
    public int seriesWithMetricName(final String metricName) {
        final int symbol = symbols.find(metricName);
        final int[] counts = seriesPerMetricName;
        return symbol >= 0 && symbol < counts.length ? counts[symbol] : 0;
    }

    /** The labels of series {@code id}. Allocates. */
    public LabelSet labels(final int id) {
        if (id < 0 || id >= count) {
            throw new IllegalArgumentException("no such series: id=" + id + " size=" + count);
        }
        final long location = locations[id];
        final MemorySegment record = blockSegments[(int) (location >>> 32)];
        final long at = (location & 0xFFFF_FFFFL) * Integer.BYTES;
        final int pairs = record.get(ValueLayout.JAVA_INT, at);
        final byte[][] names = new byte[pairs][];
        final byte[][] values = new byte[pairs][];
        for (int p = 0; p < pairs; p++) {
            names[p] = symbols.bytes(record.get(ValueLayout.JAVA_INT, at + Integer.BYTES * (1L + 2 * p))).toArray(ValueLayout.JAVA_BYTE);
            values[p] = symbols.bytes(record.get(ValueLayout.JAVA_INT, at + Integer.BYTES * (2L + 2 * p))).toArray(ValueLayout.JAVA_BYTE);
        }
        return LabelSet.ofBytes(names, values);
    }

    /** Off-heap bytes of the series records (not counting symbols). */
    public long nativeBytes() {
        return (long) blockSegments.length * BLOCK_INTS * Integer.BYTES;
    }

    /** Bytes the records actually use, for per-series figures. */
    public long recordBytesUsed() {
        return (blockSegments.length == 0 ? 0 : ((long) (blockSegments.length - 1) * BLOCK_INTS + usedInBlock)) * Integer.BYTES;
    }

    /** Heap bytes of the per-id arrays and the hash table (not counting object headers). */
    public long heapBytes() {
        return (long) locations.length * Long.BYTES + (long) hashes.length * Integer.BYTES + (long) table.length * Integer.BYTES
            + (long) seriesPerMetricName.length * Integer.BYTES;
    }

    /** Frees the records' memory (not the symbols'). */
    @Override
    public void close() {
        synchronized (lock) {
            for (final Allocation block : blocks) {
                block.close();
            }
            blocks.clear();
        }
    }
}
