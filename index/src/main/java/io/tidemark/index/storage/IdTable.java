package io.tidemark.index.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Dense ids 0, 1, 2, ... each with a location (a long the owner defines), and an open-addressing
 * hash index of them, at most half full. Each slot is a pair of longs, side by side so that one
 * cache line holds both: a key ({@code hash << 32 | id + 1}, 0 = empty) and the id's location. A
 * lookup that hits reads one slot and then the owner's record: no per-id array in between.
 *
 * <p>Threads: {@link #add}, {@link #remove} and {@link #compact} by one writer at a time (the
 * owner's lock). {@link #add} stores the id's location, then the slot's location, then publishes the
 * slot's key with release semantics; a reader that acquires a key sees the location next to it and
 * by the id. A resize builds a new index and publishes it through a volatile field; a reader still
 * probing the old one may miss an id added meanwhile (an answer it could have got a moment
 * earlier), and the old array goes to the garbage collector, never freed under a reader. Owners
 * probe with {@link #slots()}, {@link #keyAcquire}, {@link #keyHash}, {@link #keyId} and
 * {@link #slotLocation}, and their own comparison.
 *
 * <p>Removal: {@link #remove} marks an id removed (readers see the mark with acquire semantics and
 * skip the id); {@link #compact()} then rebuilds the hash index without removed ids. An id is never
 * reused, and its location stays readable, so a reader that still holds a removed id can read what
 * it named.
 */
public final class IdTable {
    private static final VarHandle LONG_ARRAY = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int DEFAULT_CAPACITY = 1024;

    private final int initialCapacity;
    private volatile long[] locations;
    /** Pairs of longs: key, location. */
    private volatile long[] slots;
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
        this.slots = new long[2 * 2 * initialCapacity];
        this.removed = new long[initialCapacity / Long.SIZE];
    }

    /** Adds the next id; returns it. */
    public int add(final int hash, final long location) {
        final int id = count;
        if (id == locations.length) {
            locations = Arrays.copyOf(locations, id * 2);
        }
        if (id / Long.SIZE == removed.length) {
            removed = Arrays.copyOf(removed, removed.length * 2);
        }
        locations[id] = location;
        count = id + 1;
        long[] table = slots;
        if ((indexed + 1) * 2 > slotCount(table)) {
            table = rebuilt(table, slotCount(table) * 2);
        }
        insert(table, hash, id, location);
        indexed++;
        if (table != slots) {
            slots = table; // publishes the new index with every id in it
        }
        return id;
    }

    /** A new index of {@code slotCount} slots holding every live id of {@code old}. */
    private long[] rebuilt(final long[] old, final int newSlotCount) {
        final long[] table = new long[2 * newSlotCount];
        indexed = 0;
        for (int slot = 0; slot < slotCount(old); slot++) {
            final long key = old[2 * slot];
            if (key != 0 && !isRemoved(keyId(key))) {
                insert(table, keyHash(key), keyId(key), old[2 * slot + 1]);
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
        slots = rebuilt(slots, length);
    }

    /** Number of ids not removed. */
    public int liveCount() {
        return count - removedCount;
    }

    private static void insert(final long[] table, final int hash, final int id, final long location) {
        final int mask = slotCount(table) - 1;
        int slot = hash & mask;
        while (table[2 * slot] != 0) {
            slot = (slot + 1) & mask;
        }
        table[2 * slot + 1] = location;
        LONG_ARRAY.setRelease(table, 2 * slot, (long) hash << 32 | (id + 1L));
    }

    /** The current index, for probing: start at {@code hash & (slotCount - 1)}, step by one. */
    public long[] slots() {
        return slots;
    }

    /** Slots in {@code table}, a power of two. */
    public static int slotCount(final long[] table) {
        return table.length >>> 1;
    }

    /** The key at {@code slot}: 0 if empty. Acquire semantics: the slot's location is then readable. */
    public static long keyAcquire(final long[] table, final int slot) {
        return (long) LONG_ARRAY.getAcquire(table, 2 * slot);
    }

    /** The id of a non-zero key. */
    public static int keyId(final long key) {
        return (int) key - 1;
    }

    /** The hash of a non-zero key. */
    public static int keyHash(final long key) {
        return (int) (key >>> 32);
    }

    /** The location stored with the key at {@code slot}; read after {@link #keyAcquire}. */
    public static long slotLocation(final long[] table, final int slot) {
        return table[2 * slot + 1];
    }

    /**
     * The id whose location is {@code location} and was added with {@code hash}, or -1; for owners
     * whose location is the key itself (a symbol id, say). Lock-free, allocates nothing.
     */
    public int findLocation(final long location, final int hash) {
        final long[] table = slots;
        final int mask = slotCount(table) - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            final long key = keyAcquire(table, slot);
            if (key == 0) {
                return -1;
            }
            if (slotLocation(table, slot) == location && !isRemoved(keyId(key))) {
                return keyId(key);
            }
        }
    }

    /** The location of {@code id}. */
    public long location(final int id) {
        return locations[id];
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
        return (long) locations.length * Long.BYTES + (long) slots.length * Long.BYTES + (long) removed.length * Long.BYTES;
    }
}
