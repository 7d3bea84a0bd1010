package io.tidemark.index.matchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link ZeroReadSteps} must over-estimate what {@link Pattern} does. Matching {@code R x} against {@code "y"}, where
 * no atom of R nor {@code x} matches {@code y}, turns every step that would read nothing at the end of a value into a
 * failed read at position 0, so the engine's reads there must stay within the bound of {@code R x}.
 */
class ZeroReadStepsTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final int REGEXES = 5_000;
    private static final long LARGEST_BOUND_TRIED = 200_000;

    @Test
    void shouldBoundTheEngineOnRandomRegexesRichInEmptyMatches() {
        System.out.println("ZeroReadStepsTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        int tried = 0;
        for (int r = 0; r < REGEXES; r++) {
            final String regex = alternation(random, 3) + "x";
            final Re2Translator.Translation translation = Re2Translator.translateMeasured(regex);
            final long bound = translation.zeroReadSteps();
            if (bound > LARGEST_BOUND_TRIED) {
                continue;
            }
            tried++;
            final Pattern pattern = Pattern.compile(translation.java());
            try {
                assertThat(pattern.matcher(new BudgetedCharSequence("y", bound)).matches()).isFalse();
            } catch (final RegexTooExpensive underEstimate) {
                fail("seed=" + SEED + " regex=" + regex + ": the engine read more than the bound " + bound);
            }
        }
        assertThat(tried).as("regexes within the bound tried").isGreaterThan(REGEXES / 2);
    }

    @Test
    void shouldMultiplyAlternativesThatMatchEmpty() {
        assertThat(bound("(|)".repeat(20) + "x")).isGreaterThan(1L << 20);
        assertThat(bound("((|)*)".repeat(13) + "x")).isGreaterThan(CompiledRegex.MAX_ZERO_READ_STEPS);
        assertThat(bound("(?:(?:(?:){1000}){1000}){1000}x")).isGreaterThan(CompiledRegex.MAX_ZERO_READ_STEPS);
        assertThat(bound("(?:a?){1000}")).isLessThan(10_000);
        assertThat(bound("(foo)?(bar)?(baz)?(?:-[0-9]+)*x")).isLessThan(100);
        assertThat(bound(".*(err|fail|timeout).*")).isLessThan(100);
    }

    private static long bound(final String regex) {
        return Re2Translator.translateMeasured(regex).zeroReadSteps();
    }

    private static String alternation(final SplittableRandom random, final int depth) {
        final StringBuilder regex = new StringBuilder(sequence(random, depth));
        while (random.nextInt(3) == 0) {
            regex.append('|').append(sequence(random, depth));
        }
        return regex.toString();
    }

    private static String sequence(final SplittableRandom random, final int depth) {
        final StringBuilder regex = new StringBuilder();
        final int items = random.nextInt(5);
        for (int i = 0; i < items; i++) {
            regex.append(item(random, depth));
            switch (random.nextInt(10)) {
                case 0 -> regex.append('*');
                case 1 -> regex.append('+');
                case 2 -> regex.append('?');
                case 3 -> regex.append("*?");
                case 4 -> regex.append("??");
                case 5 -> regex.append('{').append(random.nextInt(4)).append(",3}");
                case 6 -> regex.append('{').append(1 + random.nextInt(3)).append('}');
                default -> {
                }
            }
        }
        return regex.toString();
    }

    /** Atoms that never match "y", anchors, and groups, which may be empty. */
    private static String item(final SplittableRandom random, final int depth) {
        return switch (random.nextInt(depth > 0 ? 9 : 6)) {
            case 0 -> "a";
            case 1 -> "[ab]";
            case 2 -> "^";
            case 3 -> "$";
            case 4 -> "\\b";
            case 5 -> "()";
            case 6 -> "(?:" + alternation(random, depth - 1) + ")";
            default -> "(" + alternation(random, depth - 1) + ")";
        };
    }
}
