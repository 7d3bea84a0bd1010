package io.tidemark.engine.head;

import io.tidemark.codecs.chunk.ChunkLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The walk behind {@link HeadShard#truncate}: for every series of the shard, unlinks the chunks whose
 * samples all lie before a boundary (closed in-order chunks are newest first, so one cut; sealed late
 * chunks are in no time order, so each is looked at), drops an open chunk or an open late region that
 * lies wholly before it, and finds the oldest sample left. Each series changes under its version, as
 * a cut does, so readers retry instead of seeing half a change; unlinked chunks stay readable until
 * their arena is freed, which waits for the readers' epoch.
 *
 * <p>It also lists the slots it leaves without any sample, those that never had one included
 * ({@link #emptied}), so that the owner can drop their series; a slot the owner says is gone for good
 * ({@link #forget}) is not listed again.
 *
 * <p>Shard thread only. Allocates nothing but the growth of its two slot lists.
 */
public final class HeadTruncator {
    private final SeriesStates states;
    private final OutOfOrderStates outOfOrderStates;
    private final ChunkRegions regions;
    private final ClosedChunks closed;
    /** Slots left without samples by the last {@link #truncate}. */
    private int[] emptied = new int[16];
    private int emptiedCount;
    /** One bit per slot: its series is gone, see {@link #forget}. */
    private long[] forgotten = new long[16];
    /** Results of {@link #truncateLate} besides its return value, to allocate nothing per series. */
    private long lateDropped;
    private long lateOldest;
    private long oldest = Long.MAX_VALUE;

    HeadTruncator(final SeriesStates states, final OutOfOrderStates outOfOrderStates, final ChunkRegions regions,
                  final ClosedChunks closed) {
        this.states = states;
        this.outOfOrderStates = outOfOrderStates;
        this.regions = regions;
        this.closed = closed;
    }

    /** The oldest sample left by the last {@link #truncate}; Long.MAX_VALUE if none. */
    long oldest() {
        return oldest;
    }

    /** The number of slots the last {@link #truncate} left without any sample, not counting forgotten ones. */
    public int emptied() {
        return emptiedCount;
    }

    /** The {@code i}th slot of {@link #emptied}, in increasing order. */
    public int emptiedSlot(final int i) {
        if (i >= emptiedCount) {
            throw new IndexOutOfBoundsException("emptied slot " + i + " of " + emptiedCount);
        }
        return emptied[i];
    }

    /**
     * The series in {@code slot} is gone for good (its id removed from the index): later truncations
     * do not list the slot. The head never takes a sample for it again; its writer resolves the labels anew.
     */
    public void forget(final int slot) {
        if (slot / Long.SIZE >= forgotten.length) {
            forgotten = Arrays.copyOf(forgotten, Math.max(forgotten.length * 2, slot / Long.SIZE + 1));
        }
        forgotten[slot / Long.SIZE] |= 1L << slot;
    }

    /** True if the head holds no sample of the series in {@code slot}. Shard thread, or before it starts. */
    public boolean holdsNothing(final int slot) {
        final MemorySegment page = states.page(slot);
        final long at = SeriesStates.offset(slot);
        if (page == null || page.get(ValueLayout.JAVA_LONG, at + SeriesStates.LAST_TIMESTAMP) == SeriesStates.NO_SAMPLE) {
            return true;
        }
        if (page.get(ValueLayout.JAVA_LONG, at + SeriesStates.NEWEST_CLOSED) != SeriesStates.NO_CHUNK_REF
            || page.get(ValueLayout.JAVA_INT, at + SeriesStates.OPEN_CHUNK) != SeriesStates.NO_CHUNK) {
            return false;
        }
        final MemorySegment late = outOfOrderStates.page(slot);
        final long lateAt = OutOfOrderStates.offset(slot);
        return late == null || late.get(ValueLayout.JAVA_LONG, lateAt + OutOfOrderStates.NEWEST_SEALED) == SeriesStates.NO_CHUNK_REF
            && late.get(ValueLayout.JAVA_INT, lateAt + OutOfOrderStates.OPEN_COUNT) == 0;
    }

    private boolean isForgotten(final int slot) {
        return slot / Long.SIZE < forgotten.length && (forgotten[slot / Long.SIZE] & 1L << slot) != 0;
    }

    private void addEmptied(final int slot) {
        if (!isForgotten(slot)) {
            if (emptiedCount == emptied.length) {
                emptied = Arrays.copyOf(emptied, emptiedCount * 2);
            }
            emptied[emptiedCount++] = slot;
        }
    }

    /** Unlinks what lies wholly before {@code boundary}; returns the chunks dropped. */
    long truncate(final long boundary) {
        long dropped = 0;
        long oldest = Long.MAX_VALUE;
        emptiedCount = 0;
        final int limit = states.slotLimit();
        for (int slot = 0; slot < limit; slot++) {
            final MemorySegment page = states.page(slot);
            if (page == null) {
                slot += SeriesStates.SLOTS_PER_PAGE - 1 - slot % SeriesStates.SLOTS_PER_PAGE;
                continue;
            }
            final long at = SeriesStates.offset(slot);
            if (page.get(ValueLayout.JAVA_LONG, at + SeriesStates.LAST_TIMESTAMP) == SeriesStates.NO_SAMPLE) {
                addEmptied(slot);
                continue;
            }
            final int version = page.get(ValueLayout.JAVA_INT, at + SeriesStates.VERSION);
            boolean odd = false;
            // In-order closed chunks, newest first: keep those ending at or after the boundary.
            long keptOldest = SeriesStates.NO_CHUNK_REF;
            long ref = page.get(ValueLayout.JAVA_LONG, at + SeriesStates.NEWEST_CLOSED);
            int kept = 0;
            while (ref != SeriesStates.NO_CHUNK_REF && closedMaxTime(ref) >= boundary) {
                keptOldest = ref;
                kept++;
                ref = closedOlder(ref);
            }
            if (ref != SeriesStates.NO_CHUNK_REF) {
                odd = beginChange(page, at, version, odd);
                dropped += page.get(ValueLayout.JAVA_INT, at + SeriesStates.CLOSED_COUNT) - kept;
                if (keptOldest == SeriesStates.NO_CHUNK_REF) {
                    SeriesStates.setLongRelease(page, at + SeriesStates.NEWEST_CLOSED, SeriesStates.NO_CHUNK_REF);
                } else {
                    setClosedOlder(keptOldest, SeriesStates.NO_CHUNK_REF);
                }
                page.set(ValueLayout.JAVA_INT, at + SeriesStates.CLOSED_COUNT, kept);
            }
            if (keptOldest != SeriesStates.NO_CHUNK_REF) {
                oldest = Math.min(oldest, closedMinTime(keptOldest));
            }
            // The open chunk, if its window ends by the boundary.
            final int region = page.get(ValueLayout.JAVA_INT, at + SeriesStates.OPEN_CHUNK);
            if (region != SeriesStates.NO_CHUNK) {
                if (page.get(ValueLayout.JAVA_LONG, at + SeriesStates.CHUNK_WINDOW_END) <= boundary) {
                    odd = beginChange(page, at, version, odd);
                    SeriesStates.setIntRelease(page, at + SeriesStates.OPEN_COUNT, 0);
                    page.set(ValueLayout.JAVA_INT, at + SeriesStates.OPEN_CHUNK, SeriesStates.NO_CHUNK);
                    regions.retire(region);
                    dropped++;
                } else if (keptOldest == SeriesStates.NO_CHUNK_REF) {
                    oldest = Math.min(oldest, regions.page(region).get(HeadShard.FIRST_TIMESTAMP,
                        ChunkRegions.offset(region) + ChunkLayout.HEADER_BYTES));
                }
            }
            odd = truncateLate(slot, page, at, version, odd, boundary);
            dropped += lateDropped;
            oldest = Math.min(oldest, lateOldest);
            if (keptOldest == SeriesStates.NO_CHUNK_REF && page.get(ValueLayout.JAVA_INT, at + SeriesStates.OPEN_CHUNK) == SeriesStates.NO_CHUNK
                && lateOldest == Long.MAX_VALUE) {
                addEmptied(slot);
            }
            if (odd) {
                SeriesStates.setIntRelease(page, at + SeriesStates.VERSION, version + 2);
            }
        }
        this.oldest = oldest;
        return dropped;
    }

    /** Makes the series' version odd, once per change; returns true. */
    private static boolean beginChange(final MemorySegment page, final long at, final int version, final boolean odd) {
        if (!odd) {
            SeriesStates.setIntRelease(page, at + SeriesStates.VERSION, version + 1);
        }
        return true;
    }

    /**
     * The out-of-order part of {@link #truncate} for one series: unlinks sealed late chunks that end
     * before the boundary and drops an open late region whose samples all do.
     *
     * @return whether the series' version is odd now; the chunks dropped are left in {@link #lateDropped}
     *     and the oldest late sample kept in {@link #lateOldest} (MAX_VALUE if none)
     */
    private boolean truncateLate(final int slot, final MemorySegment page, final long at, final int version,
                                final boolean oddBefore, final long boundary) {
        final MemorySegment late = outOfOrderStates.page(slot);
        boolean odd = oddBefore;
        long dropped = 0;
        long oldest = Long.MAX_VALUE;
        lateDropped = 0;
        lateOldest = Long.MAX_VALUE;
        if (late == null) {
            return odd;
        }
        final long lateAt = OutOfOrderStates.offset(slot);
        long previous = SeriesStates.NO_CHUNK_REF;
        for (long ref = late.get(ValueLayout.JAVA_LONG, lateAt + OutOfOrderStates.NEWEST_SEALED);
             ref != SeriesStates.NO_CHUNK_REF; ) {
            final long older = closedOlder(ref);
            if (closedMaxTime(ref) < boundary) {
                odd = beginChange(page, at, version, odd);
                if (previous == SeriesStates.NO_CHUNK_REF) {
                    SeriesStates.setLongRelease(late, lateAt + OutOfOrderStates.NEWEST_SEALED, older);
                } else {
                    setClosedOlder(previous, older);
                }
                dropped++;
            } else {
                previous = ref;
                oldest = Math.min(oldest, closedMinTime(ref));
            }
            ref = older;
        }
        final int region = late.get(ValueLayout.JAVA_INT, lateAt + OutOfOrderStates.OPEN_REGION);
        final int count = late.get(ValueLayout.JAVA_INT, lateAt + OutOfOrderStates.OPEN_COUNT);
        if (region != SeriesStates.NO_CHUNK && count > 0) {
            final MemorySegment pairs = regions.page(region);
            final long base = ChunkRegions.offset(region);
            if (pairs.get(ValueLayout.JAVA_LONG, base + (long) (count - 1) * OutOfOrderStates.PAIR_BYTES) < boundary) {
                odd = beginChange(page, at, version, odd);
                SeriesStates.setIntRelease(late, lateAt + OutOfOrderStates.OPEN_COUNT, 0);
                late.set(ValueLayout.JAVA_INT, lateAt + OutOfOrderStates.OPEN_REGION, SeriesStates.NO_CHUNK);
                regions.retire(region);
                dropped++;
            } else {
                oldest = Math.min(oldest, pairs.get(ValueLayout.JAVA_LONG, base));
            }
        }
        lateDropped = dropped;
        lateOldest = oldest;
        return odd;
    }

    private long closedMaxTime(final long ref) {
        return closed.block(ref).get(ValueLayout.JAVA_LONG, ClosedChunks.offset(ref) + HeadShard.CLOSED_MAX_TIME);
    }

    private long closedMinTime(final long ref) {
        return closed.block(ref).get(HeadShard.FIRST_TIMESTAMP, ClosedChunks.offset(ref) + HeadShard.CLOSED_HEADER_BYTES
            + ChunkLayout.HEADER_BYTES);
    }

    private long closedOlder(final long ref) {
        return closed.block(ref).get(ValueLayout.JAVA_LONG, ClosedChunks.offset(ref) + HeadShard.CLOSED_OLDER);
    }

    /** Relinks a closed chunk while readers may be following its link: a release store of an aligned word. */
    private void setClosedOlder(final long ref, final long older) {
        SeriesStates.setLongRelease(closed.block(ref), ClosedChunks.offset(ref) + HeadShard.CLOSED_OLDER, older);
    }

}
