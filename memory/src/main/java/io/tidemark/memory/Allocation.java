package io.tidemark.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One block of native memory taken from a {@link NativeAllocator}. Closing it frees the memory and
 * returns its bytes to the tag's account; after that any access through {@link #segment()} fails
 * with {@link IllegalStateException} instead of touching freed memory.
 *
 * <p>Thread-safety: the segment may be used from any thread; {@link #close()} may be called once
 * from any thread (a second call is a bug and throws).
 */
public final class Allocation implements AutoCloseable {
    private final NativeAllocator allocator;
    private final MemoryTag tag;
    private final Arena arena;
    private final MemorySegment segment;
    private final Throwable allocationSite;
    private final AtomicBoolean closed = new AtomicBoolean();

    Allocation(final NativeAllocator allocator, final MemoryTag tag, final Arena arena, final MemorySegment segment,
               final Throwable allocationSite) {
        this.allocator = allocator;
        this.tag = tag;
        this.arena = arena;
        this.segment = segment;
        this.allocationSite = allocationSite;
    }

    /** The memory; valid until {@link #close()}. */
    public MemorySegment segment() {
        return segment;
    }

    /** What the memory is for. */
    public MemoryTag tag() {
        return tag;
    }

    /** Size in bytes. */
    public long bytes() {
        return segment.byteSize();
    }

    /** Where this was allocated, when the allocator records allocation sites; otherwise null. */
    Throwable allocationSite() {
        return allocationSite;
    }

    /** Frees the memory. Throws {@link IllegalStateException} if it was already freed. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            throw new IllegalStateException("allocation already freed: tag=" + tag + " bytes=" + bytes());
        }
        arena.close();
        allocator.released(this);
    }

    @Override
    public String toString() {
        return "Allocation[tag=" + tag + ", bytes=" + bytes() + ", address=0x" + Long.toHexString(segment.address()) + ']';
    }
}
