package io.tidemark.index.matchers;

import static io.tidemark.index.matchers.LabelMatcher.Type.NOT_REGEX;
import static io.tidemark.index.matchers.LabelMatcher.Type.REGEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The regex engine's work is bounded: what would run for hours fails fast with {@link RegexBudgetExceededException},
 * and ordinary regexes on long values still answer. The timeouts are guards against hanging, not measurements.
 */
class RegexBudgetTest {
    /** Far beyond what a bounded match takes; unbounded, the regexes below run for hours. */
    private static final Duration HANG = Duration.ofSeconds(10);
    private static final int KIB_64 = 64 * 1024;

    @Test
    void shouldRefuseExponentialBacktrackingOnShortValue() {
        // JDK 25 memoizes some loops, so (a*)*b and (a|aa)*c are polynomial there; one more level of nesting is
        // not: 1.5 s at 24 chars in java.util.regex, 16 times as long for every 4 more.
        final String aaa = "a".repeat(40);
        for (final LabelMatcher.Type type : new LabelMatcher.Type[] {REGEX, NOT_REGEX}) {
            final LabelMatcher matcher = LabelMatcher.of(type, "l", "(?:(?:a*)*)*b");
            assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(() -> matcher.matches(aaa))
                .isInstanceOf(RegexBudgetExceededException.class)
                .hasMessage(matcher + ": regex too expensive to evaluate on a value of 40 chars: more than "
                    + (10_000 + 40 * (1_000 + 4 * 13)) + " char reads"));
        }
    }

    @Test
    void shouldAnswerNestedRepeatsThatStayWithinBudget() {
        final String aaa = "a".repeat(40);
        assertTimeoutPreemptively(HANG, () -> {
            assertThat(LabelMatcher.of(REGEX, "l", "(a*)*b").matches(aaa)).isFalse();
            assertThat(LabelMatcher.of(REGEX, "l", "(a*)*b").matches(aaa + "b")).isTrue();
            assertThat(LabelMatcher.of(REGEX, "l", "(a|aa)*c").matches(aaa)).isFalse();
            assertThat(LabelMatcher.of(NOT_REGEX, "l", "(a|aa)*c").matches(aaa)).isTrue();
            assertThat(LabelMatcher.of(REGEX, "l", "(?:(?:a*)*)*b").matches("aaab")).isTrue();
        });
    }

    @Test
    void shouldReportStackOverflowAsBudgetExceeded() {
        // java.util.regex recurses once per iteration of a repeated group: a million iterations need far more
        // stack than any thread has by default.
        final LabelMatcher matcher = LabelMatcher.of(REGEX, "l", "(a|b)*");
        assertThatThrownBy(() -> matcher.matches("ab".repeat(500_000)))
            .isInstanceOf(RegexBudgetExceededException.class)
            .hasMessage("l=~\"(a|b)*\": regex too expensive to evaluate on a value of 1000000 chars: "
                + "java.util.regex ran out of stack");
        assertThat(matcher.matches("ab".repeat(100))).isTrue();
    }

    @Test
    void shouldRefuseRegexWhoseEmptyAlternativesMultiply() {
        // Each (|) matches empty two ways: 2^40 tries at the end of every value, none of which reads a char, so
        // the read budget cannot see them. Unrefused, of() itself would hang computing matchesEmpty().
        final String regex = "(|)".repeat(40) + "x";
        assertTimeoutPreemptively(HANG, () -> assertThatThrownBy(() -> LabelMatcher.of(REGEX, "l", regex))
            .isInstanceOf(RegexBudgetExceededException.class)
            .hasMessage("l=~\"" + regex + "\": regex too expensive to evaluate on any value: it can backtrack more "
                + "than 1000000 steps that read no char (alternatives that match the empty string multiply)"));
        assertThat(LabelMatcher.of(REGEX, "l", "(|)".repeat(10) + "x").matches("x")).isTrue();
    }

    static Stream<Arguments> longValues() {
        final String x = "x".repeat(KIB_64 - 16);
        return Stream.of(
            Arguments.of("node_.*_bytes|go_.*", "node_" + x + "_bytes", true),
            Arguments.of("node_.*_bytes|go_.*", "node_" + x + "_bytez", false),
            Arguments.of("[a-z]+-[0-9]+", "a".repeat(KIB_64 / 2) + "-" + "1".repeat(KIB_64 / 2), true),
            Arguments.of("[a-z]+-[0-9]+", "a".repeat(KIB_64), false),
            Arguments.of(".*foo.*bar.*", x + "foo" + x + "bar", true),
            Arguments.of(".*foo.*bar.*", x + "foo" + x, false),
            Arguments.of(".*-(prod|staging)", "x-".repeat(KIB_64 / 2) + "staging", true),
            Arguments.of("[^/]+/[^/]+", "a".repeat(KIB_64 / 2) + "/" + "b".repeat(KIB_64 / 2), true),
            Arguments.of("(api|web)-[a-z0-9]+-[0-9]+", "api-" + "a1".repeat(KIB_64 / 2) + "-123", true),
            Arguments.of("(?:[a-z0-9]+\\.)*example\\.com", x + ".example.com", true),
            Arguments.of("(?i)NODE_.*_BYTES", "node_" + x + "_bytes", true),
            Arguments.of("\\w+@\\w+\\.com", x + "@b.com", true),
            Arguments.of("(a*)*b", "a".repeat(500), false));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {2}")
    @MethodSource("longValues")
    void shouldMatchOrdinaryRegexesOnLongValues(final String regex, final String value, final boolean expected) {
        final LabelMatcher matcher = LabelMatcher.of(REGEX, "l", regex);
        assertThat(matcher.regexShape()).isEqualTo(CompiledRegex.Shape.PATTERN);
        assertThat(matcher.matches(value)).isEqualTo(expected);
        assertThat(LabelMatcher.of(NOT_REGEX, "l", regex).matches(value)).isEqualTo(!expected);
    }

    @Test
    void shouldNeverRefuseShapesDecidedWithoutTheEngine() {
        final String huge = "a".repeat(4 * 1024 * 1024);
        assertThat(LabelMatcher.of(REGEX, "l", "a.*").matches(huge)).isTrue();
        assertThat(LabelMatcher.of(REGEX, "l", ".*b.*").matches(huge)).isFalse();
        assertThat(LabelMatcher.of(REGEX, "l", "x|y|z").matches(huge)).isFalse();
    }
}
