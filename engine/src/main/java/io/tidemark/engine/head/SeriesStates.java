package io.tidemark.engine.head;

import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The per-series state of one head shard, off-heap: a fixed record of {@value #RECORD_BYTES} bytes
 * per local slot, in pages of {@value #SLOTS_PER_PAGE} records taken from the allocator under
 * {@link MemoryTag#HEAD_CHUNKS} as slots are first used. Pages never move, so a reader holding a
 * slot's address reads it while the writer appends.
 *
 * <p>Record layout (native byte order, in memory only):
 * <pre>
 *    0  i64  last timestamp (NO_SAMPLE if none)
 *    8  i64  raw bits of the last value
 *   16  i64  end of the open chunk's time window (exclusive); its min time is its first raw timestamp
 *   24  i64  delta between the open chunk's last two timestamps
 *   32  i32  open chunk region handle (NO_CHUNK if none)
 *   36  i32  samples in the open chunk (released after the samples' bytes)
 *   40  i32  bit length of the open chunk's sample stream
 *   44  i32  XOR window of the open chunk's encoder
 *   48  i64  reference of the newest closed chunk (NO_CHUNK_REF if none; released)
 *   56  i32  version: odd while a chunk is being cut (readers retry), even otherwise
 *   60  i32  closed chunks
 * </pre>
 *
 * <p>Threads: written by the shard thread only; read by any thread through the acquire/release
 * fields named above.
 */
final class SeriesStates implements AutoCloseable {
    static final int RECORD_BYTES = 64;
    static final int SLOTS_PER_PAGE = 1024;
    static final long NO_SAMPLE = Long.MIN_VALUE;
    static final int NO_CHUNK = -1;
    static final long NO_CHUNK_REF = -1;

    static final long LAST_TIMESTAMP = 0;
    static final long LAST_VALUE = 8;
    static final long CHUNK_WINDOW_END = 16;
    static final long PREVIOUS_DELTA = 24;
    static final long OPEN_CHUNK = 32;
    static final long OPEN_COUNT = 36;
    static final long BIT_LENGTH = 40;
    static final long WINDOW = 44;
    static final long NEWEST_CLOSED = 48;
    static final long VERSION = 56;
    static final long CLOSED_COUNT = 60;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final NativeAllocator allocator;
    private final List<Allocation> allocations = new ArrayList<>();
    private volatile MemorySegment[] pages = new MemorySegment[0];
    /** Slots initialised so far (writer only). */
    private int slots;

    SeriesStates(final NativeAllocator allocator) {
        this.allocator = allocator;
    }

    /** The page holding {@code slot}; null if the slot was never used. Any thread. */
    MemorySegment page(final int slot) {
        final MemorySegment[] current = pages;
        final int page = slot / SLOTS_PER_PAGE;
        return page < current.length ? current[page] : null;
    }

    /** Byte offset of {@code slot}'s record within its {@link #page(int)}. */
    static long offset(final int slot) {
        return (long) (slot % SLOTS_PER_PAGE) * RECORD_BYTES;
    }

    /** Makes sure every slot up to {@code slot} has a fresh record. Writer only. */
    void ensure(final int slot) {
        while (slot >= slots) {
            final int page = slots / SLOTS_PER_PAGE;
            if (page == pages.length) {
                final Allocation allocation = allocator.allocate(MemoryTag.HEAD_CHUNKS, (long) SLOTS_PER_PAGE * RECORD_BYTES);
                allocations.add(allocation);
                final MemorySegment segment = allocation.segment();
                for (int i = 0; i < SLOTS_PER_PAGE; i++) {
                    final long at = (long) i * RECORD_BYTES;
                    segment.set(ValueLayout.JAVA_LONG, at + LAST_TIMESTAMP, NO_SAMPLE);
                    segment.set(ValueLayout.JAVA_INT, at + OPEN_CHUNK, NO_CHUNK);
                    segment.set(ValueLayout.JAVA_LONG, at + NEWEST_CLOSED, NO_CHUNK_REF);
                }
                final MemorySegment[] grown = Arrays.copyOf(pages, page + 1);
                grown[page] = segment;
                pages = grown; // volatile write publishes the initialised page
            }
            slots = (page + 1) * SLOTS_PER_PAGE;
        }
    }

    static int getIntAcquire(final MemorySegment page, final long at) {
        return (int) INT.getAcquire(page, at);
    }

    static void setIntRelease(final MemorySegment page, final long at, final int value) {
        INT.setRelease(page, at, value);
    }

    static long getLongAcquire(final MemorySegment page, final long at) {
        return (long) LONG.getAcquire(page, at);
    }

    static void setLongRelease(final MemorySegment page, final long at, final long value) {
        LONG.setRelease(page, at, value);
    }

    /** Off-heap bytes of the records. */
    long nativeBytes() {
        return (long) pages.length * SLOTS_PER_PAGE * RECORD_BYTES;
    }

    @Override
    public void close() {
        for (final Allocation allocation : allocations) {
            allocation.close();
        }
        allocations.clear();
        pages = new MemorySegment[0];
    }
}
