package io.tidemark.bench.index;

import io.tidemark.bench.data.Dataset;
import io.tidemark.bench.data.Datasets;
import io.tidemark.index.series.LabelSet;
import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The label sets of the first {@code count} series of the {@code node} dataset (163 series per
 * target, {@code instance="10.0.<t/256>.<t%256>:9100"}, {@code job="node"}), each in the canonical
 * byte form of {@link io.tidemark.index.series.LabelSetLayout}, back to back in one off-heap buffer,
 * so that timed loops hand the index bytes as the write path would and measure no encoding.
 *
 * <p>Owns its buffer (under {@link MemoryTag#TEST}); {@link #close()} frees it. Not thread-safe to
 * close; reading is safe from any thread.
 */
public final class NodeLabelSets implements AutoCloseable {
    private final Allocation allocation;
    private final MemorySegment bytes;
    /** Set {@code i} is {@code [offsets[i], offsets[i + 1])}. */
    private final long[] offsets;

    private NodeLabelSets(final Allocation allocation, final long[] offsets) {
        this.allocation = allocation;
        this.bytes = allocation.segment();
        this.offsets = offsets;
    }

    /** Series per target of the node dataset. */
    public static int seriesPerTarget() {
        return Datasets.node(1, 1, 1).seriesCount();
    }

    /** Targets needed for {@code count} series; the last one may be partial. */
    public static int targetsFor(final int count) {
        final int perTarget = seriesPerTarget();
        return (count + perTarget - 1) / perTarget;
    }

    /** Encodes the label sets of node series {@code 0 .. count-1} generated with {@code seed}. */
    public static NodeLabelSets generate(final NativeAllocator allocator, final long seed, final int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive: count=" + count);
        }
        final Dataset dataset = Datasets.node(seed, targetsFor(count), 1);
        final long[] offsets = new long[count + 1];
        byte[] buffer = new byte[1 << 20];
        int position = 0;
        for (int i = 0; i < count; i++) {
            final LabelSet labels = LabelSet.of(dataset.series(i).labels());
            final int length = labels.encodedBytes();
            if ((long) position + length > buffer.length) {
                final long grown = Math.max(2L * buffer.length, (long) position + length);
                if (grown > Integer.MAX_VALUE - 16) {
                    throw new IllegalArgumentException("label sets exceed 2 GiB: count=" + count + " at=" + i);
                }
                buffer = Arrays.copyOf(buffer, (int) grown);
            }
            labels.encode(MemorySegment.ofArray(buffer), position);
            position += length;
            offsets[i + 1] = position;
        }
        final Allocation allocation = allocator.allocate(MemoryTag.TEST, position);
        MemorySegment.copy(MemorySegment.ofArray(buffer), 0, allocation.segment(), 0, position);
        return new NodeLabelSets(allocation, offsets);
    }

    /** A copy in which set {@code i} is this one's set {@code order[i]}: lookups in that order read their input sequentially. */
    public NodeLabelSets reordered(final NativeAllocator allocator, final int[] order) {
        final long[] copied = new long[order.length + 1];
        for (int i = 0; i < order.length; i++) {
            copied[i + 1] = copied[i] + length(order[i]);
        }
        final Allocation target = allocator.allocate(MemoryTag.TEST, Math.max(1, copied[order.length]));
        try {
            for (int i = 0; i < order.length; i++) {
                MemorySegment.copy(bytes, offset(order[i]), target.segment(), copied[i], length(order[i]));
            }
        } catch (final RuntimeException | Error failure) {
            target.close();
            throw failure;
        }
        return new NodeLabelSets(target, copied);
    }

    /** A seeded random permutation of {@code 0 .. count-1} (Fisher-Yates). */
    public static int[] permutation(final int count, final long seed) {
        final int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = count - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** Number of label sets. */
    public int size() {
        return offsets.length - 1;
    }

    /** The buffer every set lives in. */
    public MemorySegment bytes() {
        return bytes;
    }

    /** Offset of set {@code i} in {@link #bytes()}. */
    public long offset(final int i) {
        return offsets[i];
    }

    /** Length in bytes of set {@code i}. */
    public int length(final int i) {
        return (int) (offsets[i + 1] - offsets[i]);
    }

    /** Bytes of all sets. */
    public long totalBytes() {
        return offsets[offsets.length - 1];
    }

    @Override
    public void close() {
        allocation.close();
    }
}
