package io.tidemark.promql.parser;

import io.tidemark.index.matchers.InvalidMatcherException;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.matchers.Selectors;
import io.tidemark.promql.ast.AggregateExpr;
import io.tidemark.promql.ast.AggregateOp;
import io.tidemark.promql.ast.BinaryExpr;
import io.tidemark.promql.ast.Call;
import io.tidemark.promql.ast.DurationExpr;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.Function;
import io.tidemark.promql.ast.MatrixSelector;
import io.tidemark.promql.ast.NumberLiteral;
import io.tidemark.promql.ast.ParenExpr;
import io.tidemark.promql.ast.PositionRange;
import io.tidemark.promql.ast.StringLiteral;
import io.tidemark.promql.ast.SubqueryExpr;
import io.tidemark.promql.ast.UnaryExpr;
import io.tidemark.promql.ast.ValueType;
import io.tidemark.promql.ast.VectorMatching;
import io.tidemark.promql.ast.VectorSelector;

import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus' {@code checkAST}: the type rules of PromQL, checked depth first in Prometheus' order so that the first
 * error is the one Prometheus reports. It also settles what the rules imply, as Prometheus does: set operators match
 * many-to-many, operations with a scalar side carry no vector matching, and {@code info()}'s label selector is exempt
 * from the non-empty matcher rule. Returns the settled tree.
 */
final class TypeChecker {
    private final TokenStream tokens;

    TypeChecker(final TokenStream tokens) {
        this.tokens = tokens;
    }

    Expr check(final Expr expr) {
        return switch (expr) {
            case AggregateExpr aggregate -> checkAggregate(aggregate);
            case BinaryExpr binary -> checkBinary(binary);
            case Call call -> checkCall(call);
            case ParenExpr paren -> new ParenExpr(check(paren.expr()), paren.positionRange());
            case UnaryExpr unary -> checkUnary(unary);
            case SubqueryExpr subquery -> checkSubquery(subquery);
            case MatrixSelector matrix -> matrix.withSelector((VectorSelector) check(matrix.selector()),
                matrix.endPosition());
            case VectorSelector selector -> checkSelector(selector);
            case NumberLiteral literal -> literal;
            case StringLiteral literal -> literal;
            case DurationExpr duration -> duration;
        };
    }

    private Expr expectType(final Expr expr, final ValueType wanted, final String context) {
        final Expr checked = check(expr);
        if (checked.type() != wanted) {
            throw tokens.error(expr.positionRange(), "expected type " + wanted.documentedName() + " in " + context
                + ", got " + checked.type().documentedName());
        }
        return checked;
    }

    private Expr checkAggregate(final AggregateExpr aggregate) {
        final Expr expr = expectType(aggregate.expr(), ValueType.VECTOR, "aggregation expression");
        Expr param = aggregate.param();
        final AggregateOp op = aggregate.op();
        if (op.hasParam()) {
            param = expectType(param, op.paramType(), "aggregation parameter");
        }
        return new AggregateExpr(op, expr, param, aggregate.grouping(), aggregate.without(),
            aggregate.positionRange());
    }

    private Expr checkBinary(final BinaryExpr binary) {
        final Expr lhs = check(binary.lhs());
        final Expr rhs = check(binary.rhs());
        final ValueType lt = lhs.type();
        final ValueType rt = rhs.type();
        final var op = binary.op();
        VectorMatching matching = binary.matching();
        if (binary.returnBool() && !op.isComparison()) {
            throw tokens.error(operatorRange(lhs, rhs), "bool modifier can only be used on comparison operators");
        }
        if (op.isComparison() && !binary.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw tokens.error(operatorRange(lhs, rhs), "comparisons between scalars must use BOOL modifier");
        }
        if (op.isSetOperator() && matching.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
            matching = matching.withCardinality(VectorMatching.Cardinality.MANY_TO_MANY);
        }
        if (matching.on()) {
            for (final String label : matching.matchingLabels()) {
                if (matching.include().contains(label)) {
                    throw tokens.error(operatorRange(lhs, rhs), "label " + GoText.quote(label)
                        + " must not occur in ON and GROUP clause at once");
                }
            }
        }
        if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
            throw tokens.error(lhs.positionRange(), "binary expression must contain only scalar and instant vector types");
        }
        if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
            throw tokens.error(rhs.positionRange(), "binary expression must contain only scalar and instant vector types");
        }
        final PositionRange range = binary.positionRange();
        if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
            if (!matching.matchingLabels().isEmpty()) {
                throw tokens.error(range, "vector matching only allowed between instant vectors");
            }
            if (matching.hasFill()) {
                throw tokens.error(range, "filling in missing series only allowed between instant vectors");
            }
            matching = null;
        } else if (op.isSetOperator()) {
            final VectorMatching.Cardinality card = matching.cardinality();
            if (card == VectorMatching.Cardinality.ONE_TO_MANY || card == VectorMatching.Cardinality.MANY_TO_ONE) {
                throw tokens.error(range, "no grouping allowed for " + GoText.quote(op.text()) + " operation");
            }
            if (card != VectorMatching.Cardinality.MANY_TO_MANY) {
                throw tokens.error(range, "set operations must always be many-to-many");
            }
            if (matching.hasFill()) {
                throw tokens.error(range, "filling in missing series not allowed for set operators");
            }
        }
        if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
            throw tokens.error(range, "set operator " + GoText.quote(op.text())
                + " not allowed in binary scalar expression");
        }
        return new BinaryExpr(op, lhs, rhs, matching, binary.returnBool());
    }

    /** The operator between the operands, spaces trimmed, where Prometheus places operator errors. */
    private PositionRange operatorRange(final Expr lhs, final Expr rhs) {
        final Lexer lexer = tokens.lexer();
        int start = lhs.positionRange().end();
        while (start < lexer.length() && Lexer.isSpace(lexer.byteAt(start))) {
            start++;
        }
        int end = rhs.positionRange().start() - 1;
        while (end > start && Lexer.isSpace(lexer.byteAt(end))) {
            end--;
        }
        return new PositionRange(start, end);
    }

    private Expr checkCall(final Call call) {
        final Function function = call.function();
        final int count = call.args().size();
        final String quotedName = GoText.quote(function.name());
        if (function.variadic() == 0) {
            if (count != function.argTypes().size()) {
                throw tokens.error(call.positionRange(), "expected " + function.argTypes().size()
                    + " argument(s) in call to " + quotedName + ", got " + count);
            }
        } else if (count < function.minArgs()) {
            throw tokens.error(call.positionRange(), "expected at least " + function.minArgs()
                + " argument(s) in call to " + quotedName + ", got " + count);
        } else if (count > function.maxArgs()) {
            throw tokens.error(call.positionRange(), "expected at most " + function.maxArgs()
                + " argument(s) in call to " + quotedName + ", got " + count);
        }
        final List<Expr> args = new ArrayList<>(call.args());
        if (function.name().equals("info") && count > 1) {
            args.set(1, checkInfoSelector(call, args.get(1)));
        }
        for (int i = 0; i < args.size(); i++) {
            if (i >= function.argTypes().size() && function.variadic() == 0) {
                break;
            }
            final Expr checked = check(args.get(i));
            final ValueType wanted = function.argType(i);
            if (checked.type() != wanted) {
                throw tokens.error(args.get(i).positionRange(), "expected type " + wanted.documentedName()
                    + " in call to function " + quotedName + ", got " + checked.type().documentedName());
            }
            args.set(i, checked);
        }
        return new Call(function, args, call.positionRange());
    }

    /** {@code info()}'s second argument must be a selector of labels only, which may match everything. */
    private Expr checkInfoSelector(final Call call, final Expr selectorArg) {
        if (selectorArg.type() != ValueType.VECTOR) {
            throw tokens.error(call.positionRange(), "expected type instant vector in call to function \"info\", got "
                + selectorArg.type().documentedName());
        }
        if (selectorArg instanceof VectorSelector selector) {
            if (!selector.name().isEmpty()) {
                throw tokens.error(selector.positionRange(),
                    "expected label selectors only, got vector selector instead");
            }
            return selector.withBypassEmptyMatcherCheck();
        }
        throw tokens.error(selectorArg.positionRange(), "expected label selectors only");
    }

    private Expr checkUnary(final UnaryExpr unary) {
        final Expr operand = check(unary.expr());
        if (operand.type() != ValueType.SCALAR && operand.type() != ValueType.VECTOR) {
            throw tokens.error(unary.positionRange(), "unary expression only allowed on expressions of type scalar or "
                + "instant vector, got " + GoText.quote(operand.type().documentedName()));
        }
        return new UnaryExpr(unary.op(), operand, unary.startPosition());
    }

    private Expr checkSubquery(final SubqueryExpr subquery) {
        final Expr inner = check(subquery.expr());
        if (inner.type() != ValueType.VECTOR) {
            throw tokens.error(subquery.positionRange(), "subquery is only allowed on instant vector, got "
                + inner.type().internalName() + " instead");
        }
        return subquery.withExpr(inner);
    }

    private Expr checkSelector(final VectorSelector selector) {
        final List<LabelMatcher> matchers = selector.matchers();
        if (!selector.name().isEmpty()) {
            for (final LabelMatcher matcher : matchers.subList(0, matchers.size() - 1)) {
                if (matcher.name().equals("__name__")) {
                    throw tokens.error(selector.positionRange(), "metric name must not be set twice: "
                        + GoText.quote(selector.name()) + " or " + GoText.quote(matcher.value()));
                }
            }
            return selector;
        }
        if (!selector.bypassEmptyMatcherCheck()) {
            try {
                Selectors.requireNonEmptyMatcher(matchers);
            } catch (final InvalidMatcherException allMatchEmpty) {
                throw tokens.error(selector.positionRange(), allMatchEmpty.reason());
            }
        }
        return selector;
    }
}
