package io.tidemark.promql.parser;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.promql.ast.AggregateExpr;
import io.tidemark.promql.ast.AggregateOp;
import io.tidemark.promql.ast.BinaryExpr;
import io.tidemark.promql.ast.BinaryOp;
import io.tidemark.promql.ast.Call;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.Function;
import io.tidemark.promql.ast.Functions;
import io.tidemark.promql.ast.NumberLiteral;
import io.tidemark.promql.ast.ParenExpr;
import io.tidemark.promql.ast.PositionRange;
import io.tidemark.promql.ast.UnaryExpr;
import io.tidemark.promql.ast.VectorMatching;
import io.tidemark.promql.ast.VectorSelector;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive descent over Prometheus' expression grammar ({@code generated_parser.y}): precedence climbing for the
 * binary operators, signs binding like {@code *}, and the postfix modifiers ({@code [range]}, {@code [range:step]},
 * {@code offset}, {@code @}, {@code anchored}, {@code smoothed}) binding tightest. Where the yacc grammar resolves an
 * ambiguity by its conflict rules, this parser makes the same choice (for example an aggregation keyword not followed
 * by {@code (}, {@code by} or {@code without} is a metric name, and {@code group_left (x)} takes {@code (x)} as its
 * label list). Semantic checks that Prometheus makes while parsing happen here at the same point, so the first error
 * reported is the one Prometheus reports; type checks come after, in {@link TypeChecker}.
 */
final class ExpressionParser {
    /** Precedence that a sign's operand extends to: only {@code ^} binds tighter than a sign. */
    private static final int SIGN_OPERAND_PRECEDENCE = 6;

    private final TokenStream tokens;
    private final ParserOptions options;
    private final ModifierParser modifiers;

    ExpressionParser(final TokenStream tokens, final ParserOptions options) {
        this.tokens = tokens;
        this.options = options;
        this.modifiers = new ModifierParser(tokens, options);
    }

    /** The whole input as one expression, or "no expression found in input" if it holds none. */
    Expr parseQuery() {
        if (tokens.peekIs(TokenType.EOF)) {
            throw tokens.error(new PositionRange(0, 0), "no expression found in input");
        }
        final Expr expr = parseExpr(1);
        final Token trailing = tokens.next();
        if (trailing.type() != TokenType.EOF) {
            throw tokens.unexpected(trailing);
        }
        return expr;
    }

    /** An expression whose binary operators all bind at least as tightly as {@code minPrecedence}. */
    Expr parseExpr(final int minPrecedence) {
        Expr lhs = parseSigned();
        while (true) {
            final BinaryOp op = binaryOp(tokens.peek().type());
            if (op == null || op.precedence() < minPrecedence) {
                return lhs;
            }
            tokens.next();
            final boolean returnBool = tokens.peekIs(TokenType.BOOL);
            if (returnBool) {
                tokens.next();
            }
            final VectorMatching matching = modifiers.parseMatching();
            final Expr rhs = parseExpr(op.isRightAssociative() ? op.precedence() : op.precedence() + 1);
            final BinaryExpr binary = new BinaryExpr(op, lhs, rhs, matching, returnBool);
            if (matching.hasFill() && !options.binopFillModifiers()) {
                throw tokens.error(binary.positionRange(), "binop fill modifiers are experimental and not enabled");
            }
            lhs = binary;
        }
    }

    private Expr parseSigned() {
        final Token sign = tokens.peek();
        if (sign.type() != TokenType.ADD && sign.type() != TokenType.SUB) {
            return parsePostfix(parsePrimary());
        }
        tokens.next();
        final Expr operand = parseExpr(SIGN_OPERAND_PRECEDENCE);
        final boolean minus = sign.type() == TokenType.SUB;
        if (operand instanceof NumberLiteral literal) {
            return literal.withValue(minus ? -literal.value() : literal.value(),
                new PositionRange(sign.position(), literal.positionRange().end()));
        }
        return new UnaryExpr(minus ? UnaryExpr.Op.MINUS : UnaryExpr.Op.PLUS, operand, sign.position());
    }

    private Expr parsePostfix(final Expr primary) {
        Expr expr = primary;
        while (true) {
            switch (tokens.peek().type()) {
                case LEFT_BRACKET -> expr = modifiers.parseRangeOrSubquery(expr);
                case OFFSET -> expr = modifiers.parseOffset(expr);
                case AT -> expr = modifiers.parseAt(expr);
                case ANCHORED, SMOOTHED -> expr = modifiers.parseExtendedRange(expr);
                default -> {
                    return expr;
                }
            }
        }
    }

    private Expr parsePrimary() {
        final Token token = tokens.next();
        return switch (token.type()) {
            case NUMBER, DURATION -> Literals.number(tokens, token);
            case STRING -> Literals.string(tokens, token);
            case LEFT_PAREN -> {
                final Expr inner = parseExpr(1);
                final Token close = tokens.expect(TokenType.RIGHT_PAREN);
                yield new ParenExpr(inner, new PositionRange(token.position(), close.end()));
            }
            case LEFT_BRACE -> selector("", token);
            case IDENTIFIER, START, END, STEP, RANGE, MAX_OF, MIN_OF ->
                tokens.peekIs(TokenType.LEFT_PAREN) ? parseCall(token) : metric(token);
            case SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR, TOPK, BOTTOMK, COUNT_VALUES, QUANTILE, LIMITK,
                 LIMIT_RATIO -> startsAggregation(tokens.peek().type()) ? parseAggregation(token) : metric(token);
            case METRIC_IDENTIFIER, BY, WITHOUT, LAND, LOR, LUNLESS, OFFSET, FILL, FILL_LEFT, FILL_RIGHT, ANCHORED,
                 SMOOTHED -> metric(token);
            default -> throw tokens.unexpected(token);
        };
    }

    private static boolean startsAggregation(final TokenType next) {
        return next == TokenType.LEFT_PAREN || next == TokenType.BY || next == TokenType.WITHOUT;
    }

    /** A metric name, with or without braces after it. */
    private VectorSelector metric(final Token name) {
        if (tokens.peekIs(TokenType.LEFT_BRACE)) {
            return selector(name.text(), name);
        }
        final List<LabelMatcher> matchers = List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", name.text()));
        return VectorSelector.of(name.text(), matchers, TokenStream.range(name));
    }

    /** Braces, opened by {@code first} or just after the metric name {@code first}. */
    private VectorSelector selector(final String name, final Token first) {
        if (first.type() != TokenType.LEFT_BRACE) {
            tokens.next();
        }
        final List<LabelMatcher> matchers = new ArrayList<>(SelectorSyntax.parseMatchers(tokens));
        if (!name.isEmpty()) {
            matchers.add(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", name));
        }
        return VectorSelector.of(name, matchers, new PositionRange(first.position(), tokens.lastEnd()));
    }

    private Call parseCall(final Token name) {
        final List<Expr> args = parseArguments();
        final Function function = Functions.byName(name.text());
        final boolean known = function != null
            && (!function.prometheus2Only() || options.compat() == ParserOptions.Compat.PROMETHEUS2);
        if (!known) {
            throw tokens.error(TokenStream.range(name), "unknown function with name " + GoText.quote(name.text()));
        }
        if (function.experimental() && !options.experimentalFunctions()) {
            throw tokens.error(TokenStream.range(name), "function " + GoText.quote(name.text()) + " is not enabled");
        }
        return new Call(function, args, new PositionRange(name.position(), tokens.lastEnd()));
    }

    /** {@code ( [expr {, expr}] )}, the body of a call or an aggregation. */
    private List<Expr> parseArguments() {
        tokens.expect(TokenType.LEFT_PAREN);
        final List<Expr> args = new ArrayList<>();
        if (tokens.peekIs(TokenType.RIGHT_PAREN)) {
            tokens.next();
            return args;
        }
        while (true) {
            args.add(parseExpr(1));
            final Token token = tokens.next();
            if (token.type() == TokenType.RIGHT_PAREN) {
                return args;
            }
            if (token.type() != TokenType.COMMA) {
                throw tokens.unexpected(token);
            }
            if (tokens.peekIs(TokenType.RIGHT_PAREN)) {
                throw tokens.error(TokenStream.range(token), "trailing commas not allowed in function call args");
            }
        }
    }

    private AggregateExpr parseAggregation(final Token opToken) {
        final AggregateOp op = AggregateOp.valueOf(opToken.type().name());
        tokens.pushContext("aggregation", "");
        List<String> grouping = List.of();
        boolean without = false;
        boolean modifierSeen = false;
        if (tokens.peekIs(TokenType.BY) || tokens.peekIs(TokenType.WITHOUT)) {
            without = tokens.next().type() == TokenType.WITHOUT;
            grouping = SelectorSyntax.parseGroupingLabels(tokens);
            modifierSeen = true;
        }
        final List<Expr> args = parseArguments();
        if (!modifierSeen && (tokens.peekIs(TokenType.BY) || tokens.peekIs(TokenType.WITHOUT))) {
            without = tokens.next().type() == TokenType.WITHOUT;
            grouping = SelectorSyntax.parseGroupingLabels(tokens);
        }
        tokens.popContext();
        final PositionRange range = new PositionRange(opToken.position(), tokens.lastEnd());
        if (args.isEmpty()) {
            throw tokens.error(range, "no arguments for aggregate expression provided");
        }
        int wanted = 1;
        Expr param = null;
        if (op.hasParam()) {
            if (op.isExperimental() && !options.experimentalFunctions()) {
                throw tokens.error(range, op.keyword()
                    + "() is experimental and must be enabled with --enable-feature=promql-experimental-functions");
            }
            wanted = 2;
            param = args.getFirst();
        }
        if (args.size() != wanted) {
            throw tokens.error(range, "wrong number of arguments for aggregate expression provided, expected "
                + wanted + ", got " + args.size());
        }
        return new AggregateExpr(op, args.get(wanted - 1), param, grouping, without, range);
    }

    private static BinaryOp binaryOp(final TokenType type) {
        return switch (type) {
            case ADD -> BinaryOp.ADD;
            case SUB -> BinaryOp.SUB;
            case MUL -> BinaryOp.MUL;
            case DIV -> BinaryOp.DIV;
            case MOD -> BinaryOp.MOD;
            case ATAN2 -> BinaryOp.ATAN2;
            case POW -> BinaryOp.POW;
            case EQLC -> BinaryOp.EQL;
            case NEQ -> BinaryOp.NEQ;
            case GTR -> BinaryOp.GTR;
            case LSS -> BinaryOp.LSS;
            case GTE -> BinaryOp.GTE;
            case LTE -> BinaryOp.LTE;
            case TRIM_UPPER -> BinaryOp.TRIM_UPPER;
            case TRIM_LOWER -> BinaryOp.TRIM_LOWER;
            case LAND -> BinaryOp.AND;
            case LOR -> BinaryOp.OR;
            case LUNLESS -> BinaryOp.UNLESS;
            default -> null;
        };
    }
}
