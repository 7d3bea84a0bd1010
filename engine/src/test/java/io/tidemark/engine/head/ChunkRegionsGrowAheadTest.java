package io.tidemark.engine.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.memory.ReaderEpochs;
import org.junit.jupiter.api.Test;

class ChunkRegionsGrowAheadTest {
    private static final int REGIONS_PER_PAGE = ChunkRegions.PAGE_BYTES / ChunkRegions.MIN_REGION_BYTES;
    private static final long SLAB = (long) ChunkRegions.PAGES_PER_SLAB * ChunkRegions.PAGE_BYTES;

    @Test
    void shouldKeepNoReserveForAHeadOfAFewPages() {
        final NativeAllocator allocator = NativeAllocator.withLimit(64L << 20);
        try (ChunkRegions regions = new ChunkRegions(allocator, 64, 1024, new ReaderEpochs())) {
            for (int i = 0; i < 7 * REGIONS_PER_PAGE; i++) {
                regions.allocate(0);
            }
            assertThat(regions.growAhead()).as("7 pages in use: a reserve of 7/8 page is none").isFalse();
            assertThat(allocator.bytesInUse(MemoryTag.HEAD_CHUNKS)).isEqualTo(SLAB);
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldTakeASlabBeforeTheWriterRunsOutAndNotAgainWhileTheReserveLasts() {
        final NativeAllocator allocator = NativeAllocator.withLimit(64L << 20);
        try (ChunkRegions regions = new ChunkRegions(allocator, 64, 1024, new ReaderEpochs())) {
            for (int i = 0; i < ChunkRegions.PAGES_PER_SLAB * REGIONS_PER_PAGE; i++) {
                regions.allocate(0);
            }
            assertThat(allocator.bytesInUse(MemoryTag.HEAD_CHUNKS)).as("the first slab, full").isEqualTo(SLAB);
            assertThat(regions.growAhead()).isTrue();
            assertThat(allocator.bytesInUse(MemoryTag.HEAD_CHUNKS)).isEqualTo(2 * SLAB);
            assertThat(regions.growAhead()).as("16 free pages cover a reserve of 2").isFalse();
            // The writer fills 14 of the 16 pages taken ahead without taking memory itself.
            for (int i = 0; i < 14 * REGIONS_PER_PAGE; i++) {
                regions.allocate(0);
            }
            assertThat(allocator.bytesInUse(MemoryTag.HEAD_CHUNKS)).isEqualTo(2 * SLAB);
            assertThat(regions.growAhead()).as("30 pages in use, 2 free: below a reserve of 3").isTrue();
            assertThat(allocator.bytesInUse(MemoryTag.HEAD_CHUNKS)).isEqualTo(3 * SLAB);
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldKeepAtMostOneSlabInReserve() {
        final NativeAllocator allocator = NativeAllocator.withLimit(256L << 20);
        try (ChunkRegions regions = new ChunkRegions(allocator, 64, 4096, new ReaderEpochs())) {
            for (int i = 0; i < 12 * ChunkRegions.PAGES_PER_SLAB * REGIONS_PER_PAGE; i++) {
                regions.allocate(0);
            }
            assertThat(regions.growAhead()).isTrue();
            assertThat(regions.growAhead()).as("192 pages in use want a reserve of 24, capped at one slab").isFalse();
            assertThat(allocator.bytesInUse(MemoryTag.HEAD_CHUNKS)).isEqualTo(13 * SLAB);
        }
        allocator.assertNoLeaks();
    }
}
