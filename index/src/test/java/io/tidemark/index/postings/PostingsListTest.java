package io.tidemark.index.postings;

import static io.tidemark.index.postings.PostingsIterator.NO_MORE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostingsListTest {

    private static int idOf(final int index) {
        return 3 * index + 1;
    }

    private static PostingsList filled(final PostingsMemory memory, final int length) {
        final PostingsList list = new PostingsList(memory);
        for (int i = 0; i < length; i++) {
            list.append(idOf(i));
        }
        return list;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 4, 5, 8, 9, 16, 17, 16_384, 16_385, 32_767, 32_768, 32_769, 49_152, 100_000})
    void shouldIterateEveryAppendedIdAcrossSegmentBoundaries(final int length) {
        final NativeAllocator allocator = NativeAllocator.recordingAllocationSites(1L << 30);
        try (PostingsMemory memory = new PostingsMemory(allocator, 4, 64)) {
            final PostingsList list = filled(memory, length);
            final PostingsListIterator iterator = list.iterator();
            assertThat(iterator.limit()).isEqualTo(length);
            for (int i = 0; i < length; i++) {
                assertThat(iterator.next()).isEqualTo(idOf(i));
            }
            assertThat(iterator.next()).isEqualTo(NO_MORE);
            assertThat(iterator.current()).isEqualTo(NO_MORE);
            list.close();
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldSeekToEverySegmentBoundaryFromTheStartAndFromTheCurrentPosition() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (PostingsMemory memory = new PostingsMemory(allocator, 4, 64)) {
            final int length = 80_000;
            final PostingsList list = filled(memory, length);
            final PostingsListIterator iterator = new PostingsListIterator();
            int moving = -1;
            iterator.reset(list);
            final PostingsListIterator forward = list.iterator();
            for (int segment = 0; PostingsListLayout.segmentStart(segment) < length; segment++) {
                final int start = PostingsListLayout.segmentStart(segment);
                for (final int index : new int[] {start - 1, start, start + 1}) {
                    if (index < 0 || index >= length) {
                        continue;
                    }
                    assertThat(iterator.reset(list).seek(idOf(index))).as("exact seek to index %d", index).isEqualTo(idOf(index));
                    assertThat(iterator.reset(list).seek(idOf(index) - 1)).as("seek between ids to index %d", index)
                        .isEqualTo(idOf(index));
                    if (index > moving) {
                        assertThat(forward.seek(idOf(index) - 2)).isEqualTo(idOf(index));
                        moving = index;
                    }
                }
            }
            assertThat(forward.seek(idOf(length - 1) + 1)).isEqualTo(NO_MORE);
            assertThat(iterator.reset(list).seek(0)).isEqualTo(1);
            assertThat(iterator.seek(idOf(length - 1))).isEqualTo(idOf(length - 1));
            assertThat(iterator.next()).isEqualTo(NO_MORE);
            list.close();
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldSeeOnlyTheIdsPublishedWhenTheIteratorWasReset() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (PostingsMemory memory = new PostingsMemory(allocator, 1, 16);
             PostingsList list = filled(memory, 4)) {
            final PostingsListIterator iterator = list.iterator();
            list.append(1_000);
            assertThat(Postings.toArray(iterator)).containsExactly(1, 4, 7, 10);
            assertThat(Postings.toArray(iterator.reset(list))).containsExactly(1, 4, 7, 10, 1_000);
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldAccountBlocksUnderIndexAndFreeThemOnClose() {
        final NativeAllocator allocator = NativeAllocator.recordingAllocationSites(1L << 30);
        final PostingsMemory memory = new PostingsMemory(allocator, 2, 64);
        final PostingsList empty = new PostingsList(memory);
        assertThat(empty.blockBytes()).isZero();
        assertThat(allocator.bytesInUse(MemoryTag.INDEX)).isZero();
        final PostingsList small = filled(memory, 10);
        final PostingsList large = filled(memory, 40_000);
        assertThat(small.blockBytes()).isEqualTo(16 + 16 + 32);
        assertThat(large.blockBytes()).isEqualTo(4L * (32_768 + 16_384));
        assertThat(memory.blockBytesInUse()).isEqualTo(small.blockBytes() + large.blockBytes());
        assertThat(allocator.bytesInUse(MemoryTag.INDEX)).isEqualTo(memory.reservedBytes()).isPositive();
        large.close();
        small.close();
        empty.close();
        assertThat(memory.blockBytesInUse()).isZero();
        final long reserved = memory.reservedBytes();
        final PostingsList again = filled(memory, 40_000);
        assertThat(memory.reservedBytes()).as("freed blocks are reused").isEqualTo(reserved);
        assertThat(Postings.toArray(again.iterator())).hasSize(40_000).startsWith(1, 4, 7).endsWith(idOf(39_999));
        again.close();
        memory.close();
        assertThat(allocator.bytesInUse(MemoryTag.INDEX)).isZero();
        allocator.assertNoLeaks();
    }

    @Test
    void shouldRejectIdsThatDoNotIncrease() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (PostingsMemory memory = new PostingsMemory(allocator, 1, 16);
             PostingsList list = new PostingsList(memory)) {
            assertThatThrownBy(() -> list.append(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id=-1");
            list.append(0);
            list.append(5);
            assertThatThrownBy(() -> list.append(5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lastId=5");
            assertThatThrownBy(() -> list.append(3)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> list.append(NO_MORE)).isInstanceOf(IllegalArgumentException.class);
            list.append(NO_MORE - 1);
            assertThat(Postings.toArray(list.iterator())).containsExactly(0, 5, NO_MORE - 1);
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldRefuseUseAfterClose() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (PostingsMemory memory = new PostingsMemory(allocator, 1, 16)) {
            final PostingsList list = filled(memory, 3);
            list.close();
            assertThatThrownBy(() -> list.append(100)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(list::iterator).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(list::close).isInstanceOf(IllegalStateException.class);
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldReportFullMemoryInsteadOfOverrunningIt() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (PostingsMemory memory = new PostingsMemory(allocator, 1, 2)) {
            final PostingsList list = new PostingsList(memory);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 1_000_000; i++) {
                    list.append(i);
                }
            }).isInstanceOf(IllegalStateException.class).hasMessageContaining("maxPages=2");
            // Classes 0 (segments 0, 1) and 1 (segment 2) carve a page each; segment 3 needs a third.
            assertThat(list.lengthAcquire()).isEqualTo(16);
            assertThat(Postings.count(list.iterator())).isEqualTo(16);
            list.close();
        }
        allocator.assertNoLeaks();
    }
}
