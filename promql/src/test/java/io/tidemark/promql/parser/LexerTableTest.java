package io.tidemark.promql.parser;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prometheus' lexer table (lex_test.go), as data: the same tokens at the same byte positions, and an error where it
 * errs. Our lexer stops at its first error, so a case is compared up to and including that error token. The cases
 * for series descriptions of Prometheus' test language are not ported: that language is not PromQL.
 */
class LexerTableTest {
    @TestFactory
    List<DynamicTest> shouldLexAsPrometheusDoes() {
        final List<DynamicTest> tests = new ArrayList<>();
        for (final String[] row : TestData.rows("lex_cases.tsv")) {
            final String input = TestData.json(row[0]);
            final boolean fail = row[1].equals("fail");
            final List<String[]> expected = TestData.jsonTriples(row[2]);
            tests.add(DynamicTest.dynamicTest("lexes " + GoText.quote(input), () -> check(input, fail, expected)));
        }
        return tests;
    }

    private static void check(final String input, final boolean fail, final List<String[]> expected) {
        final List<Token> tokens = lexAll(input);
        final Token last = tokens.getLast();
        if (fail) {
            assertThat(last.type()).as("lexing %s", input).isEqualTo(TokenType.ERROR);
            return;
        }
        final List<String> wanted = new ArrayList<>();
        for (final String[] item : expected) {
            wanted.add(item[0] + "@" + item[1] + ":" + item[2]);
            if (item[0].equals("ERROR")) {
                break;
            }
        }
        final List<String> actual = new ArrayList<>();
        for (final Token token : tokens) {
            if (token.type() != TokenType.EOF) {
                actual.add(token.type() + "@" + token.position() + ":" + token.text());
            }
        }
        assertThat(actual).as("tokens of %s", input).isEqualTo(wanted);
        if (last.type() == TokenType.EOF) {
            assertThat(last.position()).isEqualTo(input.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    static List<Token> lexAll(final String input) {
        final Lexer lexer = new Lexer(input);
        final List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.type() != TokenType.EOF && token.type() != TokenType.ERROR);
        return tokens;
    }
}
