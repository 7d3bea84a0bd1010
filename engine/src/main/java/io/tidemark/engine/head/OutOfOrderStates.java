package io.tidemark.engine.head;

import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Per-series out-of-order state of one head shard, off-heap, {@value #RECORD_BYTES} bytes per local
 * slot, in {@link SlotRecords} pages allocated only when a slot of that page first takes a late
 * sample: a database without an out-of-order window pays nothing.
 *
 * <p>Record layout (native byte order, in memory only):
 * <pre>
 *    0  i32  open out-of-order region handle (NO_CHUNK if none): sorted (i64 timestamp, i64 value bits) pairs
 *    4  i32  pairs in the open region
 *    8  i64  reference of the newest sealed out-of-order chunk (NO_CHUNK_REF if none; released)
 * </pre>
 * The open region's pairs and count change under the series' version in {@link SeriesStates}.
 */
final class OutOfOrderStates implements AutoCloseable {
    static final int RECORD_BYTES = 16;
    static final int SLOTS_PER_PAGE = SlotRecords.SLOTS_PER_PAGE;
    static final long OPEN_REGION = 0;
    static final long OPEN_COUNT = 4;
    static final long NEWEST_SEALED = 8;
    /** Bytes of one (timestamp, value bits) pair in an open region. */
    static final int PAIR_BYTES = 16;

    private final SlotRecords records;

    OutOfOrderStates(final NativeAllocator allocator) {
        this.records = new SlotRecords(allocator, RECORD_BYTES, OutOfOrderStates::initialise);
    }

    private static void initialise(final MemorySegment segment) {
        for (int i = 0; i < SLOTS_PER_PAGE; i++) {
            final long at = (long) i * RECORD_BYTES;
            segment.set(ValueLayout.JAVA_INT, at + OPEN_REGION, SeriesStates.NO_CHUNK);
            segment.set(ValueLayout.JAVA_INT, at + OPEN_COUNT, 0);
            segment.set(ValueLayout.JAVA_LONG, at + NEWEST_SEALED, SeriesStates.NO_CHUNK_REF);
        }
    }

    /** The page holding {@code slot}; null if no slot of it ever took a late sample. Any thread. */
    MemorySegment page(final int slot) {
        return records.page(slot);
    }

    static long offset(final int slot) {
        return (long) (slot % SLOTS_PER_PAGE) * RECORD_BYTES;
    }

    /** The page of {@code slot}, allocated and initialised if needed. Writer only. */
    MemorySegment ensure(final int slot) {
        return records.ensure(slot);
    }

    long nativeBytes() {
        return records.nativeBytes();
    }

    @Override
    public void close() {
        records.close();
    }
}
