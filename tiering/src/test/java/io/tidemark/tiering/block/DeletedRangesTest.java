package io.tidemark.tiering.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DeletedRangesTest {
    @Test
    void shouldSortAndMergeOverlappingAndTouchingRanges() {
        assertThat(DeletedRanges.merge(new long[] {10, 20, 0, 5, 6, 8, 19, 30, 40, 40}, 5)).containsExactly(0, 8, 10, 30, 40, 40);
        assertThat(DeletedRanges.merge(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 5, 6}, 2))
            .containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(DeletedRanges.merge(new long[0], 0)).isEmpty();
        assertThatThrownBy(() -> DeletedRanges.merge(new long[] {5, 4}, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRemoveExactlyTheSamplesInsideAnyRange() {
        final Random random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            final int n = random.nextInt(50);
            final long[] times = new long[n];
            final double[] values = new double[n];
            long t = random.nextInt(10) - 5;
            for (int i = 0; i < n; i++) {
                t += 1 + random.nextInt(4);
                times[i] = t;
                values[i] = i;
            }
            final int count = random.nextInt(4);
            final long[] raw = new long[2 * count];
            for (int r = 0; r < count; r++) {
                raw[2 * r] = random.nextInt(120) - 10;
                raw[2 * r + 1] = raw[2 * r] + random.nextInt(20);
            }
            final long[] ranges = DeletedRanges.merge(raw, count);
            final long[] expectedTimes = new long[n];
            final double[] expectedValues = new double[n];
            int expected = 0;
            for (int i = 0; i < n; i++) {
                boolean deleted = false;
                for (int r = 0; r < count; r++) {
                    deleted |= times[i] >= raw[2 * r] && times[i] <= raw[2 * r + 1];
                }
                if (!deleted) {
                    expectedTimes[expected] = times[i];
                    expectedValues[expected++] = values[i];
                }
            }
            final int kept = DeletedRanges.remove(ranges, times, values, n);
            assertThat(kept).isEqualTo(expected);
            for (int i = 0; i < kept; i++) {
                assertThat(times[i]).isEqualTo(expectedTimes[i]);
                assertThat(values[i]).isEqualTo(expectedValues[i]);
            }
            if (n > 0) {
                assertThat(DeletedRanges.overlaps(ranges, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(count > 0);
            }
        }
    }
}
