package io.tidemark.index.postings;

import static io.tidemark.index.postings.PostingsIterator.NO_MORE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.NativeAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Differential test: random inputs (k from 1 to 5, 0 to 100k ids, densities from sparse to full),
 * stored either as sorted arrays or as off-heap postings lists, driven by a random mix of next and
 * seek, against BitSet and TreeSet answers. Replay a failure with -Dtidemark.seed=SEED.
 */
class SetOperationsRandomizedTest {
    private static final int ROUNDS = 80;

    private static final class Inputs {
        final List<BitSet> sets = new ArrayList<>();
        final List<int[]> arrays = new ArrayList<>();
        final List<PostingsList> lists = new ArrayList<>();
    }

    private static int[] randomIds(final Random random) {
        final int size = switch (random.nextInt(4)) {
            case 0 -> random.nextInt(5);
            case 1 -> random.nextInt(100);
            case 2 -> random.nextInt(5_000);
            default -> random.nextInt(100_001);
        };
        final double density = switch (random.nextInt(3)) {
            case 0 -> 1.0;
            case 1 -> 0.5;
            default -> 0.001 + random.nextDouble() * 0.05;
        };
        final int universe = (int) Math.min(Integer.MAX_VALUE - 1L, Math.max(1, (long) (size / density)));
        final int[] drawn = new int[size];
        for (int i = 0; i < size; i++) {
            drawn[i] = random.nextInt(universe);
        }
        return Arrays.stream(drawn).sorted().distinct().toArray();
    }

    private static PostingsIterator iterate(final Inputs inputs, final int input, final boolean offHeap) {
        return offHeap ? inputs.lists.get(input).iterator() : new SortedIntsIterator(inputs.arrays.get(input));
    }

    /** Drives {@code actual} with random next/seek calls and checks each answer against {@code expected}. */
    private static void assertSameIds(final Random random, final PostingsIterator actual, final BitSet expected,
                                      final String what) {
        int current = -1;
        for (int step = 0; current != NO_MORE; step++) {
            final int answer;
            final int wanted;
            if (random.nextInt(4) == 0) {
                final int target = current < 0 ? random.nextInt(1_000) : current - 5 + random.nextInt(random.nextBoolean() ? 20 : 20_000);
                answer = actual.seek(target);
                wanted = current >= Math.max(target, 0) ? current : nextSet(expected, Math.max(target, 0));
            } else {
                answer = actual.next();
                wanted = nextSet(expected, current + 1);
            }
            assertThat(answer).as("%s at step %d after %d", what, step, current).isEqualTo(wanted);
            assertThat(actual.current()).isEqualTo(wanted);
            current = wanted;
        }
        assertThat(actual.next()).isEqualTo(NO_MORE);
    }

    private static int nextSet(final BitSet set, final int from) {
        final int next = set.nextSetBit(from);
        return next < 0 ? NO_MORE : next;
    }

    @Test
    void shouldMatchBruteForceForRandomInputsAndRandomNextSeekMixes() {
        final long seed = Long.getLong("tidemark.seed", System.nanoTime());
        System.out.println("SetOperationsRandomizedTest seed=" + seed);
        final Random random = new Random(seed);
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (PostingsMemory memory = new PostingsMemory(allocator, 16, 4_096)) {
            for (int round = 0; round < ROUNDS; round++) {
                final Inputs inputs = new Inputs();
                final int k = 1 + random.nextInt(5);
                for (int input = 0; input < k; input++) {
                    final int[] ids = randomIds(random);
                    final BitSet set = new BitSet();
                    final PostingsList list = new PostingsList(memory);
                    for (final int id : ids) {
                        set.set(id);
                        list.append(id);
                    }
                    inputs.sets.add(set);
                    inputs.arrays.add(ids);
                    inputs.lists.add(list);
                }
                final boolean offHeap = random.nextBoolean();
                final String what = "seed=" + seed + " round=" + round + " k=" + k + " offHeap=" + offHeap;
                final BitSet all = (BitSet) inputs.sets.get(0).clone();
                final BitSet any = new BitSet();
                final PostingsIterator[] forIntersection = new PostingsIterator[k];
                final PostingsIterator[] forUnion = new PostingsIterator[k];
                for (int input = 0; input < k; input++) {
                    all.and(inputs.sets.get(input));
                    any.or(inputs.sets.get(input));
                    forIntersection[input] = iterate(inputs, input, offHeap);
                    forUnion[input] = iterate(inputs, input, offHeap);
                }
                assertSameIds(random, new Intersection(forIntersection), all, "intersection " + what);
                assertSameIds(random, new Union(forUnion), any, "union " + what);
                final int other = random.nextInt(k);
                final BitSet rest = (BitSet) inputs.sets.get(0).clone();
                rest.andNot(inputs.sets.get(other));
                assertSameIds(random, new Difference(iterate(inputs, 0, offHeap), iterate(inputs, other, offHeap)), rest,
                    "difference 0-" + other + " " + what);
                final BitSet unionMinusLast = (BitSet) any.clone();
                unionMinusLast.andNot(inputs.sets.get(k - 1));
                final PostingsIterator[] again = new PostingsIterator[k];
                for (int input = 0; input < k; input++) {
                    again[input] = iterate(inputs, input, !offHeap);
                }
                assertSameIds(random, new Difference(new Union(again), iterate(inputs, k - 1, offHeap)), unionMinusLast,
                    "union minus last " + what);
                final TreeSet<Integer> tree = new TreeSet<>();
                inputs.sets.get(0).stream().forEach(tree::add);
                assertThat(Postings.toArray(iterate(inputs, 0, true)))
                    .containsExactly(tree.stream().mapToInt(Integer::intValue).toArray());
                for (final PostingsList list : inputs.lists) {
                    list.close();
                }
            }
            assertThat(memory.blockBytesInUse()).isZero();
        }
        allocator.assertNoLeaks();
    }
}
