package io.tidemark.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.memory.NativeAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Random series, random matchers and random removals: every selection, label name list and label
 * value list must equal a brute-force scan of the live series.
 */
class SeriesIndexRandomizedTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final String[] NAMES = {"__name__", "a", "b", "c", "job"};
    private static final String[] VALUES = {"x", "y", "xy", "yx", "10", "1.5", "é", "x\ny", "zz"};
    private static final String[] REGEXES = {"", ".*", ".+", "x", "x|y", "x.*", ".*y", "(x|y)?", "x|", "[a-z]+",
        "1.*|é", ".", "\\d+", "(?i)X", "x\\ny", "zz|x.*", "[^x]*"};

    @Test
    void shouldAgreeWithBruteForce() {
        System.out.println("SeriesIndexRandomizedTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (SeriesIndex index = new SeriesIndex(allocator)) {
            final List<LabelSet> created = new ArrayList<>();
            final List<Boolean> live = new ArrayList<>();
            for (int round = 0; round < 40; round++) {
                for (int s = random.nextInt(200); s > 0; s--) {
                    final LabelSet labels = randomSeries(random);
                    final int id = index.getOrCreate(labels);
                    if (id == created.size()) {
                        created.add(labels);
                        live.add(true);
                    } else {
                        assertThat(created.get(id)).isEqualTo(labels);
                        assertThat(live.get(id)).isTrue();
                    }
                }
                if (random.nextInt(3) == 0 && !created.isEmpty()) {
                    final int[] victims = random.ints(1 + random.nextInt(20), 0, created.size()).distinct().toArray();
                    int expectedRemoved = 0;
                    for (final int victim : victims) {
                        expectedRemoved += live.get(victim) ? 1 : 0;
                        live.set(victim, false);
                    }
                    assertThat(index.remove(victims)).isEqualTo(expectedRemoved);
                }
                for (int q = 0; q < 50; q++) {
                    checkQuery(index, created, live, randomMatchers(random));
                }
                assertThat(index.size()).isEqualTo((int) live.stream().filter(b -> b).count());
            }
            assertThat(index.reclaimRemoved()).isZero();
        }
        allocator.assertNoLeaks();
    }

    private static void checkQuery(final SeriesIndex index, final List<LabelSet> created, final List<Boolean> live,
                                   final List<LabelMatcher> matchers) {
        final List<Integer> expected = new ArrayList<>();
        final TreeSet<String> names = new TreeSet<>();
        final TreeSet<String> values = new TreeSet<>();
        final String valueName = matchers.isEmpty() ? "a" : matchers.getFirst().name();
        for (int id = 0; id < created.size(); id++) {
            final LabelSet series = created.get(id);
            if (live.get(id) && BruteForce.selects(matchers, series)) {
                expected.add(id);
                for (int i = 0; i < series.size(); i++) {
                    names.add(series.name(i));
                }
                if (!series.get(valueName).isEmpty()) {
                    values.add(series.get(valueName));
                }
            }
        }
        assertThat(index.select(matchers)).as(matchers.toString())
            .containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
        // Java's String order is UTF-16 order; labels sort by UTF-8 bytes, which agree on these values.
        assertThat(index.labelNames(matchers)).as(matchers.toString()).containsExactlyElementsOf(names);
        assertThat(index.labelValues(valueName, matchers)).as(matchers.toString()).containsExactlyElementsOf(values);
    }

    private static LabelSet randomSeries(final SplittableRandom random) {
        final List<String> namesAndValues = new ArrayList<>();
        for (final String name : NAMES) {
            if (random.nextInt(3) != 0) {
                namesAndValues.add(name);
                namesAndValues.add(VALUES[random.nextInt(VALUES.length)]);
            }
        }
        if (namesAndValues.isEmpty()) {
            namesAndValues.add("job");
            namesAndValues.add("x");
        }
        return LabelSet.of(namesAndValues.toArray(String[]::new));
    }

    private static List<LabelMatcher> randomMatchers(final SplittableRandom random) {
        final List<LabelMatcher> matchers = new ArrayList<>();
        for (int m = random.nextInt(4); m > 0; m--) {
            final LabelMatcher.Type type = LabelMatcher.Type.values()[random.nextInt(4)];
            final String name = random.nextInt(10) == 0 ? "missing" : NAMES[random.nextInt(NAMES.length)];
            final String value = switch (type) {
                case EQUAL, NOT_EQUAL -> random.nextInt(5) == 0 ? "" : VALUES[random.nextInt(VALUES.length)];
                case REGEX, NOT_REGEX -> REGEXES[random.nextInt(REGEXES.length)];
            };
            matchers.add(LabelMatcher.of(type, name, value));
        }
        return matchers;
    }
}
