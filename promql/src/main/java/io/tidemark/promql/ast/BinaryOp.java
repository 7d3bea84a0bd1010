package io.tidemark.promql.ast;

/**
 * The binary operators of PromQL with their precedence (higher binds tighter) and associativity, from Prometheus'
 * grammar: {@code or} &lt; {@code and unless} &lt; comparisons and the histogram trim operators &lt; {@code + -}
 * &lt; {@code * / % atan2} &lt; {@code ^}, which alone is right-associative.
 */
public enum BinaryOp {
    /** {@code +}. */
    ADD("+", 4),
    /** {@code -}. */
    SUB("-", 4),
    /** {@code *}. */
    MUL("*", 5),
    /** {@code /}. */
    DIV("/", 5),
    /** {@code %}. */
    MOD("%", 5),
    /** {@code atan2}. */
    ATAN2("atan2", 5),
    /** {@code ^}, right-associative. */
    POW("^", 6),
    /** {@code ==}. */
    EQL("==", 3),
    /** {@code !=}. */
    NEQ("!=", 3),
    /** {@code >}. */
    GTR(">", 3),
    /** {@code <}. */
    LSS("<", 3),
    /** {@code >=}. */
    GTE(">=", 3),
    /** {@code <=}. */
    LTE("<=", 3),
    /** {@code </}: trims a native histogram's buckets above a value; meaningless (info annotation) on floats. */
    TRIM_UPPER("</", 3),
    /** {@code >/}: trims a native histogram's buckets below a value; meaningless (info annotation) on floats. */
    TRIM_LOWER(">/", 3),
    /** {@code and}: set intersection. */
    AND("and", 2),
    /** {@code unless}: set difference. */
    UNLESS("unless", 2),
    /** {@code or}: set union. */
    OR("or", 1);

    private final String text;
    private final int precedence;

    BinaryOp(final String text, final int precedence) {
        this.text = text;
        this.precedence = precedence;
    }

    /** The PromQL spelling, such as {@code ==} or {@code unless}. */
    public String text() {
        return text;
    }

    /** Binding strength, 1 ({@code or}) to 6 ({@code ^}); unary signs bind like 5. */
    public int precedence() {
        return precedence;
    }

    /** True only for {@code ^}. */
    public boolean isRightAssociative() {
        return this == POW;
    }

    /** The comparison operators, which filter unless {@code bool} is given. */
    public boolean isComparison() {
        return switch (this) {
            case EQL, NEQ, GTR, LSS, GTE, LTE -> true;
            default -> false;
        };
    }

    /** {@code and}, {@code or}, {@code unless}. */
    public boolean isSetOperator() {
        return this == AND || this == OR || this == UNLESS;
    }

    /** {@code </} and {@code >/}, which only act on native histograms. */
    public boolean isNativeHistogramOnly() {
        return this == TRIM_UPPER || this == TRIM_LOWER;
    }
}
