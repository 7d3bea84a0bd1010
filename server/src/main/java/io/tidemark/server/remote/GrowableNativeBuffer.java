package io.tidemark.server.remote;

import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;

/**
 * One off-heap buffer that grows (to the next power of two) under {@link MemoryTag#NETWORK}, and shrinks only when
 * {@link #trim trimmed}: it allocates while a decoder warms up to its largest request of ordinary size.
 * Not thread-safe.
 */
final class GrowableNativeBuffer implements AutoCloseable {
    private final NativeAllocator allocator;
    private Allocation allocation;
    private MemorySegment segment = MemorySegment.NULL;

    GrowableNativeBuffer(final NativeAllocator allocator) {
        this.allocator = allocator;
    }

    /** The buffer, at least {@code bytes} long; the contents are lost when it grows. */
    MemorySegment ensureCapacity(final long bytes) {
        if (bytes > segment.byteSize()) {
            final long capacity = Math.max(4096, Long.highestOneBit(Math.max(1, bytes - 1)) << 1);
            close();
            allocation = allocator.allocate(MemoryTag.NETWORK, capacity);
            segment = allocation.segment();
        }
        return segment;
    }

    /** The buffer, at least {@code bytes} long, keeping its first {@code keep} bytes when it grows. */
    MemorySegment ensureCapacityKeeping(final long bytes, final long keep) {
        if (bytes <= segment.byteSize()) {
            return segment;
        }
        final Allocation old = allocation;
        final MemorySegment oldSegment = segment;
        final long capacity = Long.highestOneBit(Math.max(4096, bytes) - 1) << 1;
        final Allocation grown = allocator.allocate(MemoryTag.NETWORK, capacity);
        MemorySegment.copy(oldSegment, 0, grown.segment(), 0, keep);
        allocation = grown;
        segment = grown.segment();
        if (old != null) {
            old.close();
        }
        return segment;
    }

    /** Frees the buffer if it grew past {@code keepAtMost} bytes: one large request does not keep its memory. */
    void trim(final long keepAtMost) {
        if (segment.byteSize() > keepAtMost) {
            close();
        }
    }

    MemorySegment segment() {
        return segment;
    }

    @Override
    public void close() {
        if (allocation != null) {
            allocation.close();
            allocation = null;
        }
        segment = MemorySegment.NULL;
    }
}
