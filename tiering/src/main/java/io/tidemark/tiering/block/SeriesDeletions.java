package io.tidemark.tiering.block;

/**
 * Time ranges deleted from series (tombstones) that a {@link BlockCompactor} drops while it writes:
 * the samples of a series inside its deleted ranges are not copied into the new block.
 */
@FunctionalInterface
public interface SeriesDeletions {
    /** Nothing deleted. */
    SeriesDeletions NONE = labels -> null;

    /**
     * The deleted ranges of the series with these labels (names and values alternating, sorted by
     * name) in the form {@link DeletedRanges} describes, or null when nothing of it is deleted.
     */
    long[] deleted(String[] labels);
}
