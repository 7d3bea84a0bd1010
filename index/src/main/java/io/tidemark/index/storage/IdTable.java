package io.tidemark.index.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Dense ids 0, 1, 2, ... each with a location (a long the owner defines) and a 32-bit hash, and an
 * open-addressing hash index of them: an {@code int[]} of id + 1 (0 = empty), at most half full.
 *
 * <p>Threads: {@link #add} by one writer at a time (the owner's lock). It stores the id's location
 * and hash, then publishes its slot with release semantics; a reader that acquires a slot sees the
 * id's location and hash. A resize builds a new index and publishes it through a volatile field; a
 * reader still probing the old one may miss an id added meanwhile (an answer it could have got a
 * moment earlier), and the old array goes to the garbage collector, never freed under a reader.
 * Owners probe with {@link #slots()}, {@link #slotAcquire} and their own comparison.
 */
public final class IdTable {
    private static final VarHandle INT_ARRAY = MethodHandles.arrayElementVarHandle(int[].class);

    private volatile long[] locations = new long[1024];
    private volatile int[] hashes = new int[1024];
    private volatile int[] slots = new int[2048];
    private volatile int count;

    /** Adds the next id; returns it. */
    public int add(final int hash, final long location) {
        final int id = count;
        if (id == locations.length) {
            locations = Arrays.copyOf(locations, id * 2);
            hashes = Arrays.copyOf(hashes, id * 2);
        }
        locations[id] = location;
        hashes[id] = hash;
        count = id + 1;
        int[] table = slots;
        if ((id + 1) * 2 > table.length) {
            table = new int[table.length * 2];
            for (int existing = 0; existing < id; existing++) {
                insert(table, hashes[existing], existing);
            }
        }
        insert(table, hash, id);
        if (table != slots) {
            slots = table; // publishes the new index with every id in it
        }
        return id;
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

    /** The location of {@code id}. */
    public long location(final int id) {
        return locations[id];
    }

    /** The hash of {@code id}. */
    public int hash(final int id) {
        return hashes[id];
    }

    /** Number of ids. */
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
        return (long) locations.length * Long.BYTES + (long) hashes.length * Integer.BYTES + (long) slots.length * Integer.BYTES;
    }
}
