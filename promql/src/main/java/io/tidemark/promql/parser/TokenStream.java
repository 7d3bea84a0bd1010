package io.tidemark.promql.parser;

import io.tidemark.promql.ast.PositionRange;

import java.util.ArrayList;
import java.util.List;

/**
 * The parser's view of the lexer: comments skipped, two tokens of lookahead, and the error helpers. A lexer error is
 * thrown as soon as its token is read, as Prometheus records it when its parser pulls that token.
 *
 * <p>It also keeps the stack of error contexts that stands in for the error productions of Prometheus' yacc grammar:
 * a syntax error that no inner rule words itself names the innermost open context, such as
 * {@code unexpected "]" in subquery or range selector, expected number, duration, step(), or range()}, and with no
 * context open just {@code unexpected "]"}.
 */
final class TokenStream {
    private final String query;
    private final Lexer lexer;
    private final Token[] lookahead = new Token[2];
    private int buffered;
    private int lastEnd;
    private final List<String[]> contexts = new ArrayList<>();

    TokenStream(final String query) {
        this.query = query;
        this.lexer = new Lexer(query);
    }

    String query() {
        return query;
    }

    Lexer lexer() {
        return lexer;
    }

    Token peek() {
        fill(1);
        return lookahead[0];
    }

    Token peekSecond() {
        fill(2);
        return lookahead[1];
    }

    Token next() {
        fill(1);
        final Token token = lookahead[0];
        lookahead[0] = lookahead[1];
        lookahead[1] = null;
        buffered--;
        lastEnd = token.end();
        return token;
    }

    boolean peekIs(final TokenType type) {
        return peek().type() == type;
    }

    /** The byte offset just past the last token consumed. */
    int lastEnd() {
        return lastEnd;
    }

    /** Consumes a token of {@code type} or fails with the current context's syntax error. */
    Token expect(final TokenType type) {
        final Token token = next();
        if (token.type() != type) {
            throw unexpected(token);
        }
        return token;
    }

    private void fill(final int count) {
        while (buffered < count) {
            Token token = lexer.next();
            while (token.type() == TokenType.COMMENT) {
                token = lexer.next();
            }
            if (token.type() == TokenType.ERROR) {
                throw new PromQlParseException(query, new PositionRange(token.position(), lexer.length()),
                    token.text());
            }
            lookahead[buffered++] = token;
        }
    }

    /** Opens an error context, such as {@code ("offset", "number, duration, step(), or range()")}. */
    void pushContext(final String context, final String expected) {
        contexts.add(new String[] {context, expected});
    }

    /** Rewords the innermost context as parsing moves on inside it. */
    void replaceContext(final String context, final String expected) {
        contexts.set(contexts.size() - 1, new String[] {context, expected});
    }

    void popContext() {
        contexts.removeLast();
    }

    /** The syntax error for {@code token} in the innermost open context. */
    PromQlParseException unexpected(final Token token) {
        if (contexts.isEmpty()) {
            return unexpected(token, "", "");
        }
        final String[] context = contexts.getLast();
        return unexpected(token, context[0], context[1]);
    }

    /** Prometheus' {@code unexpected(context, expected)}: "unexpected X[ in context][, expected Y]". */
    PromQlParseException unexpected(final Token token, final String context, final String expected) {
        final StringBuilder message = new StringBuilder("unexpected ").append(token.describe());
        if (!context.isEmpty()) {
            message.append(" in ").append(context);
        }
        if (!expected.isEmpty()) {
            message.append(", expected ").append(expected);
        }
        return error(range(token), message.toString());
    }

    PromQlParseException error(final PositionRange range, final String message) {
        return new PromQlParseException(query, range, message);
    }

    static PositionRange range(final Token token) {
        return new PositionRange(token.position(), token.end());
    }
}
