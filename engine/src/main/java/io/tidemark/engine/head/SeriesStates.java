package io.tidemark.engine.head;

import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The per-series state of one head shard, off-heap: a fixed record of {@value #RECORD_BYTES} bytes
 * per local slot, in {@link SlotRecords} pages allocated as slots are first used. Pages never move,
 * so a reader holding a slot's address reads it while the writer appends.
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
    static final int SLOTS_PER_PAGE = SlotRecords.SLOTS_PER_PAGE;
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

    private final SlotRecords records;

    SeriesStates(final NativeAllocator allocator) {
        this.records = new SlotRecords(allocator, RECORD_BYTES, SeriesStates::initialise);
    }

    private static void initialise(final MemorySegment segment) {
        for (int i = 0; i < SLOTS_PER_PAGE; i++) {
            final long at = (long) i * RECORD_BYTES;
            segment.set(ValueLayout.JAVA_LONG, at + LAST_TIMESTAMP, NO_SAMPLE);
            segment.set(ValueLayout.JAVA_INT, at + OPEN_CHUNK, NO_CHUNK);
            segment.set(ValueLayout.JAVA_LONG, at + NEWEST_CLOSED, NO_CHUNK_REF);
        }
    }

    /** The page holding {@code slot}; null if no slot of that page was ever used. Any thread. */
    MemorySegment page(final int slot) {
        return records.page(slot);
    }

    /** Byte offset of {@code slot}'s record within its {@link #page(int)}. */
    static long offset(final int slot) {
        return (long) (slot % SLOTS_PER_PAGE) * RECORD_BYTES;
    }

    /** The page of {@code slot}, with a fresh record for it if it was never used. Writer only. */
    MemorySegment ensure(final int slot) {
        return records.ensure(slot);
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

    /** One past the highest slot with a record page; any thread. */
    int slotLimit() {
        return records.slotLimit();
    }

    /** Off-heap bytes of the records. */
    long nativeBytes() {
        return records.nativeBytes();
    }

    @Override
    public void close() {
        records.close();
    }
}
