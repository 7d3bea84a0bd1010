package io.tidemark.tiering.block;

import java.util.Arrays;

/**
 * One series of a block as {@link BlockReader#series} fills it: labels and chunk metas. Reusable:
 * filling it again grows its arrays only when a series has more labels or chunks than any before,
 * and label strings are the reader's interned symbols, so reading series allocates nothing once
 * warm. Not thread-safe.
 */
public final class BlockSeries {
    private String[] labels = new String[16];
    private int labelCount;
    private long[] chunks = new long[3 * 8];
    private int chunkCount;

    void reset(final int labels, final int chunks) {
        if (2 * labels > this.labels.length) {
            this.labels = new String[2 * labels];
        }
        if (3 * chunks > this.chunks.length) {
            this.chunks = new long[3 * chunks];
        }
        this.labelCount = labels;
        this.chunkCount = 0;
    }

    void setLabel(final int index, final String name, final String value) {
        labels[2 * index] = name;
        labels[2 * index + 1] = value;
    }

    void addChunk(final long minTime, final long maxTime, final long ref) {
        chunks[3 * chunkCount] = minTime;
        chunks[3 * chunkCount + 1] = maxTime;
        chunks[3 * chunkCount + 2] = ref;
        chunkCount++;
    }

    /** Number of labels. */
    public int labelCount() {
        return labelCount;
    }

    /** Name of label {@code i}, in label order. */
    public String labelName(final int i) {
        return labels[2 * i];
    }

    /** Value of label {@code i}. */
    public String labelValue(final int i) {
        return labels[2 * i + 1];
    }

    /** The labels as alternating names and values, in a new array. */
    public String[] labels() {
        return Arrays.copyOf(labels, 2 * labelCount);
    }

    /** Number of chunks. */
    public int chunkCount() {
        return chunkCount;
    }

    /** Smallest sample time of chunk {@code i}, ms. */
    public long chunkMinTime(final int i) {
        return chunks[3 * i];
    }

    /** Largest sample time of chunk {@code i}, ms. */
    public long chunkMaxTime(final int i) {
        return chunks[3 * i + 1];
    }

    /** Reference of chunk {@code i} for {@link BlockReader#readChunk}. */
    public long chunkRef(final int i) {
        return chunks[3 * i + 2];
    }
}
