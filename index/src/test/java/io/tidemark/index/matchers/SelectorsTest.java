package io.tidemark.index.matchers;

import static io.tidemark.index.matchers.LabelMatcher.Type.EQUAL;
import static io.tidemark.index.matchers.LabelMatcher.Type.NOT_EQUAL;
import static io.tidemark.index.matchers.LabelMatcher.Type.NOT_REGEX;
import static io.tidemark.index.matchers.LabelMatcher.Type.REGEX;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelectorsTest {
    private static final String MESSAGE = "vector selector must contain at least one non-empty matcher";

    @Test
    void shouldRejectSelectorWhoseOnlyMatcherMatchesEmpty() {
        for (final LabelMatcher matcher : List.of(LabelMatcher.of(EQUAL, "a", ""), LabelMatcher.of(REGEX, "a", ".*"),
            LabelMatcher.of(REGEX, "a", "|x"), LabelMatcher.of(NOT_REGEX, "a", ".+"),
            LabelMatcher.of(NOT_EQUAL, "a", "x"))) {
            assertThatThrownBy(() -> Selectors.requireNonEmptyMatcher(List.of(matcher)))
                .as(matcher.toString()).isInstanceOf(InvalidMatcherException.class).hasMessage(MESSAGE);
        }
    }

    @Test
    void shouldRejectEmptySelector() {
        assertThatThrownBy(() -> Selectors.requireNonEmptyMatcher(List.of())).hasMessage(MESSAGE);
    }

    @Test
    void shouldAcceptSelectorWithOneNonEmptyMatcher() {
        assertThatCode(() -> Selectors.requireNonEmptyMatcher(
            List.of(LabelMatcher.of(EQUAL, "a", ""), LabelMatcher.of(EQUAL, "b", "x")))).doesNotThrowAnyException();
        assertThatCode(() -> Selectors.requireNonEmptyMatcher(List.of(LabelMatcher.of(REGEX, "a", ".+"))))
            .doesNotThrowAnyException();
        assertThatCode(() -> Selectors.requireNonEmptyMatcher(List.of(LabelMatcher.of(NOT_EQUAL, "a", ""))))
            .doesNotThrowAnyException();
        assertThatCode(() -> Selectors.requireNonEmptyMatcher(
            List.of(LabelMatcher.of(REGEX, "a", ".*"), LabelMatcher.of(NOT_REGEX, "b", ".*"))))
            .doesNotThrowAnyException();
    }
}
