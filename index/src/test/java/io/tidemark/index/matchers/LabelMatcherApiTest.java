package io.tidemark.index.matchers;

import static io.tidemark.index.matchers.LabelMatcher.Type.EQUAL;
import static io.tidemark.index.matchers.LabelMatcher.Type.NOT_EQUAL;
import static io.tidemark.index.matchers.LabelMatcher.Type.NOT_REGEX;
import static io.tidemark.index.matchers.LabelMatcher.Type.REGEX;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelMatcherApiTest {
    @Test
    void shouldPrintPromQlFormWithGoQuoting() {
        assertThat(LabelMatcher.of(REGEX, "job", "api|web")).hasToString("job=~\"api|web\"");
        assertThat(LabelMatcher.of(NOT_REGEX, "job", "a\\.b")).hasToString("job!~\"a\\\\.b\"");
        assertThat(LabelMatcher.of(EQUAL, "msg", "say \"hi\"\n\t")).hasToString("msg=\"say \\\"hi\\\"\\n\\t\"");
        assertThat(LabelMatcher.of(NOT_EQUAL, "x", "日本\u0001\u200b")).hasToString("x!=\"日本\\x01\\u200b\"");
        assertThat(LabelMatcher.of(EQUAL, "service.name", "a")).hasToString("\"service.name\"=\"a\"");
        assertThat(LabelMatcher.of(EQUAL, "", "a")).hasToString("\"\"=\"a\"");
    }

    @Test
    void shouldBeEqualOnTypeNameAndValue() {
        assertThat(LabelMatcher.of(REGEX, "a", "b")).isEqualTo(LabelMatcher.of(REGEX, "a", "b"))
            .hasSameHashCodeAs(LabelMatcher.of(REGEX, "a", "b"))
            .isNotEqualTo(LabelMatcher.of(NOT_REGEX, "a", "b"))
            .isNotEqualTo(LabelMatcher.of(REGEX, "a", "c"))
            .isNotEqualTo(LabelMatcher.of(REGEX, "x", "b"));
    }

    @Test
    void shouldOfferFiniteValuesForLiteralShapes() {
        assertThat(LabelMatcher.of(EQUAL, "a", "foo").literalValues()).containsExactly("foo");
        assertThat(LabelMatcher.of(REGEX, "a", "foo").literalValues()).containsExactly("foo");
        assertThat(LabelMatcher.of(REGEX, "a", "a|b|c").literalValues()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(LabelMatcher.of(REGEX, "a", "(a\\.b|c)").literalValues()).containsExactlyInAnyOrder("a.b", "c");
        assertThat(LabelMatcher.of(REGEX, "a", "").literalValues()).containsExactly("");
        assertThat(LabelMatcher.of(REGEX, "a", "a.*").literalValues()).isNull();
        assertThat(LabelMatcher.of(NOT_REGEX, "a", "a|b").literalValues()).isNull();
        assertThat(LabelMatcher.of(NOT_EQUAL, "a", "a").literalValues()).isNull();
    }

    @Test
    void shouldOfferLiteralPrefixOnlyWhenEveryMatchHasIt() {
        assertThat(LabelMatcher.of(REGEX, "a", "foo.*").literalPrefix()).isEqualTo("foo");
        assertThat(LabelMatcher.of(REGEX, "a", "foo\\.bar[0-9]+").literalPrefix()).isEqualTo("foo.bar");
        assertThat(LabelMatcher.of(REGEX, "a", "fo+").literalPrefix()).isEqualTo("f");
        assertThat(LabelMatcher.of(REGEX, "a", "foo|bar.*").literalPrefix()).isEmpty();
        assertThat(LabelMatcher.of(REGEX, "a", "ab[|]c|d").literalPrefix()).isEmpty();
        assertThat(LabelMatcher.of(REGEX, "a", "x[(]|y").literalPrefix()).isEmpty();
        assertThat(LabelMatcher.of(REGEX, "a", "foobar|foobaz").literalPrefix()).isEqualTo("fooba");
        assertThat(LabelMatcher.of(REGEX, "a", "(?i)foo").literalPrefix()).isEmpty();
        assertThat(LabelMatcher.of(NOT_REGEX, "a", "foo.*").literalPrefix()).isEmpty();
    }

    @Test
    void shouldUseFastPathsForCommonShapes() {
        assertThat(LabelMatcher.of(REGEX, "a", "").regexShape()).isEqualTo(CompiledRegex.Shape.EMPTY);
        assertThat(LabelMatcher.of(REGEX, "a", ".*").regexShape()).isEqualTo(CompiledRegex.Shape.ANY);
        assertThat(LabelMatcher.of(REGEX, "a", ".+").regexShape()).isEqualTo(CompiledRegex.Shape.NON_EMPTY);
        assertThat(LabelMatcher.of(REGEX, "a", "a\\.b").regexShape()).isEqualTo(CompiledRegex.Shape.LITERAL);
        assertThat(LabelMatcher.of(REGEX, "a", "(a|b)").regexShape()).isEqualTo(CompiledRegex.Shape.LITERAL_SET);
        assertThat(LabelMatcher.of(REGEX, "a", "foo.*").regexShape()).isEqualTo(CompiledRegex.Shape.PREFIX);
        assertThat(LabelMatcher.of(REGEX, "a", ".*foo").regexShape()).isEqualTo(CompiledRegex.Shape.SUFFIX);
        assertThat(LabelMatcher.of(REGEX, "a", ".*foo.*").regexShape()).isEqualTo(CompiledRegex.Shape.CONTAINS);
        assertThat(LabelMatcher.of(REGEX, "a", "(?i)foo").regexShape()).isEqualTo(CompiledRegex.Shape.FOLDED_LITERAL);
        assertThat(LabelMatcher.of(REGEX, "a", "(?i)ks").regexShape()).isEqualTo(CompiledRegex.Shape.PATTERN);
        assertThat(LabelMatcher.of(EQUAL, "a", "x").regexShape()).isNull();
    }
}
