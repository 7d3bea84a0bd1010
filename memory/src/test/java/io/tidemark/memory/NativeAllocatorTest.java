package io.tidemark.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {

    @Test
    void shouldCountBytesPerTagAndReturnThemOnClose() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1 << 20);
        final Allocation a = allocator.allocate(MemoryTag.INDEX, 1000);
        final Allocation b = allocator.allocate(MemoryTag.WAL, 24);
        assertThat(allocator.bytesInUse(MemoryTag.INDEX)).isEqualTo(1000);
        assertThat(allocator.bytesInUse(MemoryTag.WAL)).isEqualTo(24);
        assertThat(allocator.totalBytesInUse()).isEqualTo(1024);
        a.close();
        b.close();
        assertThat(allocator.totalBytesInUse()).isZero();
        assertThat(allocator.bytesInUseByTag()).isEmpty();
        allocator.assertNoLeaks();
    }

    @Test
    void shouldRefuseAllocationPastTotalLimitAndStayUsable() {
        final NativeAllocator allocator = NativeAllocator.withLimit(4096);
        try (Allocation held = allocator.allocate(MemoryTag.HEAD_CHUNKS, 4000)) {
            assertThatThrownBy(() -> allocator.allocate(MemoryTag.INDEX, 100))
                .isInstanceOf(NativeMemoryLimitException.class)
                .hasMessageContaining("tag=INDEX")
                .hasMessageContaining("totalLimit=4096");
            assertThat(allocator.bytesInUse(MemoryTag.INDEX)).isZero();
            assertThat(held.segment().byteSize()).isEqualTo(4000);
        }
        allocator.allocate(MemoryTag.INDEX, 4096).close();
        allocator.assertNoLeaks();
    }

    @Test
    void shouldRefuseAllocationPastTagLimit() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1 << 20);
        allocator.setLimit(MemoryTag.WAL, 100);
        assertThatThrownBy(() -> allocator.allocate(MemoryTag.WAL, 101))
            .isInstanceOf(NativeMemoryLimitException.class)
            .hasMessageContaining("tagLimit=100");
        allocator.allocate(MemoryTag.INDEX, 101).close();
        assertThat(allocator.totalBytesInUse()).isZero();
    }

    @Test
    void shouldReportLeaksWithTheirAllocationSite() {
        final NativeAllocator allocator = NativeAllocator.recordingAllocationSites(1 << 20);
        final Allocation leaked = allocator.allocate(MemoryTag.BLOCKS, 64);
        assertThatThrownBy(allocator::assertNoLeaks)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("BLOCKS=64")
            .satisfies(t -> assertThat(t.getSuppressed()).hasSize(1));
        leaked.close();
        allocator.assertNoLeaks();
    }

    @Test
    void shouldMakeFreedMemoryUnreachableAndRefuseDoubleFree() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1 << 20);
        final Allocation allocation = allocator.allocate(MemoryTag.TEST, 64);
        allocation.segment().set(ValueLayout.JAVA_LONG, 0, 42);
        allocation.close();
        assertThatThrownBy(() -> allocation.segment().get(ValueLayout.JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(allocation::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("already freed");
        assertThat(allocator.totalBytesInUse()).isZero();
    }

    @Test
    void shouldRejectNonsenseSizes() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1 << 20);
        assertThatThrownBy(() -> allocator.allocate(MemoryTag.TEST, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> allocator.allocate(MemoryTag.TEST, 8, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NativeAllocator.withLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
