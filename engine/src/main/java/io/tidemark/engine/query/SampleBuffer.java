package io.tidemark.engine.query;

import java.util.Arrays;

/**
 * Reusable primitive arrays of one series' samples: {@code timestamps[i]} (milliseconds) and {@code values[i]} for
 * {@code i < size}. Grows, never shrinks; owned by one thread.
 */
public final class SampleBuffer {
    private long[] timestamps;
    private double[] values;
    private int size;

    /** A buffer with room for {@code capacity} samples before it grows. */
    public SampleBuffer(final int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity=" + capacity);
        }
        timestamps = new long[capacity];
        values = new double[capacity];
    }

    /** Empties the buffer, keeping its arrays. */
    public void clear() {
        size = 0;
    }

    /** Appends one sample, growing the arrays if needed. */
    public void add(final long timestamp, final double value) {
        if (size == timestamps.length) {
            final int grown = Math.max(16, size * 2);
            timestamps = Arrays.copyOf(timestamps, grown);
            values = Arrays.copyOf(values, grown);
        }
        timestamps[size] = timestamp;
        values[size] = value;
        size++;
    }

    /** Keeps the first {@code size} samples only. */
    public void truncate(final int size) {
        if (size < 0 || size > this.size) {
            throw new IllegalArgumentException("size=" + size + " held=" + this.size);
        }
        this.size = size;
    }

    /** Number of samples held. */
    public int size() {
        return size;
    }

    /** The timestamp array; valid up to {@link #size()}. Replaced when the buffer grows. */
    public long[] timestamps() {
        return timestamps;
    }

    /** The value array; valid up to {@link #size()}. Replaced when the buffer grows. */
    public double[] values() {
        return values;
    }
}
