package io.tidemark.index.postings;

/**
 * Where the ids of a {@link PostingsList} live: a list is a chain of segments that are never moved
 * once written, each one off-heap block from {@link PostingsMemory}. Segments double in capacity
 * up to one 64 KiB page and then stay at that size:
 *
 * <pre>
 *  segment    0     1     2      3       4             13          14          15
 *           +----++----++------++------++----....   +--------+  +--------+  +--------+
 *  ids      | 4  || 4  ||  8   ||  16  || 32 ...    | 16384  |  | 16384  |  | 16384  | ...
 *           +----++----++------++------++----....   +--------+  +--------+  +--------+
 *  first id   0     4     8      16      32           16384       32768       49152
 *  block      16 B  16 B  32 B   64 B    128 B        64 KiB      64 KiB      64 KiB
 * </pre>
 *
 * <p>So a list of n ids has at most about {@code 2n} ids of capacity while small and
 * {@code n + 16384} once large; the segment holding index {@code i} is found with one
 * {@link Integer#numberOfLeadingZeros(int)}. Ids are 4-byte ints in native byte order: this memory
 * is never persisted.
 */
final class PostingsListLayout {
    /** Bytes per id. */
    static final int ID_BYTES = Integer.BYTES;
    /** Capacity in ids of segments 0 and 1. */
    static final int FIRST_SEGMENT_IDS = 4;
    /** The first segment whose capacity no longer doubles. */
    static final int FIRST_FULL_PAGE_SEGMENT = 13;
    /** Capacity in ids of segment 13 and every later one: one 64 KiB page. */
    static final int FULL_PAGE_IDS = PostingsMemory.PAGE_SIZE / ID_BYTES;
    private static final int FULL_PAGE_SHIFT = Integer.numberOfTrailingZeros(FULL_PAGE_IDS);
    /** The first index stored in full-page segments past the doubling ones (segment 14). */
    private static final int FIXED_REGION_START = 2 * FULL_PAGE_IDS;

    private PostingsListLayout() {
    }

    /** The segment that holds index {@code index} ({@code >= 0}). */
    static int segmentOf(final int index) {
        if (index < FIRST_SEGMENT_IDS) {
            return 0;
        }
        if (index < FIXED_REGION_START) {
            return 30 - Integer.numberOfLeadingZeros(index);
        }
        return (index >>> FULL_PAGE_SHIFT) + FIRST_FULL_PAGE_SEGMENT - 1;
    }

    /** The index of the first id in {@code segment}. */
    static int segmentStart(final int segment) {
        if (segment == 0) {
            return 0;
        }
        if (segment <= FIRST_FULL_PAGE_SEGMENT) {
            return 1 << (segment + 1);
        }
        return (segment - FIRST_FULL_PAGE_SEGMENT + 1) << FULL_PAGE_SHIFT;
    }

    /** The capacity of {@code segment} in ids. */
    static int segmentCapacity(final int segment) {
        if (segment == 0) {
            return FIRST_SEGMENT_IDS;
        }
        if (segment <= FIRST_FULL_PAGE_SEGMENT) {
            return 1 << (segment + 1);
        }
        return FULL_PAGE_IDS;
    }

    /** The {@link PostingsMemory} size class of the block that backs {@code segment}. */
    static int sizeClass(final int segment) {
        if (segment == 0) {
            return 0;
        }
        return Math.min(segment, FIRST_FULL_PAGE_SEGMENT) - 1;
    }

    /** How many segments a list of {@code length} ids has. */
    static int segmentCount(final int length) {
        return length == 0 ? 0 : segmentOf(length - 1) + 1;
    }
}
