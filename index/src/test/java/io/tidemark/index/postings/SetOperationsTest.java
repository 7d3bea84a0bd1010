package io.tidemark.index.postings;

import static io.tidemark.index.postings.PostingsIterator.NO_MORE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SetOperationsTest {

    private static PostingsIterator ids(final int... ids) {
        return new SortedIntsIterator(ids);
    }

    @Test
    void shouldIntersectNothingToNothing() {
        final Intersection none = new Intersection();
        assertThat(none.next()).isEqualTo(NO_MORE);
        assertThat(none.seek(5)).isEqualTo(NO_MORE);
        assertThat(none.current()).isEqualTo(NO_MORE);
    }

    @Test
    void shouldPassOneInputThroughIntersection() {
        assertThat(Postings.toArray(new Intersection(ids(1, 3, 9)))).containsExactly(1, 3, 9);
    }

    @Test
    void shouldIntersectToEmptyWhenAnyInputIsEmpty() {
        assertThat(Postings.toArray(new Intersection(ids(1, 2, 3), ids(), ids(2)))).isEmpty();
        assertThat(Postings.toArray(new Intersection(ids(1, 3, 5), ids(2, 4, 6)))).isEmpty();
    }

    @Test
    void shouldIntersectSmallWithLarge() {
        final int[] large = new int[100_000];
        for (int i = 0; i < large.length; i++) {
            large[i] = 2 * i;
        }
        final int[] result = Postings.toArray(new Intersection(ids(0, 7, 500, 1_001, 199_998, 199_999), ids(large),
            ids(0, 500, 199_998)));
        assertThat(result).containsExactly(0, 500, 199_998);
    }

    @Test
    void shouldIncludeZeroAndTheLargestIdInIntersection() {
        assertThat(Postings.toArray(new Intersection(ids(0, NO_MORE - 1), ids(0, 5, NO_MORE - 1))))
            .containsExactly(0, NO_MORE - 1);
    }

    @Test
    void shouldSeekIntersectionForwardOnlyAndStayExhausted() {
        final Intersection both = new Intersection(ids(1, 4, 6, 8, 10), ids(2, 4, 8, 10));
        assertThat(both.seek(5)).isEqualTo(8);
        assertThat(both.seek(3)).isEqualTo(8);
        assertThat(both.current()).isEqualTo(8);
        assertThat(both.next()).isEqualTo(10);
        assertThat(both.seek(11)).isEqualTo(NO_MORE);
        assertThat(both.next()).isEqualTo(NO_MORE);
        assertThat(both.seek(0)).isEqualTo(NO_MORE);
    }

    @Test
    void shouldUnionNothingToNothing() {
        assertThat(Postings.toArray(new Union())).isEmpty();
        assertThat(Postings.toArray(new Union(ids(), ids()))).isEmpty();
    }

    @Test
    void shouldEmitIdsSharedByUnionInputsOnce() {
        assertThat(Postings.toArray(new Union(ids(1, 2, 5), ids(2, 5, 9), ids(0, 5), ids())))
            .containsExactly(0, 1, 2, 5, 9);
        assertThat(Postings.toArray(new Union(ids(3)))).containsExactly(3);
    }

    @Test
    void shouldSeekUnionPastInputsBehindTheTarget() {
        final Union any = new Union(ids(1, 2, 30), ids(5, 6, 7), ids(8, 40));
        assertThat(any.seek(6)).isEqualTo(6);
        assertThat(any.next()).isEqualTo(7);
        assertThat(any.seek(9)).isEqualTo(30);
        assertThat(any.seek(2)).isEqualTo(30);
        assertThat(any.next()).isEqualTo(40);
        assertThat(any.next()).isEqualTo(NO_MORE);
        assertThat(any.seek(1)).isEqualTo(NO_MORE);
    }

    @Test
    void shouldSeekUnionBeforeFirstNext() {
        assertThat(new Union(ids(1, 20), ids(10)).seek(5)).isEqualTo(10);
        assertThat(new Union(ids(1, 20), ids(10)).seek(-3)).isEqualTo(1);
    }

    @Test
    void shouldSubtractNothingAndEverything() {
        assertThat(Postings.toArray(new Difference(ids(1, 2, 3), ids()))).containsExactly(1, 2, 3);
        assertThat(Postings.toArray(new Difference(ids(), ids(1, 2)))).isEmpty();
        assertThat(Postings.toArray(new Difference(ids(1, 2, 3), ids(0, 1, 2, 3, 4)))).isEmpty();
    }

    @Test
    void shouldSubtractRunsAndPassTheRestThroughWhenExcludeIsExhausted() {
        assertThat(Postings.toArray(new Difference(ids(1, 2, 3, 4, 5, 6, 9, 12), ids(2, 3, 4, 6))))
            .containsExactly(1, 5, 9, 12);
    }

    @Test
    void shouldSeekDifferenceToTheFirstIncludedIdNotExcluded() {
        final Difference rest = new Difference(ids(1, 5, 6, 7, 10), ids(5, 6, 10));
        assertThat(rest.seek(4)).isEqualTo(7);
        assertThat(rest.seek(2)).isEqualTo(7);
        assertThat(rest.next()).isEqualTo(NO_MORE);
    }

    @Test
    void shouldComposeOperations() {
        final PostingsIterator query = new Difference(
            new Intersection(new Union(ids(1, 3, 5), ids(2, 4, 6)), ids(2, 3, 4, 5, 100)), ids(4));
        assertThat(Postings.toArray(query)).containsExactly(2, 3, 5);
    }

    @Test
    void shouldGallopSortedIntsToExactAndMissingTargets() {
        final int[] odd = new int[1_000];
        for (int i = 0; i < odd.length; i++) {
            odd[i] = 2 * i + 1;
        }
        final SortedIntsIterator iterator = new SortedIntsIterator(odd);
        assertThat(iterator.seek(0)).isEqualTo(1);
        assertThat(iterator.seek(1)).isEqualTo(1);
        assertThat(iterator.seek(2)).isEqualTo(3);
        assertThat(iterator.seek(1_500)).isEqualTo(1_501);
        assertThat(iterator.next()).isEqualTo(1_503);
        assertThat(iterator.seek(1_999)).isEqualTo(1_999);
        assertThat(iterator.seek(2_000)).isEqualTo(NO_MORE);
        assertThat(iterator.next()).isEqualTo(NO_MORE);
    }

    @Test
    void shouldRejectUnsortedOrNegativeInts() {
        assertThatThrownBy(() -> new SortedIntsIterator(new int[] {1, 1})).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("index=1");
        assertThatThrownBy(() -> new SortedIntsIterator(new int[] {-1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SortedIntsIterator(new int[] {NO_MORE})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SortedIntsIterator(new int[] {1}, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCountAndCollectFromTheCurrentPosition() {
        final SortedIntsIterator iterator = new SortedIntsIterator(new int[] {4, 8, 15, 16, 23, 42}, 5);
        assertThat(iterator.next()).isEqualTo(4);
        assertThat(Postings.count(new SortedIntsIterator(new int[] {4, 8, 15}))).isEqualTo(3);
        assertThat(Postings.toArray(iterator)).containsExactly(8, 15, 16, 23);
    }
}
