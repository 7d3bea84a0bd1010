package io.tidemark.engine.db;

import io.tidemark.engine.head.AppendPrefetch;
import io.tidemark.engine.head.HeadShard;
import io.tidemark.engine.head.HeadTruncator;
import io.tidemark.engine.wal.WalWriter;
import io.tidemark.index.SeriesIndex;
import io.tidemark.tiering.block.BlockReader;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One tenant: its series index, and per shard its head and its WAL writer. The index is shared by
 * every thread; each shard's head, WAL writer and the record of which series it has logged belong
 * to that shard's thread.
 */
final class Tenant {
    /** Tenant names are directory names: letters, digits, '_', '-' and '.', not starting with '.'. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}");
    private static final Comparator<SharedBlock> BY_TIME = Comparator.comparingLong((SharedBlock b) -> b.reader.meta().minTime())
        .thenComparing(b -> b.reader.meta().id());

    final String name;
    final int number;
    final SeriesIndex index;
    final HeadShard[] heads;
    /** Per shard, what reads a batch's series into the cache ahead of their appends (shard thread only). */
    final AppendPrefetch[] prefetches;
    final WalWriter[] wals;
    /** Per shard, one bit per local slot: the series' SERIES record is in that shard's WAL. Shard thread only. */
    private final long[][] logged;
    /** Per shard, scratch for the ids {@link #removeEmptied} removes, and the successors of removed slots plus one. Shard thread only. */
    private final int[][] removals;
    private final int[][] successors;
    /** Per shard, series removed by {@link #removeEmptied} since open. */
    final AtomicLongArray seriesRemoved;
    /** New series refused by the tenant's series limit since open. */
    final LongAdder seriesLimitRefusals = new LongAdder();
    /** Per shard, the last ring sequence marked on its WAL writer. Shard thread only. */
    final long[] lastMarked;
    /**
     * The tenant's published blocks, by min time then id; replaced whole (copy on write) under this
     * tenant's lock, so a compaction's new block and the removal of its parents are one volatile write.
     */
    volatile SharedBlock[] blocks = new SharedBlock[0];
    /**
     * Series deletions (tombstones) still to apply; replaced whole under {@link #deletionsLock}, together with the
     * tenant's {@code deletions} file.
     */
    volatile Deletions deletions = Deletions.EMPTY;
    /** Held while {@link #deletions} and its file are replaced. */
    final Object deletionsLock = new Object();
    /** Told when a block's last reference goes, before it closes; set by the database before any block is added. */
    Consumer<BlockReader> blockClosed = reader -> { };
    /** Every sample before this is in {@link #blocks}; Long.MIN_VALUE until something is sealed. */
    volatile long sealedThrough = Long.MIN_VALUE;
    /** Asked of the shards by the sealer: refuse samples before this ({@link HeadShard#refuseBefore}). */
    volatile long refuseRequested = Long.MIN_VALUE;
    /** Asked of the shards by the sealer: drop what is before this ({@link HeadShard#truncate}). */
    volatile long truncateRequested = Long.MIN_VALUE;
    /** Per shard, the boundaries the shard thread has applied. */
    final AtomicLongArray refuseApplied;
    final AtomicLongArray truncateApplied;

    Tenant(final String name, final int number, final SeriesIndex index, final HeadShard[] heads, final WalWriter[] wals) {
        this.name = name;
        this.number = number;
        this.index = index;
        this.heads = heads;
        this.prefetches = new AppendPrefetch[heads.length];
        for (int i = 0; i < heads.length; i++) {
            prefetches[i] = new AppendPrefetch(heads[i]);
        }
        this.wals = wals;
        this.logged = new long[heads.length][16];
        this.removals = new int[heads.length][0];
        this.successors = new int[heads.length][0];
        this.seriesRemoved = new AtomicLongArray(heads.length);
        this.lastMarked = new long[heads.length];
        Arrays.fill(lastMarked, -1);
        this.refuseApplied = new AtomicLongArray(heads.length);
        this.truncateApplied = new AtomicLongArray(heads.length);
        for (int shard = 0; shard < heads.length; shard++) {
            refuseApplied.set(shard, Long.MIN_VALUE);
            truncateApplied.set(shard, Long.MIN_VALUE);
        }
    }

    static Path blockDirectory(final Path dataDirectory, final String tenant) {
        return dataDirectory.resolve("tenants").resolve(tenant).resolve("blocks");
    }

    /**
     * On shard {@code shard}'s thread: applies the boundaries the sealer asked for, if new; returns
     * whether there was anything to do.
     */
    boolean applySealRequests(final int shard) {
        boolean work = false;
        final long refuse = refuseRequested;
        if (refuse > refuseApplied.get(shard)) {
            heads[shard].refuseBefore(refuse);
            refuseApplied.set(shard, refuse);
            work = true;
        }
        final long truncate = truncateRequested;
        if (truncate > truncateApplied.get(shard)) {
            heads[shard].truncate(truncate);
            removeEmptied(shard);
            truncateApplied.set(shard, truncate);
            work = true;
        }
        return heads[shard].freeRetiredWindows() || work;
    }

    /**
     * On shard {@code shard}'s thread, after a truncation: removes from the index the series the head now
     * holds nothing of (what they had is in blocks), as Prometheus' head garbage collection does, so that
     * series that stopped (churn) leave the postings, the series count and its limit, the WAL checkpoints
     * and the head snapshots. The cheap half of the removal happens here; the sealer rebuilds the postings
     * ({@link SeriesIndex#purgeRemoved}). A writer that still holds a removed id is served by
     * {@link #successor}. The series' labels stay readable by id until restart.
     */
    private void removeEmptied(final int shard) {
        final HeadTruncator truncator = heads[shard].truncator();
        final int shards = heads.length;
        final int limit = index.registry().idLimit();
        int[] ids = removals[shard];
        int count = 0;
        for (int i = 0; i < truncator.emptied(); i++) {
            final int slot = truncator.emptiedSlot(i);
            final long id = (long) slot * shards + shard;
            if (id >= limit) {
                break; // slots in increasing order: not created yet
            }
            if (index.isRemoved((int) id)) {
                truncator.forget(slot); // reserved on restore, or removed before
                continue;
            }
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, Math.max(16, count * 2));
                removals[shard] = ids;
            }
            ids[count++] = (int) id;
        }
        if (count == 0) {
            return;
        }
        index.markRemoved(ids, count);
        for (int i = 0; i < count; i++) {
            final int slot = ids[i] / shards;
            truncator.forget(slot);
            final long[] bits = logged[shard];
            if (slot / Long.SIZE < bits.length) {
                bits[slot / Long.SIZE] &= ~(1L << slot);
            }
        }
        seriesRemoved.addAndGet(shard, count);
    }

    /**
     * On shard {@code shard}'s thread: the live series with the labels of removed series {@code id}, created
     * if there is none. A writer resolved the id before the series was removed (a sample in the ring at
     * the time) or holds it as a handle; the registry gives a label set created again an id on its old
     * shard, so the sample stays on this one. Remembered per slot, so a handle kept for long costs one
     * array read per sample here after the first.
     */
    int successor(final int shard, final int id) {
        final int shards = heads.length;
        final int slot = id / shards;
        int[] known = successors[shard];
        if (slot < known.length && known[slot] != 0 && !index.isRemoved(known[slot] - 1)) {
            return known[slot] - 1;
        }
        final MemorySegment labels = index.labelBytes(id);
        final int next = index.getOrCreate(labels, 0, (int) labels.byteSize());
        if (next % shards != shard) {
            throw new IllegalStateException("series " + id + " of shard " + shard + " was created again as " + next
                + " on shard " + next % shards + ": the index must know the shard count");
        }
        if (slot >= known.length) {
            known = Arrays.copyOf(known, Math.max(known.length * 2, slot + 1));
            successors[shard] = known;
        }
        known[slot] = next + 1;
        return next;
    }

    /**
     * At open, before any shard thread sees this tenant: the series the shards recovered ({@code series.get(shard)}: id
     * to labels, all restored in the index) are logged in their WALs; those the head holds nothing of (their samples
     * were all older than the blocks' end: the WAL still named them, removed or not) are removed from the index at
     * once instead of at the next truncation.
     */
    void adoptRecovered(final List<? extends Map<Integer, byte[]>> series) {
        final int shards = heads.length;
        int removed = 0;
        for (int shard = 0; shard < shards; shard++) {
            final HeadTruncator truncator = heads[shard].truncator();
            int[] empty = new int[16];
            int count = 0;
            for (final int id : series.get(shard).keySet()) {
                if (truncator.holdsNothing(id / shards)) {
                    if (count == empty.length) {
                        empty = Arrays.copyOf(empty, count * 2);
                    }
                    empty[count++] = id;
                    truncator.forget(id / shards);
                } else {
                    setLogged(shard, id / shards);
                }
            }
            removed += index.markRemoved(empty, count);
        }
        if (removed > 0) {
            index.purgeRemoved();
        }
    }

    /** Adds a sealed block, keeping the list ordered by min time. */
    void addBlock(final BlockReader block) {
        replaceBlocks(List.of(), block);
    }

    /**
     * Publishes {@code added} (if not null) and takes {@code removed} out of the list in one volatile
     * write. Writers of the list (a seal, a compaction, retention) take this tenant's lock. The caller then owns the list's reference to each removed block and
     * must {@link SharedBlock#release} it once the block's files are dealt with.
     */
    synchronized void replaceBlocks(final List<SharedBlock> removed, final BlockReader added) {
        final List<SharedBlock> next = new ArrayList<>(Arrays.asList(blocks));
        for (final SharedBlock block : removed) {
            if (!next.remove(block)) {
                throw new IllegalStateException("block is not published: id=" + block.reader.meta().id());
            }
        }
        if (added != null) {
            next.add(new SharedBlock(added, blockClosed));
        }
        next.sort(BY_TIME);
        blocks = next.toArray(new SharedBlock[0]);
    }

    /** The published blocks, each retained: every one stays open until the snapshot is closed. Any thread. */
    BlockSnapshot acquireBlocks() {
        while (true) {
            final SharedBlock[] current = blocks;
            int retained = 0;
            while (retained < current.length && current[retained].tryRetain()) {
                retained++;
            }
            if (retained == current.length) {
                return current.length == 0 ? BlockSnapshot.empty() : new BlockSnapshot(current);
            }
            // a block was taken out and closed after this list was read: a newer list is published already
            for (int i = 0; i < retained; i++) {
                current[i].release();
            }
            Thread.onSpinWait();
        }
    }

    static Path walDirectory(final Path dataDirectory, final String tenant, final int shard) {
        return dataDirectory.resolve("tenants").resolve(tenant).resolve("wal").resolve(String.format("shard-%03d", shard));
    }

    static String checkName(final String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid tenant name '" + name
                + "': 1 to 64 letters, digits, '_', '-' or '.', not starting with '.'");
        }
        return name;
    }

    boolean isLogged(final int shard, final int slot) {
        final long[] bits = logged[shard];
        return slot / Long.SIZE < bits.length && (bits[slot / Long.SIZE] & 1L << slot) != 0;
    }

    void setLogged(final int shard, final int slot) {
        long[] bits = logged[shard];
        if (slot / Long.SIZE >= bits.length) {
            bits = Arrays.copyOf(bits, Math.max(bits.length * 2, slot / Long.SIZE + 1));
            logged[shard] = bits;
        }
        bits[slot / Long.SIZE] |= 1L << slot;
    }
}
