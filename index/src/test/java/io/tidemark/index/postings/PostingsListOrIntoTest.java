package io.tidemark.index.postings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.memory.NativeAllocator;
import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostingsListOrIntoTest {

    private static BitSet bitsOf(final long[] words) {
        return BitSet.valueOf(words);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, 5, 8, 9, 16_384, 16_385, 32_768, 32_769, 70_000})
    void shouldSetTheBitOfEveryIdAcrossSegmentBoundaries(final int length) {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (PostingsMemory memory = new PostingsMemory(allocator, 4, 64)) {
            final PostingsList list = new PostingsList(memory);
            final BitSet expected = new BitSet();
            for (int i = 0; i < length; i++) {
                list.append(3 * i + 1);
                expected.set(3 * i + 1);
            }
            final long[] words = new long[(3 * length + 64) / 64 + 1];
            list.orInto(words, Integer.MAX_VALUE - 1);
            assertThat(bitsOf(words)).isEqualTo(expected);
            list.close();
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldKeepBitsAlreadySetAndSkipIdsAtOrAboveTheLimit() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (PostingsMemory memory = new PostingsMemory(allocator, 4, 64)) {
            final SplittableRandom random = new SplittableRandom(42);
            final long[] words = new long[1 << 12];
            final BitSet expected = new BitSet();
            final int limit = 200_000;
            for (int l = 0; l < 20; l++) {
                final PostingsList list = new PostingsList(memory);
                for (int id = random.nextInt(100); id < 64 * words.length; id += 1 + random.nextInt(l == 0 ? 3 : 400)) {
                    list.append(id);
                    if (id < limit) {
                        expected.set(id);
                    }
                }
                list.orInto(words, limit);
                list.close();
            }
            assertThat(bitsOf(words)).isEqualTo(expected);
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldRefuseAClosedList() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (PostingsMemory memory = new PostingsMemory(allocator, 4, 64)) {
            final PostingsList list = new PostingsList(memory);
            list.append(1);
            list.close();
            assertThatThrownBy(() -> list.orInto(new long[1], 10)).isInstanceOf(IllegalStateException.class);
        }
        allocator.assertNoLeaks();
    }
}
