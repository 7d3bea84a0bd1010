package io.tidemark.engine.head;

import io.tidemark.memory.AppendOnlyBlocks;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.memory.ReaderEpochs;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The closed chunks of one head shard, in one append-only arena per time window, so that a window
 * sealed into a block is freed whole: {@link #retireThrough} takes the arenas of the windows that end
 * at or before a boundary out of use, and {@link #freeRetired} frees them once no reader can still be
 * inside them.
 *
 * <p>Every chunk lives in the arena of the window its newest sample falls in, so when an arena is
 * retired every sample in it is older than the boundary. Before retiring, the owner unlinks those
 * chunks from every series (see {@link HeadShard#truncate}); a reader that entered the shard's
 * {@link ReaderEpochs} before the unlink may still walk into them, which is why freeing waits for
 * the epoch to move on twice.
 *
 * <p>A reference is {@code slot << 52 | block << 32 | byteOffset}: the arena's slot (reused only after
 * it is freed), the block within the arena and the offset within the block. It is never negative, so
 * {@link SeriesStates#NO_CHUNK_REF} stays free. Records are reserved at multiples of 8 bytes, so the
 * first word of a record (the older-chunk link) is aligned and can be rewritten while readers load it.
 *
 * <p>Threads: {@link #reserve}, {@link #retireThrough} and {@link #freeRetired} by the shard thread only;
 * {@link #block} from any thread inside the shard's reader epoch; {@link #growAhead} from any thread.
 * {@link #close} by the shard thread once it has stopped; a {@link #growAhead} racing it takes nothing that stays.
 */
final class ClosedChunks implements AutoCloseable {
    static final int MAX_ARENAS = 2048;
    private static final int SLOT_SHIFT = 52;
    private static final long WITHIN_ARENA = (1L << SLOT_SHIFT) - 1;

    private final NativeAllocator allocator;
    private final long blockBytes;
    /** Arenas by slot, for readers: replaced whole when a slot is filled or freed. */
    private volatile AppendOnlyBlocks[] bySlot = new AppendOnlyBlocks[0];
    /** The window end (exclusive) of each slot's arena; writer only. */
    private long[] windowEnds = new long[0];
    private final ArrayDeque<Retired> retired = new ArrayDeque<>();
    /** Windows ending at or before this are retired: nothing may be reserved in them again. */
    private long retiredThrough = Long.MIN_VALUE;
    private int lastSlot = -1;
    private long lastWindowEnd;
    /** The arena reserved in last, the one {@link #growAhead} prepares; null after it is retired. */
    private volatile AppendOnlyBlocks current;
    /** The arena the next window will take, its first block made by {@link #growAhead}; null until then. */
    private final AtomicReference<AppendOnlyBlocks> next = new AtomicReference<>();
    /** Orders {@link #growAhead}'s making of {@link #next} against {@link #close}. */
    private final Object nextLock = new Object();
    private boolean closed;
    private long freedBytes;

    private record Retired(int slot, AppendOnlyBlocks arena, long epoch) {
    }

    ClosedChunks(final NativeAllocator allocator, final long blockBytes) {
        this.allocator = allocator;
        this.blockBytes = blockBytes;
    }

    /**
     * Reserves {@code bytes} (rounded up to 8) in the arena of the window that ends (exclusive) at
     * {@code windowEnd}; returns the reference. Writer only.
     *
     * @throws IllegalStateException if that window is already retired (the head refuses such samples first)
     */
    long reserve(final long windowEnd, final int bytes) {
        final int slot = windowEnd == lastWindowEnd && lastSlot >= 0 ? lastSlot : arenaFor(windowEnd);
        final long location = bySlot[slot].reserve((bytes + 7L) & ~7L);
        return (long) slot << SLOT_SHIFT | location;
    }

    private int arenaFor(final long windowEnd) {
        if (windowEnd <= retiredThrough) {
            throw new IllegalStateException("window ending at " + windowEnd + " is already sealed and retired (through "
                + retiredThrough + ")");
        }
        final AppendOnlyBlocks[] arenas = bySlot;
        int free = -1;
        for (int slot = 0; slot < arenas.length; slot++) {
            if (arenas[slot] != null && windowEnds[slot] == windowEnd) {
                return remember(slot, windowEnd);
            }
            if (arenas[slot] == null && free < 0 && !isRetiredSlot(slot)) {
                free = slot;
            }
        }
        if (free < 0) {
            if (arenas.length == MAX_ARENAS) {
                throw new IllegalStateException("more than " + MAX_ARENAS + " head windows open at once");
            }
            free = arenas.length;
            windowEnds = java.util.Arrays.copyOf(windowEnds, free + 1);
        }
        final AppendOnlyBlocks[] grown = java.util.Arrays.copyOf(arenas, Math.max(arenas.length, free + 1));
        final AppendOnlyBlocks prepared = next.getAndSet(null);
        grown[free] = prepared != null ? prepared : new AppendOnlyBlocks(allocator, MemoryTag.HEAD_CHUNKS, blockBytes);
        windowEnds[free] = windowEnd;
        bySlot = grown; // volatile: readers that get a reference into it see the arena
        return remember(free, windowEnd);
    }

    private boolean isRetiredSlot(final int slot) {
        for (final Retired r : retired) {
            if (r.slot == slot) {
                return true;
            }
        }
        return false;
    }

    private int remember(final int slot, final long windowEnd) {
        lastSlot = slot;
        lastWindowEnd = windowEnd;
        current = bySlot[slot];
        return slot;
    }

    /** The memory block a reference points into. Any thread, inside the reader epoch. */
    MemorySegment block(final long ref) {
        return bySlot[(int) (ref >>> SLOT_SHIFT)].block(ref & WITHIN_ARENA);
    }

    /** The byte offset of a reference within its {@link #block}. */
    static long offset(final long ref) {
        return AppendOnlyBlocks.offset(ref);
    }

    /**
     * Takes the arenas of windows ending at or before {@code boundary} out of use, retired at the
     * current epoch of {@code epochs}; every chunk in them must already be unlinked. Writer only.
     */
    void retireThrough(final long boundary, final ReaderEpochs epochs) {
        if (boundary <= retiredThrough) {
            return;
        }
        retiredThrough = boundary;
        final AppendOnlyBlocks[] arenas = bySlot;
        final long epoch = epochs.epoch();
        for (int slot = 0; slot < arenas.length; slot++) {
            if (arenas[slot] != null && windowEnds[slot] <= boundary) {
                retired.add(new Retired(slot, arenas[slot], epoch));
                windowEnds[slot] = Long.MIN_VALUE;
                if (current == arenas[slot]) {
                    current = null; // nothing is reserved in it again: no spare for it
                }
            }
        }
        lastSlot = -1;
    }

    /** Frees the retired arenas no reader can reach any more; returns the bytes freed. Writer only. */
    long freeRetired(final ReaderEpochs epochs) {
        long freed = 0;
        while (!retired.isEmpty() && epochs.safeToFree(retired.peekFirst().epoch)) {
            final Retired r = retired.pollFirst();
            freed += r.arena.nativeBytes();
            final AppendOnlyBlocks[] shrunk = bySlot.clone();
            shrunk[r.slot] = null;
            bySlot = shrunk;
            r.arena.close();
        }
        freedBytes += freed;
        return freed;
    }

    /**
     * Lets the arena reserved in last allocate its next block ahead of need
     * ({@link AppendOnlyBlocks#prepareAhead()}), and makes the arena of the next window with its first block,
     * so that the writer does not stop in a batch to allocate and zero 1 MiB, at a block's end or at the first
     * chunk of a new window. Any thread; returns how many blocks it took (0, 1 or 2).
     *
     * @throws io.tidemark.memory.NativeMemoryLimitException if that would exceed the allocator's limit
     */
    int growAhead() {
        final AppendOnlyBlocks arena = current;
        final int grew = arena != null && arena.prepareAhead() ? 1 : 0;
        AppendOnlyBlocks ahead = next.get();
        if (ahead == null) {
            synchronized (nextLock) {
                if (closed) {
                    return grew;
                }
                ahead = next.get();
                if (ahead == null) {
                    ahead = new AppendOnlyBlocks(allocator, MemoryTag.HEAD_CHUNKS, blockBytes).wantFirstBlock();
                    next.set(ahead);
                }
            }
        }
        return grew + (ahead.prepareAhead() ? 1 : 0); // after a close the arena is closed and prepares nothing
    }

    /** Arenas retired but not yet freed. */
    int retiredArenas() {
        return retired.size();
    }

    /** Arenas in use or retired. */
    int arenas() {
        int n = 0;
        for (final AppendOnlyBlocks arena : bySlot) {
            n += arena == null ? 0 : 1;
        }
        return n;
    }

    /** Off-heap bytes taken by every arena, retired ones and the next window's included. */
    long nativeBytes() {
        final AppendOnlyBlocks ahead = next.get();
        long bytes = ahead == null ? 0 : ahead.nativeBytes();
        for (final AppendOnlyBlocks arena : bySlot) {
            bytes += arena == null ? 0 : arena.nativeBytes();
        }
        return bytes;
    }

    /** Bytes freed by {@link #freeRetired} so far. */
    long freedBytes() {
        return freedBytes;
    }

    @Override
    public void close() {
        synchronized (nextLock) {
            closed = true;
            final AppendOnlyBlocks ahead = next.getAndSet(null);
            if (ahead != null) {
                ahead.close();
            }
        }
        for (final AppendOnlyBlocks arena : bySlot) {
            if (arena != null) {
                arena.close();
            }
        }
        bySlot = new AppendOnlyBlocks[0];
        current = null;
        retired.clear();
    }
}
