package io.tidemark.index;

import static io.tidemark.index.postings.PostingsIterator.NO_MORE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BitmapPostingsIteratorTest {

    @Test
    void shouldIterateEverySetBitInOrderAcrossWordBoundaries() {
        final BitSet bits = new BitSet();
        for (final int id : new int[] {0, 1, 63, 64, 127, 128, 1000, 4095}) {
            bits.set(id);
        }
        final BitmapPostingsIterator iterator = new BitmapPostingsIterator(bits.toLongArray());
        for (int id = bits.nextSetBit(0); id >= 0; id = bits.nextSetBit(id + 1)) {
            assertThat(iterator.next()).isEqualTo(id);
            assertThat(iterator.current()).isEqualTo(id);
        }
        assertThat(iterator.next()).isEqualTo(NO_MORE);
        assertThat(iterator.next()).isEqualTo(NO_MORE);
        assertThat(iterator.seek(0)).isEqualTo(NO_MORE);
    }

    @Test
    void shouldBeEmptyForAnEmptyOrAllZeroBitmap() {
        assertThat(new BitmapPostingsIterator(new long[0]).next()).isEqualTo(NO_MORE);
        assertThat(new BitmapPostingsIterator(new long[3]).next()).isEqualTo(NO_MORE);
        assertThat(new BitmapPostingsIterator(new long[3]).seek(70)).isEqualTo(NO_MORE);
    }

    @Test
    void shouldSeekLikeABitSetAndNeverMoveBackwards() {
        final SplittableRandom random = new SplittableRandom(7);
        final BitSet bits = new BitSet();
        for (int i = 0; i < 3000; i++) {
            bits.set(random.nextInt(20_000));
        }
        final BitmapPostingsIterator iterator = new BitmapPostingsIterator(bits.toLongArray());
        int current = -1;
        for (int target = -5; target < 20_100; target += random.nextInt(1, 90)) {
            final int expected = current >= Math.max(target, 0) ? current : nextOrNoMore(bits, Math.max(target, 0));
            assertThat(iterator.seek(target)).as("seek(%d)", target).isEqualTo(expected);
            current = expected;
            if (current == NO_MORE) {
                break;
            }
            if (random.nextBoolean()) {
                current = nextOrNoMore(bits, current + 1);
                assertThat(iterator.next()).isEqualTo(current);
                if (current == NO_MORE) {
                    break;
                }
            }
        }
    }

    private static int nextOrNoMore(final BitSet bits, final int from) {
        final int next = bits.nextSetBit(from);
        return next < 0 ? NO_MORE : next;
    }
}
