package io.tidemark.index.symbols;

import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Interns label names and values: each distinct UTF-8 byte string gets a dense int id, once.
 *
 * <p>Layout. A symbol's bytes are appended to off-heap blocks of {@value #BLOCK_BYTES} bytes taken
 * from the allocator under {@link MemoryTag#INDEX}; they never move and are freed only by
 * {@link #close()}. Per id, {@code locations} holds (block, offset, length) packed in a long and
 * {@code hashes} the symbol's hash. The hash index is an open-addressing {@code int[]} of id + 1
 * (0 = empty), at most half full.
 *
 * <p>Threads. {@link #find} and the accessors of an id never lock and never allocate: they read the
 * current table through a volatile field and each slot with acquire semantics. {@link #intern}
 * takes the table's lock only when the symbol is new: it appends the bytes, fills {@code locations}
 * and {@code hashes}, then publishes the slot with release semantics, so a reader that sees the id
 * sees everything about it. A resize builds a new table and publishes it; a reader still probing the
 * old one may miss a symbol created during the resize, which is the answer it would have got a
 * moment earlier, and the old array is reclaimed by the garbage collector, not freed under it.
 * Ids are only valid for the table that issued them.
 */
public final class SymbolTable implements AutoCloseable {
    /** Returned by {@link #find} for a symbol that was never interned. */
    public static final int NOT_FOUND = -1;
    /** Longest symbol in bytes; longer names or values are refused. */
    public static final int MAX_SYMBOL_BYTES = 0xFFFF;
    static final int BLOCK_BYTES = 1 << 20;
    private static final VarHandle INT_ARRAY = MethodHandles.arrayElementVarHandle(int[].class);

    private final NativeAllocator allocator;
    private final List<Allocation> blocks = new ArrayList<>();
    private final Object lock = new Object();
    private volatile MemorySegment[] blockSegments = new MemorySegment[0];
    private volatile long[] locations = new long[1024];
    private volatile int[] hashes = new int[1024];
    private volatile int[] table = new int[2048];
    private volatile int count;
    private long usedInBlock = BLOCK_BYTES;
    private long bytesOfSymbols;

    public SymbolTable(final NativeAllocator allocator) {
        this.allocator = allocator;
    }

    /** The id of the UTF-8 bytes {@code [offset, offset + length)} of {@code bytes}, or {@link #NOT_FOUND}. */
    public int find(final MemorySegment bytes, final long offset, final int length) {
        return findIn(table, bytes, offset, length, SymbolHash.hash(bytes, offset, length));
    }

    /** The id of {@code symbol}, or {@link #NOT_FOUND}. Encodes the string: allocates. */
    public int find(final String symbol) {
        final MemorySegment bytes = MemorySegment.ofArray(symbol.getBytes(StandardCharsets.UTF_8));
        return find(bytes, 0, (int) bytes.byteSize());
    }

    private int findIn(final int[] slots, final MemorySegment bytes, final long offset, final int length, final int hash) {
        final int mask = slots.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            final int entry = (int) INT_ARRAY.getAcquire(slots, slot);
            if (entry == 0) {
                return NOT_FOUND;
            }
            final int id = entry - 1;
            if (hashes[id] == hash && equalsAt(id, bytes, offset, length)) {
                return id;
            }
        }
    }

    private boolean equalsAt(final int id, final MemorySegment bytes, final long offset, final int length) {
        final long location = locations[id];
        if (lengthOf(location) != length) {
            return false;
        }
        final long at = offsetOf(location);
        return MemorySegment.mismatch(blockSegments[blockOf(location)], at, at + length, bytes, offset, offset + length) == -1;
    }

    /** The id of the given UTF-8 bytes, interning them if new. */
    public int intern(final MemorySegment bytes, final long offset, final int length) {
        if (length < 0 || length > MAX_SYMBOL_BYTES) {
            throw new IllegalArgumentException("symbol length out of range: length=" + length + " max=" + MAX_SYMBOL_BYTES);
        }
        final int hash = SymbolHash.hash(bytes, offset, length);
        final int existing = findIn(table, bytes, offset, length, hash);
        if (existing != NOT_FOUND) {
            return existing;
        }
        synchronized (lock) {
            final int raced = findIn(table, bytes, offset, length, hash);
            return raced != NOT_FOUND ? raced : add(bytes, offset, length, hash);
        }
    }

    /** The id of {@code symbol}, interning it if new. */
    public int intern(final String symbol) {
        final byte[] utf8 = symbol.getBytes(StandardCharsets.UTF_8);
        return intern(MemorySegment.ofArray(utf8), 0, utf8.length);
    }

    private int add(final MemorySegment bytes, final long offset, final int length, final int hash) {
        final int id = count;
        if (id == locations.length) {
            locations = java.util.Arrays.copyOf(locations, id * 2);
            hashes = java.util.Arrays.copyOf(hashes, id * 2);
        }
        if (usedInBlock + length > BLOCK_BYTES) {
            final Allocation block = allocator.allocate(MemoryTag.INDEX, BLOCK_BYTES);
            blocks.add(block);
            final MemorySegment[] segments = java.util.Arrays.copyOf(blockSegments, blockSegments.length + 1);
            segments[segments.length - 1] = block.segment();
            blockSegments = segments;
            usedInBlock = 0;
        }
        final int block = blockSegments.length - 1;
        MemorySegment.copy(bytes, offset, blockSegments[block], usedInBlock, length);
        locations[id] = (long) block << 48 | usedInBlock << 16 | length;
        hashes[id] = hash;
        usedInBlock += length;
        bytesOfSymbols += length;
        count = id + 1;
        int[] slots = table;
        if ((id + 1) * 2 > slots.length) {
            slots = rehash(slots.length * 2, id);
        }
        insert(slots, hash, id);
        if (slots != table) {
            table = slots; // publishes the new table with every slot in it
        }
        return id;
    }

    private int[] rehash(final int capacity, final int idsBelow) {
        final int[] slots = new int[capacity];
        for (int id = 0; id < idsBelow; id++) {
            insert(slots, hashes[id], id);
        }
        return slots;
    }

    private static void insert(final int[] slots, final int hash, final int id) {
        final int mask = slots.length - 1;
        int slot = hash & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        INT_ARRAY.setRelease(slots, slot, id + 1);
    }

    /** Number of symbols. */
    public int size() {
        return count;
    }

    /** The bytes of symbol {@code id}, a slice of the table's memory valid until {@link #close()}. Allocates the slice. */
    public MemorySegment bytes(final int id) {
        final long location = locations[checkId(id)];
        return blockSegments[blockOf(location)].asSlice(offsetOf(location), lengthOf(location));
    }

    /** Byte length of symbol {@code id}. */
    public int length(final int id) {
        return lengthOf(locations[checkId(id)]);
    }

    /** Compares symbol {@code id} with the given bytes, without allocating. */
    public boolean equals(final int id, final MemorySegment bytes, final long offset, final int length) {
        return equalsAt(checkId(id), bytes, offset, length);
    }

    /** Unsigned byte-order comparison of two symbols (the order labels sort in), without allocating. */
    public int compare(final int a, final int b) {
        final long la = locations[checkId(a)];
        final long lb = locations[checkId(b)];
        final MemorySegment sa = blockSegments[blockOf(la)];
        final MemorySegment sb = blockSegments[blockOf(lb)];
        final long oa = offsetOf(la);
        final long ob = offsetOf(lb);
        final int common = Math.min(lengthOf(la), lengthOf(lb));
        for (int i = 0; i < common; i++) {
            final int diff = (sa.get(ValueLayout.JAVA_BYTE, oa + i) & 0xFF) - (sb.get(ValueLayout.JAVA_BYTE, ob + i) & 0xFF);
            if (diff != 0) {
                return diff;
            }
        }
        return Integer.compare(lengthOf(la), lengthOf(lb));
    }

    /** Symbol {@code id} as a string. Allocates. */
    public String string(final int id) {
        return new String(bytes(id).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** Off-heap bytes taken, and the bytes of the symbols themselves. */
    public long nativeBytes() {
        return (long) blockSegments.length * BLOCK_BYTES;
    }

    /** Heap bytes of the id arrays and the hash table (not counting object headers). */
    public long heapBytes() {
        return (long) locations.length * Long.BYTES + (long) hashes.length * Integer.BYTES + (long) table.length * Integer.BYTES;
    }

    /** Bytes of all symbols' text. */
    public long symbolBytes() {
        return bytesOfSymbols;
    }

    private int checkId(final int id) {
        if (id < 0 || id >= count) {
            throw new IllegalArgumentException("no such symbol: id=" + id + " size=" + count);
        }
        return id;
    }

    private static int blockOf(final long location) {
        return (int) (location >>> 48);
    }

    private static long offsetOf(final long location) {
        return (location >>> 16) & 0xFFFF_FFFFL;
    }

    private static int lengthOf(final long location) {
        return (int) (location & 0xFFFF);
    }

    /** Frees the symbols' memory; ids and slices from this table are invalid afterwards. */
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
