package io.tidemark.engine.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.memory.ReaderEpochs;
import org.junit.jupiter.api.Test;

class ClosedChunksGrowAheadTest {
    private static final long BLOCK = 1 << 16;

    @Test
    void shouldPrepareTheNextBlockOfTheArenaInUseAndTheFirstOfTheNextWindowsButNoneForARetiredOne() {
        final NativeAllocator allocator = NativeAllocator.withLimit(64L << 20);
        final ReaderEpochs epochs = new ReaderEpochs();
        try (ClosedChunks closed = new ClosedChunks(allocator, BLOCK)) {
            closed.reserve(1_000, (int) (BLOCK / 2));
            assertThat(allocator.bytesInUse(MemoryTag.HEAD_CHUNKS)).as("the first window's block, made by the writer").isEqualTo(BLOCK);
            assertThat(closed.growAhead()).as("the next window's first block").isEqualTo(1);
            assertThat(closed.growAhead()).as("half of the first block, and the next window's is ready").isZero();
            closed.reserve(1_000, 64);
            assertThat(closed.growAhead()).isEqualTo(1);
            assertThat(allocator.bytesInUse(MemoryTag.HEAD_CHUNKS)).isEqualTo(3 * BLOCK);
            assertThat(closed.nativeBytes()).isEqualTo(3 * BLOCK);
            final long ref = closed.reserve(1_000, (int) (BLOCK / 2));
            assertThat(allocator.bytesInUse(MemoryTag.HEAD_CHUNKS)).as("the writer took the block made ahead").isEqualTo(3 * BLOCK);
            closed.block(ref).set(java.lang.foreign.ValueLayout.JAVA_LONG, ClosedChunks.offset(ref), 7L);

            closed.reserve(2_000, (int) (BLOCK - 8)); // a second window's arena, more than half used
            assertThat(allocator.bytesInUse(MemoryTag.HEAD_CHUNKS)).as("the new window took the arena made ahead")
                .isEqualTo(3 * BLOCK);
            closed.retireThrough(2_000, epochs);
            assertThat(closed.growAhead()).as("the arena reserved in last is retired: no spare for it, only the next window's")
                .isEqualTo(1);
            assertThat(closed.growAhead()).isZero();
            assertThat(allocator.bytesInUse(MemoryTag.HEAD_CHUNKS)).isEqualTo(4 * BLOCK);
            closed.freeRetired(epochs);
            closed.freeRetired(epochs);
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldFreeTheNextWindowsArenaOnCloseAndMakeNoneAfter() {
        final NativeAllocator allocator = NativeAllocator.withLimit(64L << 20);
        final ClosedChunks closed = new ClosedChunks(allocator, BLOCK);
        assertThat(closed.growAhead()).isEqualTo(1);
        assertThat(allocator.bytesInUse(MemoryTag.HEAD_CHUNKS)).isEqualTo(BLOCK);
        closed.close();
        assertThat(closed.growAhead()).as("closed: nothing made ahead any more").isZero();
        allocator.assertNoLeaks();
    }
}
