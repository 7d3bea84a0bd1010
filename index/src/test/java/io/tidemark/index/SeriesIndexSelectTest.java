package io.tidemark.index;

import static io.tidemark.index.matchers.LabelMatcher.Type.EQUAL;
import static io.tidemark.index.matchers.LabelMatcher.Type.NOT_EQUAL;
import static io.tidemark.index.matchers.LabelMatcher.Type.NOT_REGEX;
import static io.tidemark.index.matchers.LabelMatcher.Type.REGEX;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.memory.NativeAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Selection by matchers over a fixed set of series, with expectations written by hand from
 * Prometheus' semantics (the series are those of its {@code TestPostingsForMatchers}): a matcher
 * that matches "" also selects series without the label; regexes are anchored.
 */
class SeriesIndexSelectTest {
    /** Series 0..6, in creation order. */
    private static final List<LabelSet> SERIES = List.of(
        LabelSet.of("n", "1"),
        LabelSet.of("n", "1", "i", "a"),
        LabelSet.of("n", "1", "i", "b"),
        LabelSet.of("n", "1", "i", "\n"),
        LabelSet.of("n", "2"),
        LabelSet.of("n", "2.5"),
        LabelSet.of("n", "2", "i", "ab", "j", "x"));

    private final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
    private final SeriesIndex index = new SeriesIndex(allocator);

    SeriesIndexSelectTest() {
        for (int i = 0; i < SERIES.size(); i++) {
            assertThat(index.getOrCreate(SERIES.get(i))).isEqualTo(i);
        }
    }

    @AfterEach
    void close() {
        index.close();
        allocator.assertNoLeaks();
    }

    private static LabelMatcher m(final LabelMatcher.Type type, final String name, final String value) {
        return LabelMatcher.of(type, name, value);
    }

    private static Arguments select(final List<LabelMatcher> matchers, final int... expected) {
        return Arguments.of(matchers, expected);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
            // Equality.
            select(List.of(m(EQUAL, "n", "1")), 0, 1, 2, 3),
            select(List.of(m(EQUAL, "n", "1"), m(EQUAL, "i", "a")), 1),
            select(List.of(m(EQUAL, "n", "1"), m(EQUAL, "i", "missing"))),
            select(List.of(m(EQUAL, "missing", "x"))),
            select(List.of(m(EQUAL, "missing", "")), 0, 1, 2, 3, 4, 5, 6),
            select(List.of(m(NOT_EQUAL, "n", "1")), 4, 5, 6),
            select(List.of(m(NOT_EQUAL, "i", "")), 1, 2, 3, 6),
            select(List.of(m(EQUAL, "i", "")), 0, 4, 5),
            select(List.of(m(NOT_EQUAL, "i", "a")), 0, 2, 3, 4, 5, 6),
            select(List.of(m(NOT_EQUAL, "missing", "")), new int[0]),
            select(List.of(m(EQUAL, "n", "1"), m(NOT_EQUAL, "i", "a")), 0, 2, 3),
            select(List.of(m(EQUAL, "n", "1"), m(EQUAL, "i", "")), 0),
            select(List.of(m(EQUAL, "n", "1"), m(NOT_EQUAL, "i", "")), 1, 2, 3),
            // Regexes: anchored, . matches newline, empty-matching ones keep series without the label.
            select(List.of(m(REGEX, "n", "1")), 0, 1, 2, 3),
            select(List.of(m(REGEX, "n", "2")), 4, 6),
            select(List.of(m(REGEX, "n", "2.*")), 4, 5, 6),
            select(List.of(m(REGEX, "n", "^2$")), 4, 6),
            select(List.of(m(REGEX, "n", "1|2")), 0, 1, 2, 3, 4, 6),
            select(List.of(m(REGEX, "n", "1|2.5")), 0, 1, 2, 3, 5),
            select(List.of(m(REGEX, "i", "a|b")), 1, 2),
            select(List.of(m(REGEX, "i", "a.*")), 1, 6),
            select(List.of(m(REGEX, "i", ".")), 1, 2, 3),
            select(List.of(m(REGEX, "i", ".*")), 0, 1, 2, 3, 4, 5, 6),
            select(List.of(m(REGEX, "i", ".+")), 1, 2, 3, 6),
            select(List.of(m(REGEX, "i", "")), 0, 4, 5),
            select(List.of(m(REGEX, "i", "a|")), 0, 1, 4, 5),
            select(List.of(m(REGEX, "i", "(a|b)?")), 0, 1, 2, 4, 5),
            select(List.of(m(NOT_REGEX, "i", "")), 1, 2, 3, 6),
            select(List.of(m(NOT_REGEX, "i", ".+")), 0, 4, 5),
            select(List.of(m(NOT_REGEX, "i", ".*")), new int[0]),
            select(List.of(m(NOT_REGEX, "i", "a|b")), 0, 3, 4, 5, 6),
            select(List.of(m(NOT_REGEX, "i", "a.*")), 0, 2, 3, 4, 5),
            select(List.of(m(NOT_REGEX, "i", "a|")), 2, 3, 6),
            select(List.of(m(EQUAL, "n", "1"), m(NOT_REGEX, "i", "a|b")), 0, 3),
            select(List.of(m(EQUAL, "n", "1"), m(REGEX, "i", ".+"), m(NOT_REGEX, "i", "a")), 2, 3),
            select(List.of(m(EQUAL, "n", "1"), m(REGEX, "i", "a|b"), m(NOT_EQUAL, "i", "b")), 1),
            select(List.of(m(REGEX, "missing", ".*"), m(EQUAL, "n", "2.5")), 5),
            select(List.of(m(REGEX, "missing", "x|")), 0, 1, 2, 3, 4, 5, 6),
            select(List.of(m(REGEX, "j", "x"), m(REGEX, "i", "a.*")), 6),
            select(List.of(m(REGEX, "n", "(?i)2.5")), 5),
            // Unicode and the label that holds a newline.
            select(List.of(m(EQUAL, "i", "\n")), 3),
            select(List.of(m(REGEX, "i", "\\n")), 3),
            // No matchers selects everything (the index does not apply PromQL's non-empty rule).
            select(List.of(), 0, 1, 2, 3, 4, 5, 6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldSelectAsPrometheusDoes(final List<LabelMatcher> matchers, final int[] expected) {
        assertThat(index.select(matchers)).containsExactly(expected);
    }

    @Test
    void shouldAgreeWithTheMatchersThemselves() {
        cases().forEach(arguments -> {
            @SuppressWarnings("unchecked")
            final List<LabelMatcher> matchers = (List<LabelMatcher>) arguments.get()[0];
            final List<Integer> bruteForce = new ArrayList<>();
            for (int id = 0; id < SERIES.size(); id++) {
                if (BruteForce.selects(matchers, SERIES.get(id))) {
                    bruteForce.add(id);
                }
            }
            assertThat(index.select(matchers)).as(matchers.toString())
                .containsExactly(bruteForce.stream().mapToInt(Integer::intValue).toArray());
        });
    }

    @Test
    void shouldEnumerateLabelNamesAndValues() {
        assertThat(index.labelNames(List.of())).containsExactly("i", "j", "n");
        assertThat(index.labelNames(List.of(m(EQUAL, "n", "1")))).containsExactly("i", "n");
        assertThat(index.labelNames(List.of(m(EQUAL, "n", "nope")))).isEmpty();
        assertThat(index.labelValues("n", List.of())).containsExactly("1", "2", "2.5");
        assertThat(index.labelValues("i", List.of())).containsExactly("\n", "a", "ab", "b");
        assertThat(index.labelValues("i", List.of(m(EQUAL, "n", "1")))).containsExactly("\n", "a", "b");
        assertThat(index.labelValues("i", List.of(m(EQUAL, "n", "2.5")))).isEmpty();
        assertThat(index.labelValues("missing", List.of())).isEmpty();
    }
}
