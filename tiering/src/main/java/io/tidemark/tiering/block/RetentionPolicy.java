package io.tidemark.tiering.block;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which blocks retention deletes, whole, as Prometheus does ({@code tsdb/db.go}): by age, every
 * block whose max time is more than {@code maxAgeMillis} before the newest block's max time; by
 * size, the oldest blocks (by max time) until the rest fit in {@code maxBytes}
 * ({@link BlockMeta#bytesOnDisk()}). A limit of 0 is off. Immutable: any thread.
 *
 * @param maxAgeMillis how far behind the newest block's max time a block's max time may be
 * @param maxBytes     the most bytes a tenant's blocks may take together
 */
public record RetentionPolicy(long maxAgeMillis, long maxBytes) {
    private static final Comparator<BlockMeta> NEWEST_FIRST = Comparator.comparingLong(BlockMeta::maxTime).reversed()
        .thenComparing(BlockMeta::minTime, Comparator.reverseOrder()).thenComparing(BlockMeta::id, Comparator.reverseOrder());

    /** Validates the limits. */
    public RetentionPolicy {
        if (maxAgeMillis < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("retention limits must not be negative: maxAgeMillis=" + maxAgeMillis
                + " maxBytes=" + maxBytes);
        }
    }

    /** Whether either limit is on. */
    public boolean enabled() {
        return maxAgeMillis > 0 || maxBytes > 0;
    }

    /** The blocks to delete, newest first; empty when everything is within both limits. */
    public List<BlockMeta> expired(final List<BlockMeta> blocks) {
        if (!enabled() || blocks.isEmpty()) {
            return List.of();
        }
        final List<BlockMeta> sorted = new ArrayList<>(blocks);
        sorted.sort(NEWEST_FIRST);
        final long newest = sorted.getFirst().maxTime();
        final List<BlockMeta> expired = new ArrayList<>();
        long bytes = 0;
        for (final BlockMeta block : sorted) {
            bytes += block.bytesOnDisk();
            final boolean tooOld = maxAgeMillis > 0 && newest - block.maxTime() > maxAgeMillis;
            final boolean tooBig = maxBytes > 0 && bytes > maxBytes;
            if (tooOld || tooBig) { // newest first: once a block is out, every older one is too
                expired.add(block);
            }
        }
        return List.copyOf(expired);
    }
}
