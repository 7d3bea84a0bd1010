package io.tidemark.promql.parser;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.PositionRange;
import io.tidemark.promql.ast.VectorSelector;

import java.time.Duration;
import java.util.List;

/**
 * Entry points of the PromQL parser. Stateless and thread-safe: every call parses on its own; trees are immutable.
 *
 * <p>Accepts the PromQL of Prometheus 3 (float samples; native-histogram functions and operators parse, see
 * {@link io.tidemark.promql.ast.Function#nativeHistogramOnly()}), with the experimental parts Prometheus hides behind
 * feature flags enabled through {@link ParserOptions}. Errors are {@link PromQlParseException}s worded as
 * Prometheus words them, such as {@code 1:8: parse error: unexpected end of input in offset, expected number,
 * duration, step(), or range()}.
 */
public final class PromQlParser {
    private PromQlParser() {
    }

    /** Parses and type-checks a query with {@link ParserOptions#DEFAULT}. */
    public static Expr parse(final String query) {
        return parse(query, ParserOptions.DEFAULT);
    }

    /**
     * Parses and type-checks a query, as Prometheus' {@code ParseExpr}: a syntax error or a type error (such as
     * {@code rate(foo)}, which wants a range vector) throws {@link PromQlParseException} carrying the first error.
     */
    public static Expr parse(final String query, final ParserOptions options) {
        final TokenStream tokens = new TokenStream(query);
        final Expr expr = new ExpressionParser(tokens, options).parseQuery();
        return new TypeChecker(tokens).check(expr);
    }

    /**
     * Parses a series selector such as a {@code match[]} parameter, {@code up{job="api"}} or {@code {"a.b"="c"}},
     * into its matchers in the order written, a metric name outside braces last, as Prometheus'
     * {@code ParseMetricSelector}. No modifiers are allowed; the rule that some matcher must not match the empty
     * string is left to the caller, as Prometheus' API applies it there.
     */
    public static List<LabelMatcher> parseSeriesSelector(final String selector) {
        final TokenStream tokens = new TokenStream(selector);
        final Token first = tokens.next();
        final VectorSelector parsed = switch (first.type()) {
            case LEFT_BRACE -> VectorSelector.of("", SelectorSyntax.parseMatchers(tokens), PositionRange.NONE);
            case IDENTIFIER, METRIC_IDENTIFIER, AVG, BOTTOMK, BY, COUNT, COUNT_VALUES, FILL, FILL_LEFT, FILL_RIGHT,
                 GROUP, LAND, LOR, LUNLESS, MAX, MIN, OFFSET, QUANTILE, STDDEV, STDVAR, SUM, TOPK, WITHOUT, START, END,
                 LIMITK, LIMIT_RATIO, STEP, RANGE, ANCHORED, SMOOTHED, MAX_OF, MIN_OF -> namedSelector(tokens, first);
            default -> throw tokens.unexpected(first);
        };
        final Token trailing = tokens.next();
        if (trailing.type() != TokenType.EOF) {
            throw tokens.unexpected(trailing);
        }
        return parsed.matchers();
    }

    private static VectorSelector namedSelector(final TokenStream tokens, final Token name) {
        final List<LabelMatcher> matchers = new java.util.ArrayList<>();
        if (tokens.peekIs(TokenType.LEFT_BRACE)) {
            tokens.next();
            matchers.addAll(SelectorSyntax.parseMatchers(tokens));
        }
        matchers.add(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", name.text()));
        return VectorSelector.of(name.text(), matchers, PositionRange.NONE);
    }

    /**
     * Parses a duration in Prometheus' syntax ({@code model.ParseDuration}): {@code 1h30m}, {@code 5m}, {@code 1y},
     * {@code 1w}, {@code 1d}, {@code 1ms}, or {@code 0}. Units go from the largest to the smallest, each once.
     * Throws {@link IllegalArgumentException} with Prometheus' message, such as
     * {@code not a valid duration string: "1.5m"}. Float seconds, which the HTTP API also accepts, are the caller's.
     */
    public static Duration parseDuration(final String text) {
        return ModelDuration.parse(text);
    }
}
