package io.tidemark.promql.parser;

import io.tidemark.index.matchers.InvalidMatcherException;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.matchers.RegexBudgetExceededException;
import io.tidemark.promql.ast.PositionRange;

import java.util.ArrayList;
import java.util.List;

/**
 * The label lists of PromQL: matchers between braces ({@code {job="api", "a.b"=~"x.*"}}, a quoted metric name
 * alone as {@code {"my.metric"}}) and the label lists of {@code by}, {@code without}, {@code on}, {@code ignoring},
 * {@code group_left} and {@code group_right}. Syntax errors are worded as Prometheus' error productions word them.
 */
final class SelectorSyntax {
    private static final String MATCHING = "label matching";
    private static final String GROUPING = "grouping opts";

    private SelectorSyntax() {
    }

    /** The matchers after an opening brace, up to and including the closing one, in the order written. */
    static List<LabelMatcher> parseMatchers(final TokenStream tokens) {
        final List<LabelMatcher> matchers = new ArrayList<>();
        Token token = tokens.next();
        if (token.type() == TokenType.RIGHT_BRACE) {
            return matchers;
        }
        while (true) {
            matchers.add(parseMatcher(tokens, token));
            token = tokens.next();
            if (token.type() == TokenType.COMMA) {
                token = tokens.next();
                if (token.type() == TokenType.RIGHT_BRACE) {
                    return matchers;
                }
            } else if (token.type() == TokenType.RIGHT_BRACE) {
                return matchers;
            } else {
                throw tokens.unexpected(token, MATCHING, "\",\" or \"}\"");
            }
        }
    }

    private static LabelMatcher parseMatcher(final TokenStream tokens, final Token first) {
        final String name;
        if (first.type() == TokenType.IDENTIFIER) {
            name = first.text();
            if (matchType(tokens.peek().type()) == null) {
                throw tokens.unexpected(tokens.next(), MATCHING, "label matching operator");
            }
        } else if (first.type() == TokenType.STRING) {
            name = Literals.unquote(tokens, first);
            if (matchType(tokens.peek().type()) == null) {
                return LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", name);
            }
        } else {
            throw tokens.unexpected(first, MATCHING, "identifier or \"}\"");
        }
        final LabelMatcher.Type type = matchType(tokens.next().type());
        final Token value = tokens.next();
        if (value.type() != TokenType.STRING) {
            throw tokens.unexpected(value, MATCHING, "string");
        }
        final String unquoted = Literals.unquote(tokens, value);
        try {
            return LabelMatcher.of(type, name, unquoted);
        } catch (final InvalidMatcherException invalid) {
            throw tokens.error(new PositionRange(first.position(), value.end()), invalid.reason());
        } catch (final RegexBudgetExceededException tooExpensive) {
            throw tokens.error(new PositionRange(first.position(), value.end()), tooExpensive.getMessage());
        }
    }

    private static LabelMatcher.Type matchType(final TokenType type) {
        return switch (type) {
            case EQL -> LabelMatcher.Type.EQUAL;
            case NEQ -> LabelMatcher.Type.NOT_EQUAL;
            case EQL_REGEX -> LabelMatcher.Type.REGEX;
            case NEQ_REGEX -> LabelMatcher.Type.NOT_REGEX;
            default -> null;
        };
    }

    /** {@code ( label, ... )} after a grouping keyword; labels may be keywords or quoted UTF-8 names. */
    static List<String> parseGroupingLabels(final TokenStream tokens) {
        final Token open = tokens.next();
        if (open.type() != TokenType.LEFT_PAREN) {
            throw tokens.unexpected(open, GROUPING, "\"(\"");
        }
        final List<String> labels = new ArrayList<>();
        if (tokens.peekIs(TokenType.RIGHT_PAREN)) {
            tokens.next();
            return labels;
        }
        while (true) {
            labels.add(parseGroupingLabel(tokens, tokens.next()));
            final Token token = tokens.next();
            if (token.type() == TokenType.RIGHT_PAREN) {
                return labels;
            }
            if (token.type() != TokenType.COMMA) {
                throw tokens.unexpected(token, GROUPING, "\",\" or \")\"");
            }
            if (tokens.peekIs(TokenType.RIGHT_PAREN)) {
                tokens.next();
                return labels;
            }
        }
    }

    private static String parseGroupingLabel(final TokenStream tokens, final Token token) {
        if (token.type() == TokenType.STRING) {
            final String label = Literals.unquote(tokens, token);
            if (label.isEmpty()) {
                throw tokens.error(TokenStream.range(token), "invalid label name for grouping: "
                    + GoText.quote(label));
            }
            return label;
        }
        if (!isLabelToken(token.type())) {
            throw tokens.unexpected(token, GROUPING, "label");
        }
        return token.text();
    }

    /** Prometheus' {@code maybe_label}: identifiers and the keywords that may also be label names. */
    private static boolean isLabelToken(final TokenType type) {
        return switch (type) {
            case IDENTIFIER, METRIC_IDENTIFIER, AVG, BOOL, BOTTOMK, BY, COUNT, COUNT_VALUES, GROUP, GROUP_LEFT,
                 GROUP_RIGHT, FILL, FILL_LEFT, FILL_RIGHT, IGNORING, LAND, LOR, LUNLESS, MAX, MIN, OFFSET, ON,
                 QUANTILE, STDDEV, STDVAR, SUM, TOPK, START, END, ATAN2, LIMITK, LIMIT_RATIO, STEP, RANGE, ANCHORED,
                 SMOOTHED, MAX_OF, MIN_OF -> true;
            default -> false;
        };
    }
}
