package io.tidemark.tiering.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactionPlannerTest {
    private static final long H = 3_600_000;
    private static final CompactionPlanner PLANNER = new CompactionPlanner(2 * H, 12 * H, 72 * H);

    private static int created;

    /** A block holding samples in {@code [from, to)} hours. */
    private static BlockMeta block(final double fromHours, final double toHours) {
        return new BlockMeta(BlockId.generate(1_000 + created++), (long) (fromHours * H), (long) (toHours * H) - 1, 1, 1, 1, 100,
            new long[] {1000});
    }

    private static List<BlockMeta> twoHourBlocks(final int fromHours, final int toHours) {
        final List<BlockMeta> blocks = new ArrayList<>();
        for (int h = fromHours; h < toHours; h += 2) {
            blocks.add(block(h, h + 2));
        }
        return blocks;
    }

    @Test
    void shouldCompactTheSixBlocksOfATwelveHourRangeOnceANewerBlockExists() {
        final List<BlockMeta> blocks = twoHourBlocks(0, 14);
        assertThat(PLANNER.plan(blocks)).containsExactlyElementsOf(blocks.subList(0, 6));
    }

    @Test
    void shouldWaitWhileTheNewestBlockIsInsideTheRange() {
        assertThat(PLANNER.plan(twoHourBlocks(0, 12))).as("the range may still get blocks").isEmpty();
        assertThat(PLANNER.plan(twoHourBlocks(12, 20))).isEmpty();
    }

    @Test
    void shouldCompactARangeWithGapsAndSkipARangeOfOneBlock() {
        final List<BlockMeta> blocks = new ArrayList<>(List.of(block(0, 2), block(12, 14), block(16, 18), block(24, 26)));
        assertThat(PLANNER.plan(blocks)).as("[0, 12h) holds one block: nothing to merge; [12h, 24h) holds two")
            .containsExactly(blocks.get(1), blocks.get(2));
    }

    @Test
    void shouldCompactTwelveHourBlocksIntoThreeDays() {
        final List<BlockMeta> blocks = new ArrayList<>();
        for (int h = 0; h < 72; h += 12) {
            blocks.add(block(h, h + 12));
        }
        blocks.add(block(72, 74));
        assertThat(PLANNER.plan(blocks)).containsExactlyElementsOf(blocks.subList(0, 6));
        assertThat(PLANNER.plan(blocks.subList(0, 6))).as("no newer block: [0, 72h) may still grow").isEmpty();
    }

    @Test
    void shouldPreferTheSmallestLevelAndTheOldestRange() {
        final List<BlockMeta> blocks = new ArrayList<>();
        blocks.add(block(0, 12));
        blocks.add(block(12, 24));
        blocks.addAll(twoHourBlocks(72, 86));
        assertThat(PLANNER.plan(blocks)).as("two-hour blocks into 12 h first").containsExactlyElementsOf(blocks.subList(2, 8));
    }

    @Test
    void shouldCompactOverlappingBlocksFirstWhateverTheirRange() {
        final List<BlockMeta> blocks = new ArrayList<>(twoHourBlocks(0, 14));
        final BlockMeta late = block(3, 5);
        final BlockMeta newest = block(13, 14);
        blocks.add(late);
        blocks.add(newest);
        assertThat(PLANNER.plan(blocks)).as("transitively overlapping: [2,4) [3,5) [4,6)")
            .containsExactly(blocks.get(1), late, blocks.get(2));
        assertThat(new CompactionPlanner(2 * H).plan(blocks)).as("one range: only overlaps").hasSize(3);
        assertThat(new CompactionPlanner(2 * H).plan(twoHourBlocks(0, 40))).isEmpty();
    }

    @Test
    void shouldSkipBlocksThatStraddleTheRange() {
        final List<BlockMeta> blocks = List.of(block(10, 14), block(14, 16), block(16, 18), block(30, 32));
        assertThat(PLANNER.plan(blocks)).containsExactly(blocks.get(1), blocks.get(2));
    }

    @Test
    void shouldRefuseRangesThatAreNotIncreasingMultiples() {
        assertThatThrownBy(() -> new CompactionPlanner(2 * H, 5 * H)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompactionPlanner(2 * H, 2 * H)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompactionPlanner()).isInstanceOf(IllegalArgumentException.class);
        assertThat(new CompactionPlanner(2 * H).plan(List.of(block(0, 2)))).isEmpty();
    }
}
