package io.tidemark.index.postings;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures bytes per id and per list, off-heap (blocks held, and pages taken under INDEX) and on the
 * heap (a rough figure from the used heap after GC). The many-small-lists case always runs and
 * bounds the off-heap figure; the large case (about 460 MB off-heap) runs with
 * -Dtidemark.footprint.large=true.
 */
class PostingsFootprintTest {

    private static long usedHeap() {
        final Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static double[] measure(final int lists, final int idsPerList, final int maxPages) {
        final NativeAllocator allocator = NativeAllocator.withLimit(2L << 30);
        final double[] bytesPerId = new double[3];
        try (PostingsMemory memory = new PostingsMemory(allocator, 64, maxPages)) {
            final PostingsList[] all = new PostingsList[lists];
            final long heapBefore = usedHeap();
            for (int list = 0; list < lists; list++) {
                all[list] = new PostingsList(memory);
            }
            for (int id = 0; id < idsPerList; id++) {
                for (int list = 0; list < lists; list++) {
                    all[list].append(id * 7 + list % 7);
                }
            }
            final long heap = Math.max(0, usedHeap() - heapBefore - 16L - 4L * lists); // less the array that holds the lists
            final long ids = (long) lists * idsPerList;
            final long blocks = memory.blockBytesInUse();
            final long reserved = allocator.bytesInUse(MemoryTag.INDEX);
            System.out.printf("PostingsFootprintTest lists=%d idsPerList=%d offHeapBlockBytesPerId=%.2f"
                    + " offHeapReservedBytesPerId=%.2f heapBytesPerList=%.1f totalBytesPerId=%.2f totalBytesPerList=%.1f%n",
                lists, idsPerList, (double) blocks / ids, (double) reserved / ids, (double) heap / lists,
                (double) (reserved + heap) / ids, (double) (reserved + heap) / lists);
            bytesPerId[0] = (double) blocks / ids;
            bytesPerId[1] = (double) reserved / ids;
            bytesPerId[2] = (double) heap / lists;
            for (final PostingsList list : all) {
                list.close();
            }
        }
        allocator.assertNoLeaks();
        return bytesPerId;
    }

    @Test
    void shouldKeepAMillionListsOfTenIdsUnderElevenBytesPerId() {
        final double[] measured = measure(1_000_000, 10, 2_048);
        assertThat(measured[0]).as("off-heap block bytes per id").isEqualTo(6.4);
        assertThat(measured[1]).as("off-heap reserved bytes per id, 4 MiB slabs").isLessThan(7.0);
    }

    @Test
    @EnabledIfSystemProperty(named = "tidemark.footprint.large", matches = "true")
    void shouldKeepAThousandListsOfAHundredThousandIdsUnderFiveBytesPerId() {
        final double[] measured = measure(1_000, 100_000, 8_192);
        assertThat(measured[1]).as("off-heap reserved bytes per id").isLessThan(5.0);
    }
}
