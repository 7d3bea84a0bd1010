package io.tidemark.promql.eval;

import java.util.Arrays;

/**
 * An open-addressing map from {@code long} keys to non-negative {@code int} values, for lookups on the per-step paths
 * of evaluation without boxing. Linear probing over power-of-two tables kept at most half full; grows by doubling,
 * so allocation is per distinct key (amortized), never per lookup. Not thread-safe.
 */
final class LongIntHashMap {
    /** What {@link #get} returns for an absent key. */
    static final int MISSING = -1;

    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    LongIntHashMap(final int expected) {
        int capacity = 8;
        while (capacity < expected * 2) {
            capacity <<= 1;
        }
        allocate(capacity);
    }

    private void allocate(final int capacity) {
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(values, MISSING);
        mask = capacity - 1;
    }

    /** The value of {@code key}, or {@link #MISSING}. */
    int get(final long key) {
        int i = slot(key);
        while (values[i] != MISSING) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return MISSING;
    }

    /** Maps {@code key} to {@code value} (which must not be negative), replacing any earlier value. */
    void put(final long key, final int value) {
        if (value < 0) {
            throw new IllegalArgumentException("value=" + value);
        }
        int i = slot(key);
        while (values[i] != MISSING) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        final long[] oldKeys = keys;
        final int[] oldValues = values;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != MISSING) {
                int j = slot(oldKeys[i]);
                while (values[j] != MISSING) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
            }
        }
    }

    private int slot(final long key) {
        final long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
