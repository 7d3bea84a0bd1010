package io.tidemark.memory;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Off-heap memory that only grows, in blocks of a fixed size under its owner's {@link MemoryTag}. What is
 * written never moves and stays until {@link #close()}, so readers may hold a location for as long
 * as the owner is open. A location is {@code block << 32 | byteOffset}.
 *
 * <p>Allocating and zeroing a block takes its first touch of every page: for 1 MiB on the 2-core VM of
 * docs/BENCHMARKS.md, hundreds of microseconds that a writer should not spend in the middle of a
 * batch. {@link #prepareAhead()} lets a helper thread allocate the next block once the current one
 * is half used; {@link #reserve} takes that spare when it needs a block, or allocates one itself if
 * there is none.
 *
 * <p>Threads: {@link #reserve} and {@link #close} by one writer at a time (the owner's lock);
 * {@link #block} from any thread, through a volatile array of segments that a new block replaces;
 * {@link #prepareAhead} from any thread.
 */
public final class AppendOnlyBlocks implements AutoCloseable {
    private final NativeAllocator allocator;
    private final MemoryTag tag;
    private final long blockBytes;
    private final List<Allocation> allocations = new ArrayList<>();
    private volatile MemorySegment[] segments = new MemorySegment[0];
    private long used;
    /** A block allocated ahead of need by {@link #prepareAhead}, taken by the next {@link #reserve} that needs one. */
    private final AtomicReference<Allocation> spare = new AtomicReference<>();
    /** Set by the writer once the current block is half used, cleared when it starts a new one. */
    private volatile boolean spareWanted;
    /** Orders {@link #prepareAhead} against {@link #close}, so that no spare is allocated after close. */
    private final Object spareLock = new Object();
    private boolean closed;

    /** Blocks of {@code blockBytes} taken from {@code allocator} under {@code tag} as they are needed. */
    public AppendOnlyBlocks(final NativeAllocator allocator, final MemoryTag tag, final long blockBytes) {
        this.allocator = allocator;
        this.tag = tag;
        this.blockBytes = blockBytes;
        this.used = blockBytes;
    }

    /**
     * Makes {@link #prepareAhead} allocate the first block too, before anything is reserved: for an arena made ahead
     * of the writer's need, whose first {@link #reserve} then takes a block that is already there. Returns this.
     */
    public AppendOnlyBlocks wantFirstBlock() {
        if (segments.length == 0) {
            spareWanted = true;
        }
        return this;
    }

    /** Reserves {@code bytes} (at most the block size) in the current block or a new one; returns their location. */
    public long reserve(final long bytes) {
        if (bytes > blockBytes) {
            throw new IllegalArgumentException("record larger than a block: bytes=" + bytes + " blockBytes=" + blockBytes);
        }
        if (used + bytes > blockBytes) {
            final Allocation prepared = spare.getAndSet(null);
            final Allocation allocation = prepared != null ? prepared : allocator.allocate(tag, blockBytes);
            allocations.add(allocation);
            spareWanted = false;
            final MemorySegment[] grown = Arrays.copyOf(segments, segments.length + 1);
            grown[grown.length - 1] = allocation.segment();
            segments = grown;
            used = 0;
        }
        final long location = (long) (segments.length - 1) << 32 | used;
        used += bytes;
        if (used > blockBytes / 2 && !spareWanted) {
            spareWanted = true;
        }
        return location;
    }

    /**
     * Allocates the next block ahead of need if the current one is half used and no spare is ready.
     * Any thread; returns whether it allocated.
     *
     * @throws NativeMemoryLimitException if the block would exceed the allocator's limit (the writer
     *     then meets the limit itself when it needs the block)
     */
    public boolean prepareAhead() {
        if (!spareWanted || spare.get() != null) {
            return false;
        }
        synchronized (spareLock) {
            if (closed || spare.get() != null) {
                return false;
            }
            spare.set(allocator.allocate(tag, blockBytes));
            return true;
        }
    }

    /** The block a location is in. */
    public MemorySegment block(final long location) {
        return segments[(int) (location >>> 32)];
    }

    /** The byte offset of a location within its block. */
    public static long offset(final long location) {
        return location & 0xFFFF_FFFFL;
    }

    /** Off-heap bytes taken, a spare block included. */
    public long nativeBytes() {
        return (segments.length + (spare.get() != null ? 1 : 0)) * blockBytes;
    }

    /** Bytes reserved so far. */
    public long usedBytes() {
        return segments.length == 0 ? 0 : (segments.length - 1) * blockBytes + used;
    }

    @Override
    public void close() {
        synchronized (spareLock) {
            closed = true;
            final Allocation prepared = spare.getAndSet(null);
            if (prepared != null) {
                prepared.close();
            }
        }
        for (final Allocation allocation : allocations) {
            allocation.close();
        }
        allocations.clear();
    }
}
