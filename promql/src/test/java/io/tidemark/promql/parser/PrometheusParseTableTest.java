package io.tidemark.promql.parser;

import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.PositionRange;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Prometheus' own parser table (parse_test.go), as data: every input it parses must parse here and print to text
 * that parses back to the same text; every input it rejects must be rejected with the same first error, message and
 * line:column alike.
 */
class PrometheusParseTableTest {
    /** The options Prometheus' table runs with: experimental functions, duration expressions, extended ranges. */
    static final ParserOptions TABLE_OPTIONS = ParserOptions.ALL_FEATURES.withBinopFillModifiers(false);

    @TestFactory
    List<DynamicTest> shouldParseWhatPrometheusParsesAndRejectWhatItRejects() {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final String[] row : TestData.rows("parse_cases.tsv")) {
            final String input = TestData.json(row[1]);
            if (row[0].equals("ok")) {
                tests.add(DynamicTest.dynamicTest("parses " + input, () -> shouldRoundTrip(input)));
            } else {
                final int start = Integer.parseInt(row[2]);
                final String reason = TestData.json(row[3]);
                tests.add(DynamicTest.dynamicTest("rejects " + input, () -> shouldReject(input, start, reason)));
            }
        }
        return tests;
    }

    static void shouldRoundTrip(final String input) {
        final Expr expr = PromQlParser.parse(input, TABLE_OPTIONS);
        final String printed = expr.toString();
        if (printed.indexOf('\uFFFD') >= 0) {
            // A \x escape that forms invalid UTF-8 cannot live in a Java string: it reads as U+FFFD, which Prometheus
            // refuses in query text, so such a literal parses but does not print back.
            return;
        }
        final Expr reparsed = PromQlParser.parse(printed, ParserOptions.ALL_FEATURES);
        assertThat(reparsed.toString()).as("printed form of %s", input).isEqualTo(printed);
    }

    static void shouldReject(final String input, final int start, final String reason) {
        final String lineColumn = new PositionRange(start, start).startLineColumn(input);
        assertThatThrownBy(() -> PromQlParser.parse(input, TABLE_OPTIONS))
            .as("input %s (%d bytes)", input, input.getBytes(StandardCharsets.UTF_8).length)
            .isInstanceOf(PromQlParseException.class)
            .hasMessage(lineColumn + ": parse error: " + reason);
    }
}
