package io.tidemark.tiering.block;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses which blocks to compact next, the way Prometheus' leveled compactor does
 * ({@code tsdb/compact.go}): first any set of blocks that overlap in time; then, for each range
 * after the first (2 h → 12 h → 3 d by default, each a multiple of the one before), the blocks that
 * fit within one aligned range {@code [k * range, (k + 1) * range)}, once that range ends at or
 * before the newest block's min time, so that sealing can add no more blocks to it. Only groups of
 * two or more blocks are compacted. Immutable: any thread.
 */
public final class CompactionPlanner {
    private static final Comparator<BlockMeta> BY_TIME = Comparator.comparingLong(BlockMeta::minTime).thenComparing(BlockMeta::id);

    private final long[] ranges;

    /**
     * A planner over {@code ranges} in ms: {@code ranges[0]} is the block range sealing uses, each next
     * one a multiple of the one before. With a single range only overlapping blocks are compacted.
     */
    public CompactionPlanner(final long... ranges) {
        if (ranges.length == 0) {
            throw new IllegalArgumentException("at least the block range is needed");
        }
        for (int i = 0; i < ranges.length; i++) {
            if (ranges[i] < 1 || i > 0 && (ranges[i] <= ranges[i - 1] || ranges[i] % ranges[i - 1] != 0)) {
                throw new IllegalArgumentException("each range must be a larger multiple of the one before: ranges="
                    + Arrays.toString(ranges));
            }
        }
        this.ranges = ranges.clone();
    }

    /**
     * The blocks to merge next, ordered by min time then id (the order in which a merge keeps the
     * first of duplicate samples, and in which readers list blocks), or an empty list when nothing is due.
     */
    public List<BlockMeta> plan(final List<BlockMeta> blocks) {
        if (blocks.size() < 2) {
            return List.of();
        }
        final List<BlockMeta> sorted = new ArrayList<>(blocks);
        sorted.sort(BY_TIME);
        final List<BlockMeta> overlapping = firstOverlappingGroup(sorted);
        if (!overlapping.isEmpty()) {
            return overlapping;
        }
        final long highTime = sorted.getLast().minTime();
        for (int level = 1; level < ranges.length; level++) {
            final List<BlockMeta> group = firstCompleteRange(sorted, ranges[level], highTime);
            if (!group.isEmpty()) {
                return group;
            }
        }
        return List.of();
    }

    /** The first set of blocks (sorted by min time) that overlap one another transitively, or empty. */
    private static List<BlockMeta> firstOverlappingGroup(final List<BlockMeta> sorted) {
        int start = 0;
        long groupMax = sorted.getFirst().maxTime();
        for (int i = 1; i < sorted.size(); i++) {
            final BlockMeta block = sorted.get(i);
            if (block.minTime() <= groupMax) {
                groupMax = Math.max(groupMax, block.maxTime());
                continue;
            }
            if (i - start > 1) {
                return List.copyOf(sorted.subList(start, i));
            }
            start = i;
            groupMax = block.maxTime();
        }
        return sorted.size() - start > 1 ? List.copyOf(sorted.subList(start, sorted.size())) : List.of();
    }

    /**
     * The blocks of the first aligned range of {@code range} ms that holds two or more blocks lying
     * wholly inside it and ends at or before {@code highTime}, or empty.
     */
    private static List<BlockMeta> firstCompleteRange(final List<BlockMeta> sorted, final long range, final long highTime) {
        final List<BlockMeta> group = new ArrayList<>();
        long groupRange = Long.MIN_VALUE;
        for (final BlockMeta block : sorted) {
            final long k = Math.floorDiv(block.minTime(), range);
            if (k != Math.floorDiv(block.maxTime(), range)) {
                continue; // larger than this range or straddling it: not part of any group at this level
            }
            if (k != groupRange) {
                if (due(group, groupRange, range, highTime)) {
                    return List.copyOf(group);
                }
                group.clear();
                groupRange = k;
            }
            group.add(block);
        }
        return due(group, groupRange, range, highTime) ? List.copyOf(group) : List.of();
    }

    private static boolean due(final List<BlockMeta> group, final long k, final long range, final long highTime) {
        if (group.size() < 2) {
            return false;
        }
        final long end = k >= Long.MAX_VALUE / range - 1 ? Long.MAX_VALUE : (k + 1) * range;
        return end <= highTime;
    }
}
