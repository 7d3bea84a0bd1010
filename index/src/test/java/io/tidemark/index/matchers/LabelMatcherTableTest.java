package io.tidemark.index.matchers;

import static io.tidemark.index.matchers.LabelMatcher.Type.EQUAL;
import static io.tidemark.index.matchers.LabelMatcher.Type.NOT_EQUAL;
import static io.tidemark.index.matchers.LabelMatcher.Type.NOT_REGEX;
import static io.tidemark.index.matchers.LabelMatcher.Type.REGEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.index.matchers.LabelMatcher.Type;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cases checked against Prometheus' model/labels matcher.go and regexp.go semantics (RE2, anchored, (?s)). */
class LabelMatcherTableTest {
    private static Arguments match(final Type type, final String value, final String input, final boolean expected) {
        return Arguments.of(type, value, input, expected);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
            // Equality; "" stands for a series without the label.
            match(EQUAL, "bar", "bar", true),
            match(EQUAL, "bar", "foo-bar", false),
            match(EQUAL, "", "", true),
            match(EQUAL, "x", "", false),
            match(NOT_EQUAL, "bar", "bar", false),
            match(NOT_EQUAL, "bar", "foo-bar", true),
            match(NOT_EQUAL, "x", "", true),
            match(NOT_EQUAL, "", "", false),
            match(EQUAL, "héllo wörld", "héllo wörld", true),
            match(EQUAL, "Bar", "bar", false),
            // Regexes are anchored at both ends.
            match(REGEX, "a", "ab", false),
            match(REGEX, "a", "ba", false),
            match(REGEX, "a", "a", true),
            match(REGEX, "bar", "foo-bar", false),
            match(REGEX, ".*bar", "foo-bar", true),
            match(REGEX, "foo.*", "foo-bar", true),
            match(REGEX, "foo.*", "xfoo", false),
            match(REGEX, ".*oo-b.*", "foo-bar", true),
            match(REGEX, ".*oo-b.*", "foobar", false),
            match(NOT_REGEX, "bar", "foo-bar", true),
            match(NOT_REGEX, ".*bar", "foo-bar", false),
            // Empty regex, .*, .+ and the empty string (a missing label).
            match(REGEX, "", "", true),
            match(REGEX, "", "x", false),
            match(REGEX, ".*", "", true),
            match(REGEX, ".*", "anything", true),
            match(REGEX, ".+", "", false),
            match(REGEX, ".+", "x", true),
            match(NOT_REGEX, ".+", "", true),
            match(NOT_REGEX, ".*", "", false),
            match(REGEX, "|x", "", true),
            match(REGEX, "|x", "x", true),
            match(REGEX, "x|", "y", false),
            // Dot matches newline: Prometheus compiles ^(?s:...)$.
            match(REGEX, ".*", "a\nb", true),
            match(REGEX, "a.b", "a\nb", true),
            match(REGEX, ".+", "\n", true),
            match(REGEX, "(?-s)a.b", "a\nb", false),
            match(REGEX, "(?-s:.*)", "a\nb", false),
            // $ is the end of text, never "before a final newline" as in Java.
            match(REGEX, "a$", "a\n", false),
            match(REGEX, "a$", "a", true),
            match(REGEX, "(?m)a$\\n", "a\n", true),
            match(REGEX, "^a", "a", true),
            // Alternations of literals, with and without a group.
            match(REGEX, "a|b|c", "b", true),
            match(REGEX, "a|b|c", "ab", false),
            match(REGEX, "(api|web)", "web", true),
            match(REGEX, "(?:api|web)", "webx", false),
            match(NOT_REGEX, "a|b", "c", true),
            match(REGEX, "a(b|c)", "ac", true),
            // Escaped metacharacters are literals.
            match(REGEX, "a\\.b", "a.b", true),
            match(REGEX, "a\\.b", "axb", false),
            match(REGEX, "a.b", "axb", true),
            match(REGEX, "\\(x\\)", "(x)", true),
            match(REGEX, "a\\|b", "a|b", true),
            match(REGEX, "a\\|b", "a", false),
            match(REGEX, "\\Q.*\\E", ".*", true),
            match(REGEX, "\\Q.*\\E", "abc", false),
            // Special characters, unicode, classes.
            match(REGEX, "\"quoted\"", "\"quoted\"", true),
            match(REGEX, "日本.*", "日本語", true),
            match(REGEX, "日本.", "日本語", true),
            match(REGEX, "[[:alpha:]]+", "abcXYZ", true),
            match(REGEX, "[[:alpha:]]+", "ab1", false),
            match(REGEX, "[[:^digit:]]+", "ab", true),
            match(REGEX, "[[:^digit:]]+", "a1", false),
            match(REGEX, "\\d+", "123", true),
            match(REGEX, "\\d+", "١٢٣", false),
            match(REGEX, "\\s", "\u000B", false),
            match(REGEX, "[[:space:]]", "\u000B", true),
            match(REGEX, "\\v", "\u000B", true),
            match(REGEX, "\\v", "\n", false),
            match(REGEX, "\\pL+", "héllo", true),
            match(REGEX, "\\p{Greek}+", "αβγ", true),
            match(REGEX, "[a-c]+", "abcabc", true),
            match(REGEX, "[^a]", "\n", true),
            match(REGEX, "[]a]+", "]a]", true),
            match(REGEX, "[a&&b]+", "a&b", true),
            match(REGEX, "[[a]", "[", true),
            match(REGEX, "a{,2}", "a{,2}", true),
            match(REGEX, "a{2}", "aa", true),
            match(REGEX, "a{2,3}", "aaaa", false),
            match(REGEX, "\\101", "A", true),
            match(REGEX, "\\x41\\x{42}", "AB", true),
            // Case-insensitive.
            match(REGEX, "(?i)foo", "FoO", true),
            match(REGEX, "(?i)foo", "foox", false),
            match(REGEX, "(?i)k", "\u212A", true),
            match(REGEX, "(?i)f(?-i)oo", "Foo", true),
            match(REGEX, "(?i)f(?-i)oo", "fOo", false),
            // Ungreedy flag and lazy quantifiers do not change whole-string matching.
            match(REGEX, "(?U)a+b", "aaab", true),
            match(REGEX, "a+?", "aaa", true));
    }

    @ParameterizedTest(name = "{0} {1} on \"{2}\" -> {3}")
    @MethodSource("cases")
    void shouldMatchLikePrometheus(final Type type, final String value, final String input, final boolean expected) {
        final LabelMatcher matcher = LabelMatcher.of(type, "label", value);
        assertThat(matcher.matches(input)).as(matcher + " on \"" + input + "\"").isEqualTo(expected);
        if (input.isEmpty()) {
            assertThat(matcher.matchesEmpty()).isEqualTo(expected);
        }
    }

    static Stream<Arguments> invalidRegexes() {
        return Stream.of(
            Arguments.of("(a", "missing closing ): `(a`"),
            Arguments.of("a)", "unexpected ): `a)`"),
            Arguments.of("[a", "missing closing ]: `[a`"),
            Arguments.of("(a)\\1", "invalid escape sequence: `\\1`"),
            Arguments.of("a(?=b)", "invalid or unsupported Perl syntax: `(?=`"),
            Arguments.of("a(?!b)", "invalid or unsupported Perl syntax: `(?!`"),
            Arguments.of("(?<=a)b", "invalid named capture"),
            Arguments.of("(?<!a)b", "invalid named capture"),
            Arguments.of("(?>a)", "invalid or unsupported Perl syntax: `(?>`"),
            Arguments.of("a*+", "invalid nested repetition operator: `*+`"),
            Arguments.of("a**", "invalid nested repetition operator: `**`"),
            Arguments.of("a++", "invalid nested repetition operator: `++`"),
            Arguments.of("*a", "missing argument to repetition operator: `*`"),
            Arguments.of("a|+", "missing argument to repetition operator: `+`"),
            Arguments.of("a{1001}", "invalid repeat count: `{1001}`"),
            Arguments.of("a{3,2}", "invalid repeat count: `{3,2}`"),
            Arguments.of("[z-a]", "invalid character class range: `z-a`"),
            Arguments.of("[[:foo:]]", "invalid character class range: `[:foo:]`"),
            Arguments.of("\\p{Klingon}", "invalid character class range: `\\p{Klingon}`"),
            Arguments.of("a\\", "trailing backslash at end of expression: ``"),
            Arguments.of("\\e", "invalid escape sequence: `\\e`"),
            Arguments.of("\\Z", "invalid escape sequence: `\\Z`"),
            Arguments.of("\\G", "invalid escape sequence: `\\G`"),
            Arguments.of("\\h", "invalid escape sequence: `\\h`"),
            Arguments.of("\\R", "invalid escape sequence: `\\R`"),
            Arguments.of("\\X", "invalid escape sequence: `\\X`"),
            Arguments.of("\\cA", "invalid escape sequence: `\\c`"),
            Arguments.of("\\k<a>", "invalid escape sequence: `\\k`"),
            Arguments.of("\\C", "invalid escape sequence: `\\C`"),
            Arguments.of("\\é", "invalid escape sequence: `\\é`"),
            Arguments.of("(?x)a", "invalid or unsupported Perl syntax: `(?x`"),
            Arguments.of("(?i-)a", "invalid or unsupported Perl syntax: `(?i-)`"),
            Arguments.of("(?#comment)", "invalid or unsupported Perl syntax: `(?#`"),
            Arguments.of("(?P<>a)", "invalid named capture: `(?P<>`"),
            Arguments.of("[a-\\d]", "invalid escape sequence: `\\d`"),
            Arguments.of("\\x{110000}", "invalid escape sequence"),
            Arguments.of("\\xZ1", "invalid escape sequence"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRegexes")
    void shouldRejectWhatRe2Rejects(final String regex, final String reason) {
        for (final Type type : new Type[] {REGEX, NOT_REGEX}) {
            assertThatThrownBy(() -> LabelMatcher.of(type, "job", regex))
                .isInstanceOf(InvalidMatcherException.class)
                .hasMessageStartingWith(quotedMatcher(type, regex) + ": ")
                .hasMessageContaining("error parsing regexp: " + reason);
        }
    }

    private static String quotedMatcher(final Type type, final String regex) {
        final StringBuilder out = new StringBuilder("job").append(type.operator());
        PromQlQuoting.appendQuoted(out, regex);
        return out.toString();
    }

    static Stream<Arguments> validRe2Only() {
        return Stream.of("(?P<name>a)", "(?<name>a)", "(?)", "(?i-s:a)", "(?U)a*", "a{,3}", "x{", "[[:word:]]",
            "\\pN", "\\p{^Greek}", "\\PL", "[\\p{Lu}\\d]", "^*", "\\b*", "(?m)^a$", "\\0", "\\12", "\\Qa|b",
            "[^\\x00-\\x{10FFFF}]", "\\p{Any}").map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRe2Only")
    void shouldAcceptRe2SyntaxThatJavaSpellsDifferently(final String regex) {
        assertThat(LabelMatcher.of(REGEX, "job", regex).value()).isEqualTo(regex);
    }
}
