package io.tidemark.index.matchers;

/** A regex Go's {@code regexp/syntax} rejects; the message is Go's: {@code error parsing regexp: <code>: `<expr>`}. */
final class Re2SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final String MISSING_PAREN = "missing closing )";
    static final String UNEXPECTED_PAREN = "unexpected )";
    static final String MISSING_BRACKET = "missing closing ]";
    static final String INVALID_ESCAPE = "invalid escape sequence";
    static final String INVALID_PERL_OP = "invalid or unsupported Perl syntax";
    static final String INVALID_NAMED_CAPTURE = "invalid named capture";
    static final String INVALID_REPEAT_OP = "invalid nested repetition operator";
    static final String MISSING_REPEAT_ARGUMENT = "missing argument to repetition operator";
    static final String INVALID_REPEAT_SIZE = "invalid repeat count";
    static final String INVALID_CHAR_RANGE = "invalid character class range";
    static final String TRAILING_BACKSLASH = "trailing backslash at end of expression";

    Re2SyntaxError(final String code, final String expression) {
        super("error parsing regexp: " + code + ": `" + expression + "`", null, false, false);
    }
}
