package io.tidemark.promql.parser;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.promql.ast.AggregateExpr;
import io.tidemark.promql.ast.AggregateOp;
import io.tidemark.promql.ast.AtModifier;
import io.tidemark.promql.ast.BinaryExpr;
import io.tidemark.promql.ast.BinaryOp;
import io.tidemark.promql.ast.Call;
import io.tidemark.promql.ast.DurationExpr;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.Function;
import io.tidemark.promql.ast.Functions;
import io.tidemark.promql.ast.MatrixSelector;
import io.tidemark.promql.ast.NumberLiteral;
import io.tidemark.promql.ast.StringLiteral;
import io.tidemark.promql.ast.SubqueryExpr;
import io.tidemark.promql.ast.UnaryExpr;
import io.tidemark.promql.ast.ValueType;
import io.tidemark.promql.ast.VectorMatching;
import io.tidemark.promql.ast.VectorSelector;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The public API's contract: tree shapes the evaluator relies on, the option flags, selectors and durations. */
class PromQlParserTest {
    private static Expr parse(final String query) {
        return PromQlParser.parse(query, ParserOptions.ALL_FEATURES);
    }

    private static void assertRejected(final String query, final ParserOptions options, final String message) {
        assertThatThrownBy(() -> PromQlParser.parse(query, options)).isInstanceOf(PromQlParseException.class)
            .hasMessage(message);
    }

    @Test
    void shouldBindPowerRightAssociativeAndTighterThanSigns() {
        final BinaryExpr pow = (BinaryExpr) parse("2 ^ 3 ^ 2");
        assertThat(pow.op()).isEqualTo(BinaryOp.POW);
        assertThat(pow.lhs()).isInstanceOf(NumberLiteral.class);
        assertThat(((BinaryExpr) pow.rhs()).op()).isEqualTo(BinaryOp.POW);
        assertThat(parse("-1 ^ 2")).isInstanceOf(UnaryExpr.class);
        assertThat(((NumberLiteral) ((BinaryExpr) parse("-1 * 2")).lhs()).value()).isEqualTo(-1.0);
        final BinaryExpr or = (BinaryExpr) parse("a or b and c unless d");
        assertThat(or.op()).isEqualTo(BinaryOp.OR);
        assertThat(((BinaryExpr) or.rhs()).op()).isEqualTo(BinaryOp.UNLESS);
        assertThat(((BinaryExpr) parse("a - b - c")).lhs()).isInstanceOf(BinaryExpr.class);
    }

    @Test
    void shouldReadNumberLiterals() {
        assertThat(((NumberLiteral) parse("0x1F")).value()).isEqualTo(31.0);
        assertThat(((NumberLiteral) parse("0755")).value()).isEqualTo(493.0);
        assertThat(((NumberLiteral) parse("1e3")).value()).isEqualTo(1000.0);
        assertThat(((NumberLiteral) parse("-Inf")).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(((NumberLiteral) parse("NaN")).value()).isNaN();
        assertThat(((NumberLiteral) parse("1_000")).value()).isEqualTo(1000.0);
        final NumberLiteral duration = (NumberLiteral) parse("1h30m");
        assertThat(duration.value()).isEqualTo(5400.0);
        assertThat(duration).hasToString("1h30m");
        assertThat(((StringLiteral) parse("'a\\tb'")).value()).isEqualTo("a\tb");
        assertThat(((StringLiteral) parse("`a\\tb`")).value()).isEqualTo("a\\tb");
    }

    @Test
    void shouldKeepSelectorMatchersWithNameLastAndModifiers() {
        final VectorSelector selector = (VectorSelector) parse(
            "http_requests_total{job=~\"api|web\", code!=\"500\"} offset -5m @ 1609746000.5");
        assertThat(selector.name()).isEqualTo("http_requests_total");
        assertThat(selector.matchers()).extracting(LabelMatcher::toString)
            .containsExactly("job=~\"api|web\"", "code!=\"500\"", "__name__=\"http_requests_total\"");
        assertThat(selector.offset().duration()).isEqualTo(Duration.ofMinutes(-5));
        assertThat(selector.at()).isEqualTo(AtModifier.at(1_609_746_000_500L));
        final VectorSelector quoted = (VectorSelector) parse("{\"my.metric\", \"a.b\"=\"x\"}");
        assertThat(quoted.name()).isEmpty();
        assertThat(quoted).hasToString("{\"a.b\"=\"x\",__name__=\"my.metric\"}");
        assertThat(((VectorSelector) parse("foo @ start()")).at()).isEqualTo(AtModifier.START);
    }

    @Test
    void shouldParseRangesAndSubqueries() {
        final MatrixSelector matrix = (MatrixSelector) parse("foo[1h30m] offset 1d");
        assertThat(matrix.range()).isEqualTo(Duration.ofMinutes(90));
        assertThat(matrix.selector().offset().duration()).isEqualTo(Duration.ofDays(1));
        final SubqueryExpr subquery = (SubqueryExpr) parse("rate(foo[5m])[30m:]");
        assertThat(subquery.range()).isEqualTo(Duration.ofMinutes(30));
        assertThat(subquery.step()).isZero();
        assertThat(subquery.type()).isEqualTo(ValueType.MATRIX);
        final MatrixSelector dynamic = (MatrixSelector) parse("foo[5m + step()]");
        assertThat(dynamic.rangeExpression().op()).isEqualTo(DurationExpr.Op.ADD);
        assertThat(dynamic).hasToString("foo[5m + step()]");
    }

    @Test
    void shouldParseVectorMatching() {
        final BinaryExpr binary = (BinaryExpr) parse("a * on (job) group_left (team) b");
        final VectorMatching matching = binary.matching();
        assertThat(matching.cardinality()).isEqualTo(VectorMatching.Cardinality.MANY_TO_ONE);
        assertThat(matching.on()).isTrue();
        assertThat(matching.matchingLabels()).containsExactly("job");
        assertThat(matching.include()).containsExactly("team");
        assertThat(((BinaryExpr) parse("a and b")).matching().cardinality())
            .isEqualTo(VectorMatching.Cardinality.MANY_TO_MANY);
        assertThat(((BinaryExpr) parse("a > bool 1")).matching()).isNull();
        assertThat(((BinaryExpr) parse("a > bool 1")).returnBool()).isTrue();
        final VectorMatching fill = ((BinaryExpr) parse("a + fill_left(1) fill_right(-2) b")).matching();
        assertThat(fill.fillLeft()).isEqualTo(1.0);
        assertThat(fill.fillRight()).isEqualTo(-2.0);
    }

    @Test
    void shouldParseAggregationsWithModifierBeforeOrAfter() {
        final AggregateExpr before = (AggregateExpr) parse("sum by (job, \"a.b\") (x)");
        final AggregateExpr after = (AggregateExpr) parse("sum(x) by (job, \"a.b\")");
        assertThat(before.toString()).isEqualTo(after.toString());
        assertThat(after.grouping()).containsExactly("job", "a.b");
        assertThat(after).hasToString("sum by (job, \"a.b\") (x)");
        final AggregateExpr topk = (AggregateExpr) parse("topk without (i) (5, x)");
        assertThat(topk.op()).isEqualTo(AggregateOp.TOPK);
        assertThat(topk.without()).isTrue();
        assertThat(((NumberLiteral) topk.param()).value()).isEqualTo(5.0);
        assertThat(((AggregateExpr) parse("count_values(\"v\", x)")).param()).isInstanceOf(StringLiteral.class);
        assertThat(((AggregateExpr) parse("quantile(0.9, x)")).param()).isInstanceOf(NumberLiteral.class);
    }

    @Test
    void shouldGateExperimentalFeaturesBehindOptions() {
        final ParserOptions defaults = ParserOptions.DEFAULT;
        assertRejected("limitk(1, x)", defaults, "1:1: parse error: limitk() is experimental and must be enabled "
            + "with --enable-feature=promql-experimental-functions");
        assertThat(parse("limit_ratio(0.5, x)")).isInstanceOf(AggregateExpr.class);
        assertRejected("mad_over_time(x[5m])", defaults, "1:1: parse error: function \"mad_over_time\" is not enabled");
        assertRejected("x[5m + 1m]", defaults, "1:3: parse error: experimental duration expression is not enabled");
        assertRejected("x[5m] anchored", defaults, "1:1: parse error: anchored modifier is experimental and not "
            + "enabled");
        assertRejected("a + fill(0) b", defaults, "1:1: parse error: binop fill modifiers are experimental and not "
            + "enabled");
        assertThat(PromQlParser.parse("histogram_count(x)").toString()).isEqualTo("histogram_count(x)");
    }

    @Test
    void shouldAcceptHoltWintersOnlyForPrometheus2() {
        assertRejected("holt_winters(x[5m], 0.5, 0.5)", ParserOptions.DEFAULT,
            "1:1: parse error: unknown function with name \"holt_winters\"");
        final ParserOptions compat = ParserOptions.DEFAULT.withCompat(ParserOptions.Compat.PROMETHEUS2);
        final Call call = (Call) PromQlParser.parse("holt_winters(x[5m], 0.5, 0.5)", compat);
        assertThat(call.function().prometheus2Only()).isTrue();
    }

    @Test
    void shouldReportErrorsAsPrometheus() {
        assertRejected("sum(rate(x[5m])", ParserOptions.DEFAULT, "1:16: parse error: unclosed left parenthesis");
        assertRejected("foo offset", ParserOptions.DEFAULT,
            "1:11: parse error: unexpected end of input in offset, expected number, duration, step(), or range()");
        assertRejected("rate(foo)", ParserOptions.DEFAULT,
            "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector");
        assertRejected("1 +\n  bar{a=}", ParserOptions.DEFAULT,
            "2:9: parse error: unexpected \"}\" in label matching, expected string");
        assertRejected("\"a\" + 1", ParserOptions.DEFAULT,
            "1:1: parse error: binary expression must contain only scalar and instant vector types");
        assertRejected("x # comment\n y", ParserOptions.DEFAULT, "2:2: parse error: unexpected identifier \"y\"");
    }

    @Test
    void shouldDescribeEveryFunction() {
        final Function clamp = Functions.byName("clamp");
        assertThat(clamp.argTypes()).containsExactly(ValueType.VECTOR, ValueType.SCALAR, ValueType.SCALAR);
        final Function labelJoin = Functions.byName("label_join");
        assertThat(labelJoin.minArgs()).isEqualTo(3);
        assertThat(labelJoin.maxArgs()).isEqualTo(Integer.MAX_VALUE);
        assertThat(Functions.byName("round").maxArgs()).isEqualTo(2);
        assertThat(Functions.byName("histogram_fraction").nativeHistogramOnly()).isTrue();
        assertThat(Functions.byName("double_exponential_smoothing").experimental()).isTrue();
        assertThat(Functions.all()).hasSize(91);
    }

    @Test
    void shouldParseSeriesSelectors() {
        assertThat(PromQlParser.parseSeriesSelector("up{job=\"api\"}")).extracting(LabelMatcher::toString)
            .containsExactly("job=\"api\"", "__name__=\"up\"");
        assertThat(PromQlParser.parseSeriesSelector("{\"a.b\"=~\"x.*\"}")).extracting(LabelMatcher::toString)
            .containsExactly("\"a.b\"=~\"x.*\"");
        assertThat(PromQlParser.parseSeriesSelector("{}")).isEmpty();
        assertThatThrownBy(() -> PromQlParser.parseSeriesSelector("up[5m]"))
            .hasMessage("1:3: parse error: unexpected \"[\"");
        assertThatThrownBy(() -> PromQlParser.parseSeriesSelector("up{a=~\"(\"}"))
            .hasMessage("1:4: parse error: error parsing regexp: missing closing ): `(`");
    }

    @Test
    void shouldParseDurationsAsPrometheusModel() {
        assertThat(PromQlParser.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(PromQlParser.parseDuration("1y")).isEqualTo(Duration.ofDays(365));
        assertThat(PromQlParser.parseDuration("1w1d1ms")).isEqualTo(Duration.ofDays(8).plusMillis(1));
        assertThat(PromQlParser.parseDuration("0")).isZero();
        assertThatThrownBy(() -> PromQlParser.parseDuration("1m1h"))
            .hasMessage("not a valid duration string: \"1m1h\"");
        assertThatThrownBy(() -> PromQlParser.parseDuration("5y1hs"))
            .hasMessage("unknown unit \"hs\" in duration \"5y1hs\"");
        assertThatThrownBy(() -> PromQlParser.parseDuration("1.5m"))
            .hasMessage("unknown unit \".\" in duration \"1.5m\"");
    }

    @Test
    void shouldExemptInfoSelectorFromEmptyMatcherRule() {
        final Call info = (Call) parse("info(up, {k=~\".*\"})");
        assertThat(((VectorSelector) info.args().get(1)).bypassEmptyMatcherCheck()).isTrue();
        assertThat(List.of(info.type())).containsExactly(ValueType.VECTOR);
    }
}
