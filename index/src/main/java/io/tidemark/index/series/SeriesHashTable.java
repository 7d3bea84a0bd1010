package io.tidemark.index.series;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The registry's heap tables: dense ids 0, 1, 2, ... each with a 32-bit record reference (0 = no
 * record), removed bits, and an open-addressing hash index of the records, at most half full.
 *
 * <p>A slot is one long, {@code hash << 32 | ref} (0 = empty), and a probe starts at
 * {@code hash & (slotCount - 1)}. Eight bytes a slot keep the index half the size of a
 * hash-id-location slot (16 MiB at 1M series): a random lookup misses in the cache on the slot and
 * then on the record anyway, but a smaller index leaves more of itself in cache and takes fewer TLB
 * entries. The full 32-bit hash in the slot skips the records of other series met on a probe
 * without touching them, unless their 32-bit hashes are equal (for a series with the same home slot,
 * one chance in 2<sup>32 - log2(slots)</sup>). The id is
 * in the record ({@link SeriesRecordLayout}), read only on a match.
 *
 * <p>Threads: {@link #add}, {@link #addReplacing}, {@link #addPlaceholder} and {@link #remove} by one
 * writer at a time (the owner's lock). {@link #add} stores the id's reference, then publishes the
 * slot with a release store; the owner writes the record before, so a reader that acquires a slot
 * sees its record. A resize builds a new index and publishes it through a volatile field; a reader
 * still probing the old one may miss a series added meanwhile (an answer it could have got a moment
 * earlier), and the old array goes to the garbage collector, never freed under a reader.
 *
 * <p>Removal: {@link #remove} sets the id's removed bit (release; readers acquire it and skip the
 * id); the slot stays, so that the owner can tell a label set it removed from one it never saw.
 * {@link #addReplacing} gives that slot to the label set's next id: a table holds at most one slot per
 * label set ever added, live or removed. Ids are never reused and their references stay readable.
 */
final class SeriesHashTable {
    private static final VarHandle LONG_ARRAY = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int INITIAL_CAPACITY = 1024;
    private static final long REF_MASK = 0xFFFF_FFFFL;

    private volatile int[] refs = new int[INITIAL_CAPACITY];
    private volatile long[] slots = new long[2 * INITIAL_CAPACITY];
    private volatile long[] removed = new long[INITIAL_CAPACITY / Long.SIZE];
    private volatile int count;
    /** Slots in use in the current index (writer only). */
    private int indexed;
    private int removedCount;

    /** Adds the next id with record {@code ref} (not 0) and indexes it under {@code hash}; returns the id. */
    int add(final int hash, final int ref) {
        final int id = grow();
        refs[id] = ref;
        long[] table = slots;
        if ((indexed + 1) * 2 > table.length) {
            table = copied(table, table.length * 2);
        }
        insert(table, hash, ref);
        indexed++;
        if (table != slots) {
            slots = table; // publishes the new index with every slot in it
        }
        return id;
    }

    /**
     * Adds the next id with record {@code ref} in place of the removed one at {@code slot} of the
     * current index (same label set, so the same hash); returns the id. A reader probing meets the
     * old key (a removed id, passed over) or the new one, never an empty slot.
     */
    int addReplacing(final int slot, final int hash, final int ref) {
        final int id = grow();
        refs[id] = ref;
        LONG_ARRAY.setRelease(slots, slot, (long) hash << 32 | ref & REF_MASK);
        return id;
    }

    /** Adds the next id with no record and no slot, already removed (an id reserved on restore). */
    int addPlaceholder() {
        final int id = grow();
        remove(id);
        return id;
    }

    private int grow() {
        final int id = count;
        if (id == refs.length) {
            refs = Arrays.copyOf(refs, id * 2);
        }
        if (id / Long.SIZE == removed.length) {
            removed = Arrays.copyOf(removed, removed.length * 2);
        }
        count = id + 1;
        return id;
    }

    /** A new index of {@code newSlotCount} slots holding every slot of {@code old}. */
    private static long[] copied(final long[] old, final int newSlotCount) {
        final long[] table = new long[newSlotCount];
        for (final long key : old) {
            if (key != 0) {
                insert(table, keyHash(key), keyRef(key));
            }
        }
        return table;
    }

    private static void insert(final long[] table, final int hash, final int ref) {
        final int mask = table.length - 1;
        int slot = hash & mask;
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        LONG_ARRAY.setRelease(table, slot, (long) hash << 32 | ref & REF_MASK);
    }

    /**
     * Marks {@code id} removed; readers skip it from now on. Its slot stays until {@link #compact}.
     *
     * @return false if it was already removed
     */
    boolean remove(final int id) {
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
    boolean isRemoved(final int id) {
        return ((long) LONG_ARRAY.getAcquire(removed, id / Long.SIZE) & 1L << id) != 0;
    }

    /** Number of ids not removed. */
    int liveCount() {
        return count - removedCount;
    }

    /** Number of ids ever added, removed or not. */
    int size() {
        return count;
    }

    /** The record reference of {@code id}, 0 if it has none. */
    int ref(final int id) {
        return refs[id];
    }

    /** The current index, for probing: start at {@code hash & (slots.length - 1)}, step by one. */
    long[] slots() {
        return slots;
    }

    /** The key at {@code slot}: 0 if empty. Acquire semantics: the slot's record is then readable. */
    static long keyAcquire(final long[] table, final int slot) {
        return (long) LONG_ARRAY.getAcquire(table, slot);
    }

    /** The hash of a non-zero key. */
    static int keyHash(final long key) {
        return (int) (key >>> 32);
    }

    /** The record reference of a non-zero key. */
    static int keyRef(final long key) {
        return (int) key;
    }

    /** Heap bytes of the arrays (not counting object headers). */
    long heapBytes() {
        return (long) refs.length * Integer.BYTES + (long) slots.length * Long.BYTES + (long) removed.length * Long.BYTES;
    }
}
