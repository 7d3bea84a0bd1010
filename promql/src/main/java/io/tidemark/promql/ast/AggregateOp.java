package io.tidemark.promql.ast;

/** The aggregation operators. Those with a parameter take it first: {@code topk(5, x)}. */
public enum AggregateOp {
    /** {@code sum}. */
    SUM,
    /** {@code avg}. */
    AVG,
    /** {@code count}. */
    COUNT,
    /** {@code min}. */
    MIN,
    /** {@code max}. */
    MAX,
    /** {@code group}. */
    GROUP,
    /** {@code stddev}. */
    STDDEV,
    /** {@code stdvar}. */
    STDVAR,
    /** {@code topk(k, x)}, k a scalar. */
    TOPK,
    /** {@code bottomk(k, x)}, k a scalar. */
    BOTTOMK,
    /** {@code count_values("label", x)}, the parameter a string. */
    COUNT_VALUES,
    /** {@code quantile(q, x)}, q a scalar. */
    QUANTILE,
    /** {@code limitk(k, x)}: experimental. */
    LIMITK,
    /** {@code limit_ratio(r, x)}: experimental. */
    LIMIT_RATIO;

    private final String keyword = name().toLowerCase(java.util.Locale.ROOT);

    /** The PromQL keyword, such as {@code count_values}. */
    public String keyword() {
        return keyword;
    }

    /** True for the operators that take a parameter before the expression. */
    public boolean hasParam() {
        return switch (this) {
            case TOPK, BOTTOMK, COUNT_VALUES, QUANTILE, LIMITK, LIMIT_RATIO -> true;
            default -> false;
        };
    }

    /** True for {@code limitk} and {@code limit_ratio}, which need experimental functions enabled. */
    public boolean isExperimental() {
        return this == LIMITK || this == LIMIT_RATIO;
    }

    /** The type the parameter must have: string for {@code count_values}, else scalar; NONE without a parameter. */
    public ValueType paramType() {
        if (!hasParam()) {
            return ValueType.NONE;
        }
        return this == COUNT_VALUES ? ValueType.STRING : ValueType.SCALAR;
    }
}
