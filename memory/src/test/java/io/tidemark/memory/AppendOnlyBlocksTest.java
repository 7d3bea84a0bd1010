package io.tidemark.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AppendOnlyBlocksTest {
    private static final long BLOCK = 4096;

    @Test
    void shouldPrepareTheFirstBlockOfAnArenaThatWantsIt() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1 << 20);
        try (AppendOnlyBlocks blocks = new AppendOnlyBlocks(allocator, MemoryTag.INDEX, BLOCK).wantFirstBlock()) {
            assertThat(blocks.prepareAhead()).isTrue();
            assertThat(allocator.bytesInUse(MemoryTag.INDEX)).isEqualTo(BLOCK);
            final long location = blocks.reserve(16);
            assertThat(allocator.bytesInUse(MemoryTag.INDEX)).as("the first reserve took the block made ahead").isEqualTo(BLOCK);
            assertThat(location).isZero();
            assertThat(blocks.wantFirstBlock().prepareAhead()).as("not a fresh arena any more").isFalse();
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldPrepareTheNextBlockOnceTheCurrentOneIsHalfUsedAndHandItToTheWriter() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1 << 20);
        try (AppendOnlyBlocks blocks = new AppendOnlyBlocks(allocator, MemoryTag.TEST, BLOCK)) {
            assertThat(blocks.prepareAhead()).as("nothing written yet").isFalse();
            blocks.reserve(BLOCK / 2);
            assertThat(blocks.prepareAhead()).as("exactly half used").isFalse();
            blocks.reserve(8);
            assertThat(allocator.bytesInUse(MemoryTag.TEST)).isEqualTo(BLOCK);
            assertThat(blocks.prepareAhead()).as("more than half used").isTrue();
            assertThat(blocks.prepareAhead()).as("a spare is ready already").isFalse();
            assertThat(allocator.bytesInUse(MemoryTag.TEST)).isEqualTo(2 * BLOCK);
            assertThat(blocks.nativeBytes()).as("the spare counts").isEqualTo(2 * BLOCK);

            final long location = blocks.reserve(BLOCK / 2);
            assertThat(location >>> 32).as("a new block").isEqualTo(1);
            assertThat(allocator.bytesInUse(MemoryTag.TEST)).as("the new block is the spare").isEqualTo(2 * BLOCK);
            assertThat(blocks.nativeBytes()).isEqualTo(2 * BLOCK);
            blocks.block(location).set(java.lang.foreign.ValueLayout.JAVA_LONG, AppendOnlyBlocks.offset(location), 42L);
            assertThat(blocks.prepareAhead()).as("the new block is only half used").isFalse();
            blocks.reserve(8);
            assertThat(blocks.prepareAhead()).isTrue();
            assertThat(allocator.bytesInUse(MemoryTag.TEST)).isEqualTo(3 * BLOCK);
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldFreeTheSpareOnCloseAndPrepareNothingAfter() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1 << 20);
        final AppendOnlyBlocks blocks = new AppendOnlyBlocks(allocator, MemoryTag.TEST, BLOCK);
        blocks.reserve(BLOCK - 8);
        assertThat(blocks.prepareAhead()).isTrue();
        blocks.close();
        assertThat(blocks.prepareAhead()).isFalse();
        allocator.assertNoLeaks();
    }

    @Test
    void shouldGiveDistinctLocationsAndLeakNothingWhileAHelperPreparesBlocks() throws Exception {
        final NativeAllocator allocator = NativeAllocator.withLimit(64L << 20);
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicLong prepared = new AtomicLong();
        final Set<Long> seen = new HashSet<>();
        final AppendOnlyBlocks blocks = new AppendOnlyBlocks(allocator, MemoryTag.TEST, BLOCK);
        final Thread helper = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                if (blocks.prepareAhead()) {
                    prepared.incrementAndGet();
                }
            }
        });
        for (int i = 0; i < 200_000; i++) {
            final long location = blocks.reserve(56);
            assertThat(seen.add(location)).as("location %x handed out twice", location).isTrue();
            blocks.block(location).set(java.lang.foreign.ValueLayout.JAVA_LONG, AppendOnlyBlocks.offset(location), i);
        }
        done.set(true);
        helper.join();
        final long blocksUsed = 200_000L * 56 / (BLOCK / 56 * 56) + 1;
        System.out.println("AppendOnlyBlocksTest blocks=" + blocksUsed + " preparedByHelper=" + prepared.get());
        assertThat(blocks.usedBytes()).isGreaterThanOrEqualTo(200_000L * 56);
        blocks.close();
        allocator.assertNoLeaks();
    }
}
