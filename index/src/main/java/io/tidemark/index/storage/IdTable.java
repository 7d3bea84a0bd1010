package io.tidemark.index.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Dense ids 0, 1, 2, ... each with a location (a long the owner defines) and a 32-bit hash, and an
 * open-addressing hash index of them: an {@code int[]} of id + 1 (0 = empty), at most half full.
 *
 * <p>Threads: {@link #add}, {@link #remove} and {@link #compact} by one writer at a time (the
 * owner's lock). {@link #add} stores the id's location and hash, then publishes its slot with release semantics; a reader that acquires a slot sees the
 * id's location and hash. A resize builds a new index and publishes it through a volatile field; a
 * reader still probing the old one may miss an id added meanwhile (an answer it could have got a
 * moment earlier), and the old array goes to the garbage collector, never freed under a reader.
 * Owners probe with {@link #slots()}, {@link #slotAcquire} and their own comparison.
 *
 * <p>Removal: {@link #remove} marks an id removed (readers see the mark with acquire semantics and
 * skip the id); {@link #compact()} then rebuilds the hash index without removed ids. An id is never
 * reused, and its location and hash stay readable, so a reader that still holds a removed id can
 * read what it named.
 */
public final class IdTable {
    private static final VarHandle INT_ARRAY = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle LONG_ARRAY = MethodHandles.arrayElementVarHandle(long[].class);

    private static final int DEFAULT_CAPACITY = 1024;

    private final int initialCapacity;
    private volatile long[] locations;
    private volatile int[] hashes;
    private volatile int[] slots;
    private volatile int count;
    /** One bit per id, set when removed; replaced (never resized in place) when it grows. */
    private volatile long[] removed;
    /** Ids in the current index (writer only). */
    private int indexed;
    private int removedCount;

    /** A table with room for 1024 ids before it first grows. */
    public IdTable() {
        this(DEFAULT_CAPACITY);
    }

    /** A table with room for {@code initialCapacity} ids (a power of two, at least 64) before it first grows. */
    public IdTable(final int initialCapacity) {
        if (initialCapacity < Long.SIZE || Integer.bitCount(initialCapacity) != 1) {
            throw new IllegalArgumentException("initialCapacity must be a power of two >= 64: " + initialCapacity);
        }
        this.initialCapacity = initialCapacity;
        this.locations = new long[initialCapacity];
        this.hashes = new int[initialCapacity];
        this.slots = new int[2 * initialCapacity];
        this.removed = new long[initialCapacity / Long.SIZE];
    }

    /** Adds the next id; returns it. */
    public int add(final int hash, final long location) {
        final int id = count;
        if (id == locations.length) {
            hashes = Arrays.copyOf(hashes, id * 2);
            locations = Arrays.copyOf(locations, id * 2); // volatile write after both copies are complete
        }
        if (id / Long.SIZE == removed.length) {
            removed = Arrays.copyOf(removed, removed.length * 2);
        }
        locations[id] = location;
        hashes[id] = hash;
        count = id + 1;
        int[] table = slots;
        if ((indexed + 1) * 2 > table.length) {
            table = rebuilt(table.length * 2, id);
        }
        insert(table, hash, id);
        indexed++;
        if (table != slots) {
            slots = table; // publishes the new index with every id in it
        }
        return id;
    }

    /** A new index of {@code length} slots holding every live id below {@code end}. */
    private int[] rebuilt(final int length, final int end) {
        final int[] table = new int[length];
        indexed = 0;
        for (int existing = 0; existing < end; existing++) {
            if (!isRemoved(existing)) {
                insert(table, hashes[existing], existing);
                indexed++;
            }
        }
        return table;
    }

    /**
     * Marks {@code id} removed; readers skip it from now on. It stays in the index until {@link #compact()}.
     *
     * @return false if it was already removed
     */
    public boolean remove(final int id) {
        check(id, "id");
        final long[] bits = removed;
        final long word = bits[id / Long.SIZE];
        final long bit = 1L << id;
        if ((word & bit) != 0) {
            return false;
        }
        LONG_ARRAY.setRelease(bits, id / Long.SIZE, word | bit);
        removedCount++;
        return true;
    }

    /** True if {@code id} was removed; acquire semantics. */
    public boolean isRemoved(final int id) {
        return ((long) LONG_ARRAY.getAcquire(removed, id / Long.SIZE) & 1L << id) != 0;
    }

    /** Rebuilds the hash index without removed ids, sized for the live ones, and publishes it. */
    public void compact() {
        int length = 2 * initialCapacity;
        while ((count - removedCount + 1) * 2 > length) {
            length *= 2;
        }
        slots = rebuilt(length, count);
    }

    /** Number of ids not removed. */
    public int liveCount() {
        return count - removedCount;
    }

    private static void insert(final int[] table, final int hash, final int id) {
        final int mask = table.length - 1;
        int slot = hash & mask;
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        INT_ARRAY.setRelease(table, slot, id + 1);
    }

    /** The current index, for probing: start at {@code hash & (length - 1)}, step by one. */
    public int[] slots() {
        return slots;
    }

    /** The entry at {@code slot}: id + 1, or 0 if empty. Acquire semantics. */
    public static int slotAcquire(final int[] table, final int slot) {
        return (int) INT_ARRAY.getAcquire(table, slot);
    }

    /**
     * The id whose location is {@code location} and was added with {@code hash}, or -1; for owners
     * whose location is the key itself (a symbol id, say). Lock-free, allocates nothing.
     */
    public int findLocation(final long location, final int hash) {
        final int[] table = slots;
        final int mask = table.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            final int entry = slotAcquire(table, slot);
            if (entry == 0) {
                return -1;
            }
            if (locations[entry - 1] == location && !isRemoved(entry - 1)) {
                return entry - 1;
            }
        }
    }

    /** The location of {@code id}. */
    public long location(final int id) {
        return locations[id];
    }

    /** The hash of {@code id}. */
    public int hash(final int id) {
        return hashes[id];
    }

    /** Number of ids ever added, removed or not. */
    public int size() {
        return count;
    }

    /** Throws {@link IllegalArgumentException} unless {@code id} was added; returns it. */
    public int check(final int id, final String what) {
        if (id < 0 || id >= count) {
            throw new IllegalArgumentException("no such " + what + ": id=" + id + " size=" + count);
        }
        return id;
    }

    /** Heap bytes of the arrays (not counting object headers). */
    public long heapBytes() {
        return (long) locations.length * Long.BYTES + (long) hashes.length * Integer.BYTES + (long) slots.length * Integer.BYTES
            + (long) removed.length * Long.BYTES;
    }
}
