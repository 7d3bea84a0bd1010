package io.tidemark.promql.parser;

import io.tidemark.promql.ast.AtModifier;
import io.tidemark.promql.ast.DurationExpr;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.MatrixSelector;
import io.tidemark.promql.ast.NumberLiteral;
import io.tidemark.promql.ast.Offset;
import io.tidemark.promql.ast.PositionRange;
import io.tidemark.promql.ast.SubqueryExpr;
import io.tidemark.promql.ast.VectorMatching;
import io.tidemark.promql.ast.VectorSelector;

import java.time.Duration;
import java.util.List;

/**
 * The modifiers around expressions: vector matching after a binary operator ({@code on}, {@code ignoring},
 * {@code group_left}, {@code group_right}, {@code fill}), and the postfix ones after an expression ({@code [5m]},
 * {@code [1h:5m]}, {@code offset}, {@code @}, {@code anchored}, {@code smoothed}), with Prometheus' checks of where
 * each may stand.
 */
final class ModifierParser {
    private static final String DURATION_EXPECTED = "number, duration, step(), or range()";
    private static final String PRECEDED_BY = " must be preceded by an instant vector selector or range vector "
        + "selector or a subquery";

    private final TokenStream tokens;
    private final ParserOptions options;
    private final DurationParser durations;

    ModifierParser(final TokenStream tokens, final ParserOptions options) {
        this.tokens = tokens;
        this.options = options;
        this.durations = new DurationParser(tokens, options);
    }

    /** The matching modifiers after a binary operator and its {@code bool}; the default when none is written. */
    VectorMatching parseMatching() {
        boolean on = false;
        List<String> matchingLabels = List.of();
        VectorMatching.Cardinality cardinality = VectorMatching.Cardinality.ONE_TO_ONE;
        List<String> include = List.of();
        final TokenType first = tokens.peek().type();
        if (first == TokenType.ON || first == TokenType.IGNORING) {
            tokens.next();
            on = first == TokenType.ON;
            matchingLabels = SelectorSyntax.parseGroupingLabels(tokens);
            final TokenType group = tokens.peek().type();
            if (group == TokenType.GROUP_LEFT || group == TokenType.GROUP_RIGHT) {
                tokens.next();
                cardinality = group == TokenType.GROUP_LEFT ? VectorMatching.Cardinality.MANY_TO_ONE
                    : VectorMatching.Cardinality.ONE_TO_MANY;
                if (tokens.peekIs(TokenType.LEFT_PAREN)) {
                    include = SelectorSyntax.parseGroupingLabels(tokens);
                }
            }
        }
        Double fillLeft = null;
        Double fillRight = null;
        final TokenType fill = tokens.peek().type();
        if (fill == TokenType.FILL) {
            tokens.next();
            fillLeft = parseFillValue();
            fillRight = fillLeft;
        } else if (fill == TokenType.FILL_LEFT || fill == TokenType.FILL_RIGHT) {
            tokens.next();
            final double value = parseFillValue();
            final TokenType other = fill == TokenType.FILL_LEFT ? TokenType.FILL_RIGHT : TokenType.FILL_LEFT;
            final Double otherValue = tokens.peekIs(other) ? nextFillValue() : null;
            fillLeft = fill == TokenType.FILL_LEFT ? Double.valueOf(value) : otherValue;
            fillRight = fill == TokenType.FILL_RIGHT ? Double.valueOf(value) : otherValue;
        }
        return new VectorMatching(cardinality, matchingLabels, on, include, fillLeft, fillRight);
    }

    private Double nextFillValue() {
        tokens.next();
        return parseFillValue();
    }

    /** {@code ( [+|-] number )}. */
    private double parseFillValue() {
        tokens.expect(TokenType.LEFT_PAREN);
        Token token = tokens.next();
        double sign = 1;
        if (token.type() == TokenType.ADD || token.type() == TokenType.SUB) {
            sign = token.type() == TokenType.SUB ? -1 : 1;
            token = tokens.next();
        }
        if (token.type() != TokenType.NUMBER && token.type() != TokenType.DURATION) {
            throw tokens.unexpected(token);
        }
        final double value = sign * Literals.value(tokens, token);
        tokens.expect(TokenType.RIGHT_PAREN);
        return value;
    }

    /** {@code [range]} after a vector selector, or {@code [range:step]} / {@code [range:]} after any expression. */
    Expr parseRangeOrSubquery(final Expr expr) {
        final Token open = tokens.next();
        tokens.pushContext("subquery or range selector", DURATION_EXPECTED);
        final Expr range = durations.parsePositive();
        tokens.replaceContext("subquery or range", "\":\" or \"]\"");
        final Token token = tokens.next();
        if (token.type() == TokenType.RIGHT_BRACKET) {
            tokens.popContext();
            return matrix(expr, range, new PositionRange(open.position(), token.end()));
        }
        if (token.type() != TokenType.COLON) {
            throw tokens.unexpected(token);
        }
        tokens.replaceContext("subquery selector", "number, duration, step(), range(), or \"]\"");
        Expr step = null;
        if (!tokens.peekIs(TokenType.RIGHT_BRACKET)) {
            step = durations.parsePositive();
            tokens.replaceContext("subquery selector", "\"]\"");
        }
        final Token close = tokens.expect(TokenType.RIGHT_BRACKET);
        tokens.popContext();
        return new SubqueryExpr(expr, fixed(range), dynamic(range), step == null ? Duration.ZERO : fixed(step),
            step == null ? null : dynamic(step), Offset.NONE, AtModifier.NONE, close.end());
    }

    private MatrixSelector matrix(final Expr expr, final Expr range, final PositionRange brackets) {
        final String problem;
        if (!(expr instanceof VectorSelector selector)) {
            problem = "ranges only allowed for vector selectors";
        } else if (selector.offset().isSet()) {
            problem = "no offset modifiers allowed before range";
        } else if (selector.at().isSet()) {
            problem = "no @ modifiers allowed before range";
        } else {
            return new MatrixSelector(selector, fixed(range), dynamic(range), brackets.end());
        }
        throw tokens.error(brackets, problem);
    }

    private static Duration fixed(final Expr duration) {
        return duration instanceof NumberLiteral literal ? Literals.secondsToDuration(literal.value()) : Duration.ZERO;
    }

    private static DurationExpr dynamic(final Expr duration) {
        return duration instanceof DurationExpr expression ? expression : null;
    }

    /** {@code offset <duration>} after a selector or subquery. */
    Expr parseOffset(final Expr expr) {
        tokens.next();
        tokens.pushContext("offset", DURATION_EXPECTED);
        final Expr duration = durations.parseOffset();
        tokens.popContext();
        final Offset offset = duration instanceof NumberLiteral literal
            ? Offset.of(Literals.secondsToDuration(literal.value())) : Offset.of((DurationExpr) duration);
        final int end = tokens.lastEnd();
        return switch (expr) {
            case VectorSelector selector -> {
                requireNoOffset(selector.offset(), expr);
                yield selector.withOffset(offset, end);
            }
            case MatrixSelector matrix -> {
                requireNoOffset(matrix.selector().offset(), expr);
                yield matrix.withSelector(matrix.selector().withOffset(offset,
                    matrix.selector().positionRange().end()), end);
            }
            case SubqueryExpr subquery -> {
                requireNoOffset(subquery.offset(), expr);
                yield subquery.withOffset(offset, end);
            }
            default -> throw tokens.error(expr.positionRange(), "offset modifier" + PRECEDED_BY);
        };
    }

    private void requireNoOffset(final Offset existing, final Expr expr) {
        if (existing.isSet()) {
            throw tokens.error(expr.positionRange(), "offset may not be set multiple times");
        }
    }

    /** {@code @ <seconds>}, {@code @ start()} or {@code @ end()} after a selector or subquery. */
    Expr parseAt(final Expr expr) {
        tokens.next();
        tokens.pushContext("@", "timestamp");
        final AtModifier at = parseAtValue(expr);
        tokens.popContext();
        final int end = tokens.lastEnd();
        final AtModifier existing = switch (expr) {
            case VectorSelector selector -> selector.at();
            case MatrixSelector matrix -> matrix.selector().at();
            case SubqueryExpr subquery -> subquery.at();
            default -> throw tokens.error(expr.positionRange(), "@ modifier" + PRECEDED_BY);
        };
        if (existing.isSet()) {
            throw tokens.error(expr.positionRange(), "@ <timestamp> may not be set multiple times");
        }
        return switch (expr) {
            case VectorSelector selector -> selector.withAt(at, end);
            case MatrixSelector matrix -> matrix.withSelector(matrix.selector().withAt(at,
                matrix.selector().positionRange().end()), end);
            case SubqueryExpr subquery -> subquery.withAt(at, end);
            default -> throw new IllegalStateException("unreachable: " + expr);
        };
    }

    private AtModifier parseAtValue(final Expr expr) {
        Token token = tokens.next();
        if (token.type() == TokenType.START || token.type() == TokenType.END) {
            tokens.expect(TokenType.LEFT_PAREN);
            tokens.expect(TokenType.RIGHT_PAREN);
            return token.type() == TokenType.START ? AtModifier.START : AtModifier.END;
        }
        double sign = 1;
        if (token.type() == TokenType.ADD || token.type() == TokenType.SUB) {
            sign = token.type() == TokenType.SUB ? -1 : 1;
            token = tokens.next();
        }
        if (token.type() != TokenType.NUMBER && token.type() != TokenType.DURATION) {
            throw tokens.unexpected(token);
        }
        final double seconds = sign * Literals.value(tokens, token);
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds >= 9.223372036854775807e18
            || seconds <= -9.223372036854775808e18) {
            throw tokens.error(expr.positionRange(), "timestamp out of bounds for @ modifier: "
                + io.tidemark.promql.ast.PromQlFormat.sixDecimals(seconds));
        }
        return AtModifier.at((long) Literals.goRound(seconds * 1000));
    }

    /** {@code anchored} or {@code smoothed} after a selector (experimental). */
    Expr parseExtendedRange(final Expr expr) {
        final Token token = tokens.next();
        final boolean anchored = token.type() == TokenType.ANCHORED;
        final String name = anchored ? "anchored" : "smoothed";
        if (!options.extendedRangeSelectors()) {
            throw tokens.error(expr.positionRange(), name + " modifier is experimental and not enabled");
        }
        final VectorSelector selector = switch (expr) {
            case VectorSelector vector -> vector;
            case MatrixSelector matrix -> matrix.selector();
            case SubqueryExpr subquery -> throw tokens.error(expr.positionRange(),
                name + " modifier is not supported for subqueries");
            default -> throw tokens.error(expr.positionRange(), name + " modifier not implemented");
        };
        if (anchored ? selector.smoothed() : selector.anchored()) {
            throw tokens.error(expr.positionRange(), "anchored and smoothed modifiers cannot be used together");
        }
        final VectorSelector updated = selector.withExtendedRange(anchored || selector.anchored(),
            !anchored || selector.smoothed());
        return expr instanceof MatrixSelector matrix ? matrix.withSelector(updated, matrix.endPosition()) : updated;
    }
}
