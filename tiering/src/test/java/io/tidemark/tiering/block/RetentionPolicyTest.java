package io.tidemark.tiering.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    private static final long H = 3_600_000;

    /** A block of [from, to) hours whose files take {@code chunkBytes} plus 100 index bytes and its meta. */
    private static BlockMeta block(final long fromHours, final long toHours, final long chunkBytes) {
        return new BlockMeta(BlockId.generate(fromHours), fromHours * H, toHours * H - 1, 1, 1, 1, 100, new long[] {chunkBytes});
    }

    private static List<BlockMeta> blocks() {
        final List<BlockMeta> blocks = new ArrayList<>();
        for (long h = 0; h < 20; h += 2) {
            blocks.add(block(h, h + 2, 1000 + h));
        }
        return blocks;
    }

    @Test
    void shouldDeleteBlocksWhoseMaxTimeIsOlderThanTheNewestBlockLessTheRetention() {
        final List<BlockMeta> blocks = blocks();
        // newest max time 20h - 1; retention 6 h: max times before 14h - 1 go, 14h - 1 itself stays
        assertThat(new RetentionPolicy(6 * H, 0).expired(blocks)).containsExactlyInAnyOrderElementsOf(blocks.subList(0, 6));
        assertThat(new RetentionPolicy(100 * H, 0).expired(blocks)).isEmpty();
    }

    @Test
    void shouldDeleteTheOldestBlocksUntilTheRestFitTheSizeLimit() {
        final List<BlockMeta> blocks = blocks();
        final long newestThree = blocks.subList(7, 10).stream().mapToLong(BlockMeta::bytesOnDisk).sum();
        assertThat(blocks.getFirst().bytesOnDisk()).as("meta 76 + 8 + 4, index, chunks").isEqualTo(88 + 100 + 1000);
        assertThat(new RetentionPolicy(0, newestThree).expired(blocks)).containsExactlyInAnyOrderElementsOf(blocks.subList(0, 7));
        assertThat(new RetentionPolicy(0, newestThree - 1).expired(blocks)).hasSize(8);
        assertThat(new RetentionPolicy(0, 1).expired(blocks)).as("even the newest").hasSize(10);
        assertThat(new RetentionPolicy(0, 1 << 20).expired(blocks)).isEmpty();
    }

    @Test
    void shouldApplyWhicheverLimitDeletesMore() {
        final List<BlockMeta> blocks = blocks();
        assertThat(new RetentionPolicy(2 * H, 1 << 20).expired(blocks)).hasSize(8);
        assertThat(new RetentionPolicy(0, 0).expired(blocks)).isEmpty();
        assertThat(new RetentionPolicy(0, 0).enabled()).isFalse();
        assertThatThrownBy(() -> new RetentionPolicy(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
