package io.tidemark.tiering.block;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of the index a {@link BlockWriter} can only write once every series is known: the
 * symbol table (refs in first-seen order), the postings of every label pair, the postings table and
 * the label-name table (both in {@link LabelOrder}), the series offsets and the page table.
 * Writer thread only.
 */
final class SymbolsAndPostings {
    private final Map<String, Integer> refs = new HashMap<>();
    private final List<String> symbols = new ArrayList<>();
    private final Map<Long, IntList> postings = new HashMap<>();

    /** The ref of {@code value}, adding it if new. */
    int symbol(final String value) {
        final Integer known = refs.get(value);
        if (known != null) {
            return known;
        }
        final int ref = symbols.size();
        symbols.add(value);
        refs.put(value, ref);
        return ref;
    }

    /** Adds a series to the postings of a label pair; series ids arrive in increasing order. */
    void addPosting(final int nameRef, final int valueRef, final int series) {
        postings.computeIfAbsent(pairKey(nameRef, valueRef), key -> new IntList()).add(series);
    }

    /** Writes SYMBOLS through PAGES (the SERIES section is already written). */
    void writeSections(final IndexOutput index, final long[] seriesOffsets, final int seriesCount, final ChunkPageWriter pages)
        throws IOException {
        index.beginSection(BlockLayout.SYMBOLS);
        index.u32(symbols.size());
        for (final String symbol : symbols) {
            index.string(symbol);
        }
        index.endSection();

        index.beginSection(BlockLayout.SERIES_OFFSETS);
        for (int i = 0; i < seriesCount; i++) {
            index.u64(seriesOffsets[i]);
        }
        index.endSection();

        final long[] pairs = sortedPairs();
        final long[] postingsOffsets = new long[pairs.length];
        index.beginSection(BlockLayout.POSTINGS);
        for (int i = 0; i < pairs.length; i++) {
            postingsOffsets[i] = index.sectionPosition();
            final IntList list = postings.get(pairs[i]);
            index.u32(list.size());
            for (int j = 0; j < list.size(); j++) {
                index.u32(list.get(j));
            }
        }
        index.endSection();

        index.beginSection(BlockLayout.POSTINGS_TABLE);
        for (int i = 0; i < pairs.length; i++) {
            index.u32(nameRef(pairs[i]));
            index.u32(valueRef(pairs[i]));
            index.u64(postingsOffsets[i]);
        }
        index.endSection();

        index.beginSection(BlockLayout.LABEL_NAMES);
        for (int first = 0; first < pairs.length;) {
            int end = first + 1;
            while (end < pairs.length && nameRef(pairs[end]) == nameRef(pairs[first])) {
                end++;
            }
            index.u32(nameRef(pairs[first]));
            index.u32(first);
            index.u32(end - first);
            first = end;
        }
        index.endSection();

        index.beginSection(BlockLayout.PAGES);
        for (int i = 0; i < pages.pageCount(); i++) {
            index.u32(pages.pageFile(i));
            index.u64(pages.pageOffset(i));
            index.u32(pages.pageUncompressedBytes(i));
        }
        index.endSection();
    }

    private long[] sortedPairs() {
        final Long[] keys = postings.keySet().toArray(new Long[0]);
        Arrays.sort(keys, (a, b) -> {
            final int byName = LabelOrder.compare(symbols.get(nameRef(a)), symbols.get(nameRef(b)));
            return byName != 0 ? byName : LabelOrder.compare(symbols.get(valueRef(a)), symbols.get(valueRef(b)));
        });
        final long[] sorted = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            sorted[i] = keys[i];
        }
        return sorted;
    }

    private static long pairKey(final int nameRef, final int valueRef) {
        return (long) nameRef << 32 | Integer.toUnsignedLong(valueRef);
    }

    private static int nameRef(final long key) {
        return (int) (key >>> 32);
    }

    private static int valueRef(final long key) {
        return (int) key;
    }
}
