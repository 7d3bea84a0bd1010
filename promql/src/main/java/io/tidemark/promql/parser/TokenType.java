package io.tidemark.promql.parser;

/**
 * The lexer's token kinds, named as in Prometheus' lexer ({@code ItemType}) so that its tests port one to one. The
 * category decides how a token is described in "unexpected ..." errors; {@code fixedText} is the spelling Prometheus
 * registers for the kind (null for kinds whose text varies).
 */
enum TokenType {
    EOF(Category.OTHER, null),
    ERROR(Category.OTHER, null),
    COMMENT(Category.OTHER, null),
    IDENTIFIER(Category.OTHER, null),
    METRIC_IDENTIFIER(Category.OTHER, null),
    STRING(Category.OTHER, null),
    NUMBER(Category.OTHER, null),
    DURATION(Category.OTHER, null),
    LEFT_PAREN(Category.OTHER, "("),
    RIGHT_PAREN(Category.OTHER, ")"),
    LEFT_BRACE(Category.OTHER, "{"),
    RIGHT_BRACE(Category.OTHER, "}"),
    LEFT_BRACKET(Category.OTHER, "["),
    RIGHT_BRACKET(Category.OTHER, "]"),
    COMMA(Category.OTHER, ","),
    EQL(Category.OTHER, "="),
    COLON(Category.OTHER, ":"),

    ADD(Category.OPERATOR, "+"),
    DIV(Category.OPERATOR, "/"),
    EQLC(Category.OPERATOR, "=="),
    EQL_REGEX(Category.OPERATOR, "=~"),
    GTE(Category.OPERATOR, ">="),
    GTR(Category.OPERATOR, ">"),
    TRIM_UPPER(Category.OPERATOR, "</"),
    TRIM_LOWER(Category.OPERATOR, ">/"),
    LAND(Category.OPERATOR, "and"),
    LOR(Category.OPERATOR, "or"),
    LSS(Category.OPERATOR, "<"),
    LTE(Category.OPERATOR, "<="),
    LUNLESS(Category.OPERATOR, "unless"),
    MOD(Category.OPERATOR, "%"),
    MUL(Category.OPERATOR, "*"),
    NEQ(Category.OPERATOR, "!="),
    NEQ_REGEX(Category.OPERATOR, "!~"),
    POW(Category.OPERATOR, "^"),
    SUB(Category.OPERATOR, "-"),
    AT(Category.OPERATOR, "@"),
    ATAN2(Category.OPERATOR, "atan2"),

    AVG(Category.AGGREGATOR, "avg"),
    BOTTOMK(Category.AGGREGATOR, "bottomk"),
    COUNT(Category.AGGREGATOR, "count"),
    COUNT_VALUES(Category.AGGREGATOR, "count_values"),
    GROUP(Category.AGGREGATOR, "group"),
    MAX(Category.AGGREGATOR, "max"),
    MIN(Category.AGGREGATOR, "min"),
    QUANTILE(Category.AGGREGATOR, "quantile"),
    STDDEV(Category.AGGREGATOR, "stddev"),
    STDVAR(Category.AGGREGATOR, "stdvar"),
    SUM(Category.AGGREGATOR, "sum"),
    TOPK(Category.AGGREGATOR, "topk"),
    LIMITK(Category.AGGREGATOR, "limitk"),
    LIMIT_RATIO(Category.AGGREGATOR, "limit_ratio"),

    BOOL(Category.KEYWORD, "bool"),
    BY(Category.KEYWORD, "by"),
    GROUP_LEFT(Category.KEYWORD, "group_left"),
    GROUP_RIGHT(Category.KEYWORD, "group_right"),
    FILL(Category.KEYWORD, "fill"),
    FILL_LEFT(Category.KEYWORD, "fill_left"),
    FILL_RIGHT(Category.KEYWORD, "fill_right"),
    IGNORING(Category.KEYWORD, "ignoring"),
    OFFSET(Category.KEYWORD, "offset"),
    SMOOTHED(Category.KEYWORD, "smoothed"),
    ANCHORED(Category.KEYWORD, "anchored"),
    ON(Category.KEYWORD, "on"),
    WITHOUT(Category.KEYWORD, "without"),

    START(Category.PREPROCESSOR, "start"),
    END(Category.PREPROCESSOR, "end"),
    STEP(Category.PREPROCESSOR, "step"),
    RANGE(Category.PREPROCESSOR, "range"),
    MAX_OF(Category.PREPROCESSOR, "max_of"),
    MIN_OF(Category.PREPROCESSOR, "min_of");

    /** How Prometheus' {@code Item.String()} renders a token of this kind. */
    enum Category { OTHER, OPERATOR, AGGREGATOR, KEYWORD, PREPROCESSOR }

    private final Category category;
    private final String fixedText;

    TokenType(final Category category, final String fixedText) {
        this.category = category;
        this.fixedText = fixedText;
    }

    Category category() {
        return category;
    }

    String fixedText() {
        return fixedText;
    }

    /** Words that lex as keywords outside braces (matched case-insensitively), as Prometheus' {@code key} table. */
    static TokenType keyword(final String lowerCaseWord) {
        return switch (lowerCaseWord) {
            case "and" -> LAND;
            case "or" -> LOR;
            case "unless" -> LUNLESS;
            case "atan2" -> ATAN2;
            case "sum" -> SUM;
            case "avg" -> AVG;
            case "count" -> COUNT;
            case "min" -> MIN;
            case "max" -> MAX;
            case "group" -> GROUP;
            case "stddev" -> STDDEV;
            case "stdvar" -> STDVAR;
            case "topk" -> TOPK;
            case "bottomk" -> BOTTOMK;
            case "count_values" -> COUNT_VALUES;
            case "quantile" -> QUANTILE;
            case "limitk" -> LIMITK;
            case "limit_ratio" -> LIMIT_RATIO;
            case "offset" -> OFFSET;
            case "smoothed" -> SMOOTHED;
            case "anchored" -> ANCHORED;
            case "by" -> BY;
            case "without" -> WITHOUT;
            case "on" -> ON;
            case "ignoring" -> IGNORING;
            case "group_left" -> GROUP_LEFT;
            case "group_right" -> GROUP_RIGHT;
            case "fill" -> FILL;
            case "fill_left" -> FILL_LEFT;
            case "fill_right" -> FILL_RIGHT;
            case "bool" -> BOOL;
            case "start" -> START;
            case "end" -> END;
            case "step" -> STEP;
            case "range" -> RANGE;
            case "max_of" -> MAX_OF;
            case "min_of" -> MIN_OF;
            case "inf", "nan" -> NUMBER;
            default -> null;
        };
    }

    /** The keywords of duration expressions inside brackets, as Prometheus' {@code durationKeywordTokens}. */
    static TokenType durationKeyword(final String lowerCaseWord) {
        return switch (lowerCaseWord) {
            case "step" -> STEP;
            case "range" -> RANGE;
            case "max_of" -> MAX_OF;
            case "min_of" -> MIN_OF;
            default -> null;
        };
    }
}
