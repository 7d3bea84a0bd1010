package io.tidemark.index;

import io.tidemark.index.postings.PostingsList;
import io.tidemark.index.postings.PostingsMemory;
import io.tidemark.index.storage.IdTable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The values one label name has taken, each with the postings list of the series that carry the
 * pair: a dense local index per value (an {@link IdTable} keyed by value symbol), and the lists in an
 * array by that index.
 *
 * <p>Threads: {@link #getOrAdd} and {@link #replace} under the index's write lock; the rest from any
 * thread without locks. A value's index is published by its hash slot after its list is stored, and
 * a replaced list is stored with release semantics, so a reader that finds a value finds a list. A
 * value whose series were all removed keeps its index with the index's one shared empty list (no list
 * object of its own), replaced by a new list if the value comes back.
 */
final class LabelValues {
    private static final VarHandle LISTS = MethodHandles.arrayElementVarHandle(PostingsList[].class);
    private static final int INITIAL_CAPACITY = 64;

    private final int nameSymbol;
    private final PostingsList empty;
    private final IdTable values = new IdTable(INITIAL_CAPACITY);
    private volatile PostingsList[] lists = new PostingsList[INITIAL_CAPACITY];

    /** The values of label {@code nameSymbol}; {@code empty} is the shared list that is never appended to. */
    LabelValues(final int nameSymbol, final PostingsList empty) {
        this.nameSymbol = nameSymbol;
        this.empty = empty;
    }

    int nameSymbol() {
        return nameSymbol;
    }

    /** The local index of {@code valueSymbol}, or -1. */
    int find(final int valueSymbol) {
        return values.findLocation(valueSymbol, SeriesIndex.mix(valueSymbol));
    }

    /** The list of {@code valueSymbol}, created empty if new. Write lock held. */
    PostingsList getOrAdd(final int valueSymbol, final PostingsMemory memory) {
        final int existing = find(valueSymbol);
        if (existing >= 0) {
            final PostingsList list = list(existing);
            if (list != empty) {
                return list;
            }
            final PostingsList fresh = new PostingsList(memory);
            LISTS.setRelease(lists, existing, fresh);
            return fresh;
        }
        final int index = values.size();
        PostingsList[] table = lists;
        if (index == table.length) {
            table = Arrays.copyOf(table, index * 2);
        }
        final PostingsList list = new PostingsList(memory);
        table[index] = list;
        lists = table; // volatile write: the list is visible before the value's slot is published below
        values.add(SeriesIndex.mix(valueSymbol), valueSymbol);
        return list;
    }

    /** Number of values ever added (local indexes {@code 0 .. size-1}). */
    int size() {
        return values.size();
    }

    /** The value symbol at local {@code index}. */
    int valueSymbol(final int index) {
        return (int) values.location(index);
    }

    /** The list at local {@code index}; acquire semantics. */
    PostingsList list(final int index) {
        return (PostingsList) LISTS.getAcquire(lists, index);
    }

    /**
     * Puts {@code list} in place of the list at {@code index}, or the shared empty list if it holds nothing (then
     * closed here). Write lock held; the caller retires the old one.
     */
    void replace(final int index, final PostingsList list) {
        if (list != empty && list.lengthAcquire() == 0) {
            list.close();
            LISTS.setRelease(lists, index, empty);
        } else {
            LISTS.setRelease(lists, index, list);
        }
    }

    /** Values whose list is not the shared empty one. */
    int nonEmpty() {
        int count = 0;
        for (int v = 0; v < size(); v++) {
            count += list(v) == empty ? 0 : 1;
        }
        return count;
    }

    /** Heap bytes of the arrays (not counting the lists). */
    long heapBytes() {
        return values.heapBytes() + (long) lists.length * Integer.BYTES;
    }
}
