package io.tidemark.tiering.block;

import java.util.Arrays;

/** A growable list of ints: one postings list while a block is written. */
final class IntList {
    private int[] values = new int[4];
    private int size;

    void add(final int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    int get(final int index) {
        return values[index];
    }
}
