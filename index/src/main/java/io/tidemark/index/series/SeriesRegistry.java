package io.tidemark.index.series;

import io.tidemark.index.symbols.SymbolHash;
import io.tidemark.index.symbols.SymbolTable;
import io.tidemark.index.storage.AppendOnlyBlocks;
import io.tidemark.index.storage.IdTable;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Maps label sets to dense, stable series ids (0, 1, 2, ...) and back.
 *
 * <p>Layout. A series is a record of ints in off-heap blocks ({@link AppendOnlyBlocks}, under
 * {@link MemoryTag#INDEX}): {@code [labelCount, name0, value0, name1, value1, ...]}, symbol ids of
 * the registry's {@link SymbolTable}; 4 + 8 bytes per label. Ids, record locations, the hashes of
 * the canonical bytes and the hash index are an {@link IdTable} on the heap.
 *
 * <p>Threads. Finding an existing series ({@link #find}) never locks and never allocates: one hash
 * over the canonical bytes ({@link LabelSetLayout}), a probe, and a byte comparison per label with
 * the interned symbols. Creating a series takes the registry's lock; two threads creating the same
 * label set get the same id. The record, its location and hash are written before the table slot
 * is published (see {@link IdTable}), so a reader that sees an id sees the whole series.
 */
public final class SeriesRegistry implements AutoCloseable {
    /** Returned by {@link #find} for a label set with no series. */
    public static final int NOT_FOUND = -1;
    static final int BLOCK_BYTES = 1 << 20;

    private final SymbolTable symbols;
    private final AppendOnlyBlocks records;
    private final IdTable ids = new IdTable();
    private final Object lock = new Object();
    private volatile int[] seriesPerMetricName = new int[1024];
    private final int metricNameSymbol;

    public SeriesRegistry(final NativeAllocator allocator, final SymbolTable symbols) {
        this.records = new AppendOnlyBlocks(allocator, BLOCK_BYTES);
        this.symbols = symbols;
        this.metricNameSymbol = symbols.intern("__name__");
    }

    /** The symbols of this registry's records. */
    public SymbolTable symbols() {
        return symbols;
    }

    /** The id of the series whose canonical label bytes are {@code [offset, offset + length)}, or {@link #NOT_FOUND}. */
    public int find(final MemorySegment labels, final long offset, final int length) {
        return find(labels, offset, length, SymbolHash.hash(labels, offset, length));
    }

    private int find(final MemorySegment labels, final long offset, final int length, final int hash) {
        final int[] slots = ids.slots();
        final int mask = slots.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            final int entry = IdTable.slotAcquire(slots, slot);
            if (entry == 0) {
                return NOT_FOUND;
            }
            final int id = entry - 1;
            if (ids.hash(id) == hash && recordEquals(id, labels, offset, offset + length)) {
                return id;
            }
        }
    }

    /** Compares series {@code id} with canonical bytes; malformed bytes compare unequal, never read outside. */
    private boolean recordEquals(final int id, final MemorySegment labels, final long offset, final long end) {
        final long location = ids.location(id);
        final MemorySegment record = records.block(location);
        final long at = AppendOnlyBlocks.offset(location);
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
        final int existing = find(labels, offset, length, hash);
        if (existing != NOT_FOUND) {
            return existing;
        }
        final int pairs = validate(labels, offset, length);
        synchronized (lock) {
            final int raced = find(labels, offset, length, hash);
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
        final long location = records.reserve((1L + 2 * pairs) * Integer.BYTES);
        final MemorySegment record = records.block(location);
        final long at = AppendOnlyBlocks.offset(location);
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
        if (metricName >= 0) {
            countMetricName(metricName);
        }
        return ids.add(hash, location);
    }

    private void countMetricName(final int symbol) {
        int[] counts = seriesPerMetricName;
        if (symbol >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(symbol + 1, counts.length * 2));
        }
        counts[symbol]++;
        seriesPerMetricName = counts; // volatile write publishes the count
    }

    /** Number of series. */
    public int size() {
        return ids.size();
    }

    /** Number of series whose {@code __name__} is {@code metricName}. Cheap: one lookup and one array read. */
    public int seriesWithMetricName(final String metricName) {
        final int symbol = symbols.find(metricName);
        final int[] counts = seriesPerMetricName;
        return symbol >= 0 && symbol < counts.length ? counts[symbol] : 0;
    }

    /** The labels of series {@code id}. Allocates. */
    public LabelSet labels(final int id) {
        final long location = ids.location(ids.check(id, "series"));
        final MemorySegment record = records.block(location);
        final long at = AppendOnlyBlocks.offset(location);
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
        return records.nativeBytes();
    }

    /** Bytes the records actually use, for per-series figures. */
    public long recordBytesUsed() {
        return records.usedBytes();
    }

    /** Heap bytes of the per-id arrays, the hash index and the per-metric counts (not counting object headers). */
    public long heapBytes() {
        return ids.heapBytes() + (long) seriesPerMetricName.length * Integer.BYTES;
    }

    /** Frees the records' memory (not the symbols'). */
    @Override
    public void close() {
        synchronized (lock) {
            records.close();
        }
    }
}
