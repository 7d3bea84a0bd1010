package io.tidemark.engine.db;

import io.tidemark.tiering.block.BlockId;
import io.tidemark.tiering.block.BlockMeta;
import io.tidemark.tiering.block.DeletedRanges;
import io.tidemark.tiering.block.SeriesDeletions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A tenant's deletions of series over time ranges (tombstones), as {@link Tidemark#deleteSeries}
 * made them: an immutable snapshot, replaced whole (copy on write), so a reader takes it once and
 * filters with it. Stored in the tenant's {@code deletions} file ({@link DeletionsFile}).
 *
 * <p>Deletions are applied when data is rewritten: sealing leaves the deleted head samples out of
 * the block it writes, compaction leaves them out of the merged block, and a block that still holds
 * deleted samples is rewritten on its own when no other compaction is due. A deletion is retired
 * once no block it is pending in is published and the tenant is sealed past its max time; until
 * then queries filter with it.
 */
final class Deletions implements SeriesDeletions {
    static final Deletions EMPTY = new Deletions(List.of());

    private final List<Deletion> list;

    Deletions(final List<Deletion> list) {
        this.list = List.copyOf(list);
    }

    List<Deletion> list() {
        return list;
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    /** The ranges deleted from the series with {@code labels}, merged ({@link DeletedRanges}), or null. */
    @Override
    public long[] deleted(final String[] labels) {
        long[] ranges = null;
        int count = 0;
        for (final Deletion deletion : list) {
            if (deletion.selects(labels)) {
                if (ranges == null) {
                    ranges = new long[2 * list.size()];
                }
                ranges[2 * count] = deletion.minTime();
                ranges[2 * count + 1] = deletion.maxTime();
                count++;
            }
        }
        return count == 0 ? null : DeletedRanges.merge(ranges, count);
    }

    /** This snapshot with {@code added} appended. */
    Deletions with(final List<Deletion> added) {
        final List<Deletion> next = new ArrayList<>(list);
        next.addAll(added);
        return new Deletions(next);
    }

    /**
     * The deletions still needed once {@code published} are the tenant's blocks and it is sealed up
     * to {@code sealedThrough}: pending blocks no longer published are struck off (rewritten without
     * the deleted samples, or gone), and a deletion with no pending block whose range is all sealed is
     * dropped. Returns this snapshot when nothing changes.
     */
    Deletions retire(final Set<BlockId> published, final long sealedThrough) {
        boolean changed = false;
        final List<Deletion> kept = new ArrayList<>(list.size());
        for (final Deletion deletion : list) {
            Set<BlockId> pending = deletion.pending();
            if (!published.containsAll(pending)) {
                final Set<BlockId> still = new HashSet<>(pending);
                still.retainAll(published);
                pending = still;
                changed = true;
            }
            if (pending.isEmpty() && deletion.maxTime() < sealedThrough) {
                changed = true;
                continue;
            }
            kept.add(pending == deletion.pending() ? deletion
                : new Deletion(deletion.matchers(), deletion.minTime(), deletion.maxTime(), pending));
        }
        return changed ? new Deletions(kept) : this;
    }

    /**
     * The deletions pending in any of {@code blocks}, for a compaction of them: blocks written after a
     * deletion hold none of its samples, so only these can apply. {@link SeriesDeletions#NONE} if none.
     */
    SeriesDeletions pendingIn(final Collection<BlockId> blocks) {
        final List<Deletion> pending = new ArrayList<>();
        for (final Deletion deletion : list) {
            for (final BlockId block : blocks) {
                if (deletion.pending().contains(block)) {
                    pending.add(deletion);
                    break;
                }
            }
        }
        return pending.isEmpty() ? SeriesDeletions.NONE : new Deletions(pending);
    }

    /** The first of {@code blocks} (in their order) that a deletion is pending in, or null. */
    BlockMeta firstPending(final List<BlockMeta> blocks) {
        for (final BlockMeta block : blocks) {
            for (final Deletion deletion : list) {
                if (deletion.pending().contains(block.id())) {
                    return block;
                }
            }
        }
        return null;
    }
}
