package io.tidemark.index.postings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostingsListLayoutTest {

    private static void assertSegmentHolds(final int index) {
        final int segment = PostingsListLayout.segmentOf(index);
        final int start = PostingsListLayout.segmentStart(segment);
        assertThat(start).as("start of segment %d holding index %d", segment, index).isLessThanOrEqualTo(index);
        assertThat((long) start + PostingsListLayout.segmentCapacity(segment)).as("end of segment %d", segment)
            .isGreaterThan(index);
        assertThat(PostingsMemory.blockBytes(PostingsListLayout.sizeClass(segment)))
            .isEqualTo(PostingsListLayout.segmentCapacity(segment) * PostingsListLayout.ID_BYTES);
    }

    @Test
    void shouldMapEveryIndexToTheSegmentThatHoldsIt() {
        for (int index = 0; index < 300_000; index++) {
            assertSegmentHolds(index);
            if (index > 0) {
                final int segment = PostingsListLayout.segmentOf(index);
                final int previous = PostingsListLayout.segmentOf(index - 1);
                assertThat(segment - previous).as("segments are contiguous at index %d", index).isBetween(0, 1);
            }
        }
        for (int index = Integer.MAX_VALUE - 70_000; index < Integer.MAX_VALUE; index++) {
            assertSegmentHolds(index);
        }
    }

    @Test
    void shouldDoubleSegmentsUpToOnePageAndThenStayAtOnePage() {
        assertThat(PostingsListLayout.segmentCapacity(0)).isEqualTo(4);
        assertThat(PostingsListLayout.segmentCapacity(1)).isEqualTo(4);
        assertThat(PostingsListLayout.segmentCapacity(2)).isEqualTo(8);
        assertThat(PostingsListLayout.segmentCapacity(13)).isEqualTo(16_384);
        assertThat(PostingsListLayout.segmentCapacity(14)).isEqualTo(16_384);
        assertThat(PostingsListLayout.sizeClass(14)).isEqualTo(PostingsMemory.SIZE_CLASSES - 1);
        assertThat(PostingsListLayout.segmentCount(0)).isZero();
        assertThat(PostingsListLayout.segmentCount(10)).isEqualTo(3);
        assertThat(PostingsListLayout.segmentCount(100_000)).isEqualTo(19);
    }
}
