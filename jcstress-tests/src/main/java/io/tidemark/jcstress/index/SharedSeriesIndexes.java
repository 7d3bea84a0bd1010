package io.tidemark.jcstress.index;

import io.tidemark.index.SeriesIndex;
import io.tidemark.memory.NativeAllocator;

/**
 * Small series indexes shared by the states of one jcstress scenario: each state takes a
 * {@link Lease} in its constructor (its index and a serial number no other state of that index has,
 * from which it names labels of its own) and gives it back in its {@code @Arbiter}. After
 * {@code statesPerIndex} leases a new index is started; an old index is closed once every lease
 * on it has come back.
 *
 * <p>Why: jcstress creates millions of states, keeps thousands alive at once and has no teardown
 * hook. An index takes at least three 64 KiB blocks in shared {@link java.lang.foreign.Arena}s
 * (symbols, series records, postings), which only closing frees, and closing costs a thread
 * handshake per arena. One index per state would need gigabytes and a handshake per state; sharing
 * keeps the live indexes at about the live states divided by {@code statesPerIndex}, and rotating
 * keeps each index (and the work a removal does, which grows with it) small. Measured in quick
 * mode: the forks' native memory outside the heap (NMT "Other") stayed flat at 10-24 MiB through
 * a 25 s iteration (the most with 128 states per index), and their RSS at 390-460 MB, most of it
 * jcstress's 256 MB pre-touched heap.
 *
 * <p>Checks on close, thrown from the arbiter that closes (jcstress reports a test error): the
 * index holds exactly {@code liveSeriesPerState} series per lease ({@link SeriesIndex#size()} is
 * exact only here, with no state of the index still running), and closing gave back every byte.
 *
 * <p>Thread-safety: {@link #take()} and {@link Lease#giveBack()} from any thread; both lock this
 * object, which orders a state's construction and its arbiter against closing.
 */
final class SharedSeriesIndexes {
    /** The smallest blocks an index allows; postings pages are 64 KiB, taken one at a time. */
    private static final SeriesIndex.Options SMALL = new SeriesIndex.Options(1 << 16, 1, 64);
    private static final long ALLOCATOR_LIMIT_BYTES = 8L << 20;
    /** The indexes route ids to two shards: a label set created again after its removal keeps its shard. */
    static final int SHARDS = 2;

    private final int statesPerIndex;
    private final int liveSeriesPerState;
    private Generation current;

    /**
     * @param statesPerIndex     leases handed out on one index before the next is started
     * @param liveSeriesPerState series each state leaves in the index when its arbiter has run
     */
    SharedSeriesIndexes(final int statesPerIndex, final int liveSeriesPerState) {
        this.statesPerIndex = statesPerIndex;
        this.liveSeriesPerState = liveSeriesPerState;
    }

    /** A lease on the current index, starting a new one when the current one has had its share. */
    synchronized Lease take() {
        if (current == null || current.issued == statesPerIndex) {
            final Generation full = current;
            current = new Generation();
            if (full != null && full.returned == full.issued) {
                full.close();
            }
        }
        return new Lease(current, current.issued++);
    }

    private synchronized void giveBack(final Generation generation) {
        generation.returned++;
        if (generation != current && generation.returned == generation.issued) {
            generation.close();
        }
    }

    /** One index and the count of leases on it. Fields guarded by the enclosing object. */
    private final class Generation {
        private final NativeAllocator allocator = NativeAllocator.withLimit(ALLOCATOR_LIMIT_BYTES);
        private final SeriesIndex index = new SeriesIndex(allocator, SMALL, SHARDS);
        private int issued;
        private int returned;

        private void close() {
            final int size = index.size();
            index.close();
            if (size != issued * liveSeriesPerState) {
                throw new IllegalStateException("series count wrong when the last state finished: size=" + size
                    + " states=" + issued + " expectedPerState=" + liveSeriesPerState);
            }
            allocator.assertNoLeaks();
        }
    }

    /** One state's share of an index. */
    final class Lease {
        private final Generation generation;
        private final int serial;

        private Lease(final Generation generation, final int serial) {
            this.generation = generation;
            this.serial = serial;
        }

        /** The shared index; open until every lease on it has been given back. */
        SeriesIndex index() {
            return generation.index;
        }

        /** A number no other lease on the same index has: put it in a label to make a label set of one's own. */
        int serial() {
            return serial;
        }

        /** Ends the state's use of the index; call once, from the arbiter, after the last read. */
        void giveBack() {
            SharedSeriesIndexes.this.giveBack(generation);
        }
    }
}
