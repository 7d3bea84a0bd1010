package io.tidemark.promql.parser;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Prometheus' printer table (printer_test.go TestExprString), as data: each input prints exactly as there. */
class PrinterTableTest {
    private static final ParserOptions PRINTER_OPTIONS = ParserOptions.ALL_FEATURES.withExperimentalFunctions(false);

    @TestFactory
    List<DynamicTest> shouldPrintAsPrometheusDoes() {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final String[] row : TestData.rows("printer_cases.tsv")) {
            final String input = TestData.json(row[0]);
            final String output = TestData.json(row[1]);
            tests.add(DynamicTest.dynamicTest("prints " + input, () ->
                assertThat(PromQlParser.parse(input, PRINTER_OPTIONS).toString()).isEqualTo(output)));
        }
        return tests;
    }
}
