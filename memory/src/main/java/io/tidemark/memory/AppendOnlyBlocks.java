package io.tidemark.memory;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Off-heap memory that only grows, in blocks of a fixed size under its owner's {@link MemoryTag}. What is
 * written never moves and stays until {@link #close()}, so readers may hold a location for as long
 * as the owner is open. A location is {@code block << 32 | byteOffset}.
 *
 * <p>Threads: {@link #reserve} by one writer at a time (the owner's lock); {@link #block} from any
 * thread, through a volatile array of segments that a new block replaces.
 */
public final class AppendOnlyBlocks implements AutoCloseable {
    private final NativeAllocator allocator;
    private final MemoryTag tag;
    private final long blockBytes;
    private final List<Allocation> allocations = new ArrayList<>();
    private volatile MemorySegment[] segments = new MemorySegment[0];
    private long used;

    /** Blocks of {@code blockBytes} taken from {@code allocator} under {@code tag} as they are needed. */
    public AppendOnlyBlocks(final NativeAllocator allocator, final MemoryTag tag, final long blockBytes) {
        this.allocator = allocator;
        this.tag = tag;
        this.blockBytes = blockBytes;
        this.used = blockBytes;
    }

    /** Reserves {@code bytes} (at most the block size) in the current block or a new one; returns their location. */
    public long reserve(final long bytes) {
        if (bytes > blockBytes) {
            throw new IllegalArgumentException("record larger than a block: bytes=" + bytes + " blockBytes=" + blockBytes);
        }
        if (used + bytes > blockBytes) {
            final Allocation allocation = allocator.allocate(tag, blockBytes);
            allocations.add(allocation);
            final MemorySegment[] grown = Arrays.copyOf(segments, segments.length + 1);
            grown[grown.length - 1] = allocation.segment();
            segments = grown;
            used = 0;
        }
        final long location = (long) (segments.length - 1) << 32 | used;
        used += bytes;
        return location;
    }

    /** The block a location is in. */
    public MemorySegment block(final long location) {
        return segments[(int) (location >>> 32)];
    }

    /** The byte offset of a location within its block. */
    public static long offset(final long location) {
        return location & 0xFFFF_FFFFL;
    }

    /** Off-heap bytes taken. */
    public long nativeBytes() {
        return segments.length * blockBytes;
    }

    /** Bytes reserved so far. */
    public long usedBytes() {
        return segments.length == 0 ? 0 : (segments.length - 1) * blockBytes + used;
    }

    @Override
    public void close() {
        for (final Allocation allocation : allocations) {
            allocation.close();
        }
        allocations.clear();
    }
}
