package io.tidemark.promql.parser;

import io.tidemark.promql.ast.DurationExpr;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.NumberLiteral;
import io.tidemark.promql.ast.PositionRange;

/**
 * Durations in ranges, subquery steps and offsets: a literal ({@code 5m}, {@code 300}) or, with the experimental
 * duration expressions, arithmetic over them ({@code + - * / % ^}, signs binding like {@code *}, {@code ^}
 * right-associative), {@code step()}, {@code range()}, {@code min_of(a, b)}, {@code max_of(a, b)} and parentheses.
 * The result is a {@link NumberLiteral} (seconds) or a {@link DurationExpr}, as in Prometheus.
 */
final class DurationParser {
    private final TokenStream tokens;
    private final ParserOptions options;

    DurationParser(final TokenStream tokens, final ParserOptions options) {
        this.tokens = tokens;
        this.options = options;
    }

    /** A range or step: a duration expression, which must be positive when it is a plain literal. */
    Expr parsePositive() {
        final Expr duration = parse(1);
        if (duration instanceof NumberLiteral literal && literal.value() <= 0) {
            throw tokens.error(literal.positionRange(), "duration must be greater than 0");
        }
        return duration;
    }

    /**
     * What follows {@code offset}. A literal, a signed literal, {@code step()}, {@code range()}, {@code min_of()},
     * {@code max_of()}, or a sign before one of these or before parentheses, ends the offset, so that
     * {@code foo offset 5m + 1} adds 1 to the selector; a duration expression starting with parentheses continues
     * over the operators after them, as Prometheus' grammar has it.
     */
    Expr parseOffset() {
        final Token first = tokens.peek();
        switch (first.type()) {
            case NUMBER, DURATION -> {
                tokens.next();
                return checkedLiteral(Literals.number(tokens, first), TokenStream.range(first));
            }
            case STEP, RANGE, MAX_OF, MIN_OF -> {
                tokens.next();
                return parseKeyword(first);
            }
            case ADD, SUB -> {
                return parseSignedOffset(first);
            }
            case LEFT_PAREN -> {
                return parse(1);
            }
            default -> throw tokens.unexpected(tokens.next());
        }
    }

    private Expr parseSignedOffset(final Token sign) {
        final Token second = tokens.peekSecond();
        final DurationExpr.Op op = sign.type() == TokenType.SUB ? DurationExpr.Op.SUB : DurationExpr.Op.ADD;
        switch (second.type()) {
            case NUMBER, DURATION -> {
                tokens.next();
                tokens.next();
                final NumberLiteral literal = Literals.number(tokens, second);
                final double value = sign.type() == TokenType.SUB ? -literal.value() : literal.value();
                return checkedLiteral(literal.withValue(value, new PositionRange(sign.position(), second.end())),
                    TokenStream.range(sign));
            }
            case STEP, RANGE, MAX_OF, MIN_OF -> {
                tokens.next();
                tokens.next();
                final DurationExpr inner = parseKeywordUnchecked(second);
                final DurationExpr signed = new DurationExpr(op, null, inner, false, sign.position(), 0);
                return experimental(signed);
            }
            case LEFT_PAREN -> {
                tokens.next();
                final Token open = tokens.next();
                final Expr inner = parse(1);
                final Token close = tokens.expect(TokenType.RIGHT_PAREN);
                return applySign(sign, wrap(inner, open.position(), close.end()));
            }
            default -> {
                return parse(1);
            }
        }
    }

    /** A duration expression whose operators bind at least as tightly as {@code minPrecedence} (1 to 3). */
    private Expr parse(final int minPrecedence) {
        Expr lhs = parsePrimary();
        while (true) {
            final Token opToken = tokens.peek();
            final DurationExpr.Op op = binaryOp(opToken.type());
            final int precedence = precedence(op);
            if (op == null || precedence < minPrecedence) {
                return lhs;
            }
            tokens.next();
            final Expr rhs = parse(op == DurationExpr.Op.POW ? precedence : precedence + 1);
            experimental(lhs);
            if ((op == DurationExpr.Op.DIV || op == DurationExpr.Op.MOD) && rhs instanceof NumberLiteral literal
                && literal.value() == 0) {
                throw tokens.error(TokenStream.range(opToken), op == DurationExpr.Op.DIV ? "division by zero"
                    : "modulo by zero");
            }
            lhs = new DurationExpr(op, lhs, rhs, false, 0, 0);
        }
    }

    private Expr parsePrimary() {
        final Token token = tokens.next();
        return switch (token.type()) {
            case NUMBER, DURATION -> checkedLiteral(Literals.number(tokens, token), TokenStream.range(token));
            case ADD, SUB -> applySign(token, parse(3));
            case STEP, RANGE, MAX_OF, MIN_OF -> parseKeyword(token);
            case LEFT_PAREN -> {
                final Expr inner = parse(1);
                final Token close = tokens.expect(TokenType.RIGHT_PAREN);
                experimental(inner);
                yield wrap(inner, token.position(), close.end());
            }
            default -> throw tokens.unexpected(token);
        };
    }

    private DurationExpr parseKeyword(final Token keyword) {
        return experimental(parseKeywordUnchecked(keyword));
    }

    /** {@code step()}, {@code range()}, {@code min_of(a, b)} or {@code max_of(a, b)}, the keyword consumed. */
    private DurationExpr parseKeywordUnchecked(final Token keyword) {
        tokens.expect(TokenType.LEFT_PAREN);
        if (keyword.type() == TokenType.STEP || keyword.type() == TokenType.RANGE) {
            final Token close = tokens.expect(TokenType.RIGHT_PAREN);
            final DurationExpr.Op op = keyword.type() == TokenType.STEP ? DurationExpr.Op.STEP : DurationExpr.Op.RANGE;
            return new DurationExpr(op, null, null, false, keyword.position(), close.end());
        }
        final Expr first = parse(1);
        tokens.expect(TokenType.COMMA);
        final Expr second = parse(1);
        final Token close = tokens.expect(TokenType.RIGHT_PAREN);
        final DurationExpr.Op op = keyword.type() == TokenType.MIN_OF ? DurationExpr.Op.MIN_OF : DurationExpr.Op.MAX_OF;
        return new DurationExpr(op, first, second, false, keyword.position(), close.end());
    }

    /** Prometheus' {@code applyUnaryOpToDurationExpr}: a minus folds into a literal or wraps an expression. */
    private Expr applySign(final Token sign, final Expr operand) {
        final boolean minus = sign.type() == TokenType.SUB;
        if (operand instanceof DurationExpr expression) {
            return minus ? new DurationExpr(DurationExpr.Op.SUB, null, expression, false, sign.position(), 0)
                : expression;
        }
        final NumberLiteral literal = (NumberLiteral) operand;
        final double value = minus ? -literal.value() : literal.value();
        return checkedLiteral(literal.withValue(value, new PositionRange(sign.position(),
            literal.positionRange().end())), TokenStream.range(sign));
    }

    /** Parentheses kept for printing; a literal in them becomes a wrapped sign-less expression. */
    private static DurationExpr wrap(final Expr inner, final int start, final int end) {
        if (inner instanceof DurationExpr expression) {
            return expression.asWrapped();
        }
        return new DurationExpr(DurationExpr.Op.ADD, null, inner, true, start, end);
    }

    private NumberLiteral checkedLiteral(final NumberLiteral literal, final PositionRange errorRange) {
        if (Literals.durationOutOfRange(literal.value())) {
            throw tokens.error(errorRange, "duration out of range");
        }
        return literal;
    }

    private <T extends Expr> T experimental(final T expr) {
        if (!options.durationExpressions()) {
            throw tokens.error(expr.positionRange(), "experimental duration expression is not enabled");
        }
        return expr;
    }

    private static DurationExpr.Op binaryOp(final TokenType type) {
        return switch (type) {
            case ADD -> DurationExpr.Op.ADD;
            case SUB -> DurationExpr.Op.SUB;
            case MUL -> DurationExpr.Op.MUL;
            case DIV -> DurationExpr.Op.DIV;
            case MOD -> DurationExpr.Op.MOD;
            case POW -> DurationExpr.Op.POW;
            default -> null;
        };
    }

    private static int precedence(final DurationExpr.Op op) {
        if (op == null) {
            return 0;
        }
        return switch (op) {
            case ADD, SUB -> 1;
            case MUL, DIV, MOD -> 2;
            default -> 3;
        };
    }
}
