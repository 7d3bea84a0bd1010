package io.tidemark.promql.parser;

/**
 * One lexed token: its kind, its start as a byte offset into the query's UTF-8 encoding, its byte length and its text
 * as written (for {@link TokenType#ERROR} the text is the error message and the length is 0).
 */
record Token(TokenType type, int position, int length, String text) {
    int end() {
        return position + length;
    }

    /**
     * How Prometheus names this token after "unexpected " in a syntax error ({@code Item.desc()}): {@code <op:*>},
     * {@code <aggr:sum>}, {@code <by>}, {@code "("}, {@code identifier "foo"}, {@code end of input}.
     */
    String describe() {
        if (type == TokenType.EOF) {
            return "end of input";
        }
        if (type.fixedText() != null) {
            return render();
        }
        final String kind = switch (type) {
            case ERROR -> "error";
            case COMMENT -> "comment";
            case IDENTIFIER -> "identifier";
            case METRIC_IDENTIFIER -> "metric identifier";
            case STRING -> "string";
            case NUMBER -> "number";
            case DURATION -> "duration";
            default -> type.name();
        };
        return kind + " " + render();
    }

    /** Prometheus' {@code Item.String()}. */
    private String render() {
        if (type == TokenType.IDENTIFIER || type == TokenType.METRIC_IDENTIFIER) {
            return GoText.quote(text);
        }
        return switch (type.category()) {
            case KEYWORD -> "<" + text + ">";
            case OPERATOR -> "<op:" + text + ">";
            case AGGREGATOR -> "<aggr:" + text + ">";
            default -> text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 10
                ? GoText.quote(text.substring(0, text.offsetByCodePoints(0, 10))) + "..."
                : GoText.quote(text);
        };
    }
}
