package io.tidemark.promql.parser;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * PromQL's lexer, a port of the state machine of Prometheus' {@code promql/parser/lex.go}: the same tokens, positions
 * (byte offsets into the UTF-8 encoding) and error messages. One pass over the bytes, no regexes, no backtracking
 * beyond one rune.
 *
 * <p>An error is returned as one {@link TokenType#ERROR} token whose text is the message and whose position is where
 * the failing token began; every token after it is {@link TokenType#EOF}. Not thread-safe: one lexer per query.
 */
final class Lexer extends RuneReader {
    private enum Mode { STATEMENTS, INSIDE_BRACES, DURATION_EXPRESSION }

    private Mode mode = Mode.STATEMENTS;
    private boolean finished;

    private int parenDepth;
    private boolean braceOpen;
    private boolean bracketOpen;
    private boolean gotColon;
    private boolean gotDuration;
    private int stringOpen;

    Lexer(final String query) {
        super(query.getBytes(StandardCharsets.UTF_8));
    }

    /** The next token, comments included; EOF forever once the input or an error is reached. */
    Token next() {
        if (finished) {
            return new Token(TokenType.EOF, start, 0, "");
        }
        Token token = null;
        while (token == null) {
            token = switch (mode) {
                case STATEMENTS -> lexStatements();
                case INSIDE_BRACES -> lexInsideBraces();
                case DURATION_EXPRESSION -> lexDurationExpression();
            };
        }
        if (token.type() == TokenType.ERROR || token.type() == TokenType.EOF) {
            finished = true;
        }
        return token;
    }

    private Token lexStatements() {
        if (braceOpen) {
            mode = Mode.INSIDE_BRACES;
            return null;
        }
        if (position < input.length && input[position] == '#') {
            return lexLineComment();
        }
        final int r = nextRune();
        if (r == EOF_RUNE) {
            if (parenDepth != 0) {
                return error("unclosed left parenthesis");
            }
            if (bracketOpen) {
                return error("unclosed left bracket");
            }
            return emit(TokenType.EOF);
        }
        if (isSpace(r)) {
            skipSpaces();
            return null;
        }
        if (isDigit(r) || (r == '.' && isDigit(peekRune()))) {
            backup();
            return lexNumberOrDuration();
        }
        if (isAlpha(r) || r == ':') {
            return lexWordInStatements(r);
        }
        return switch (r) {
            case ',' -> emit(TokenType.COMMA);
            case '*' -> emit(TokenType.MUL);
            case '/' -> emit(TokenType.DIV);
            case '%' -> emit(TokenType.MOD);
            case '+' -> emit(TokenType.ADD);
            case '-' -> emit(TokenType.SUB);
            case '^' -> emit(TokenType.POW);
            case '@' -> emit(TokenType.AT);
            case '=' -> lexAfterEquals();
            case '!' -> {
                final int t = nextRune();
                yield t == '=' ? emit(TokenType.NEQ) : error("unexpected character after '!': " + GoText.quoteRune(t));
            }
            case '<' -> lexAfterAngle(TokenType.LTE, TokenType.TRIM_UPPER, TokenType.LSS);
            case '>' -> lexAfterAngle(TokenType.GTE, TokenType.TRIM_LOWER, TokenType.GTR);
            case '"', '\'' -> {
                stringOpen = r;
                yield lexString();
            }
            case '`' -> {
                stringOpen = r;
                yield lexRawString();
            }
            case '(' -> {
                parenDepth++;
                yield emit(TokenType.LEFT_PAREN);
            }
            case ')' -> lexRightParen();
            case '{' -> {
                braceOpen = true;
                mode = Mode.INSIDE_BRACES;
                yield emit(TokenType.LEFT_BRACE);
            }
            case '[' -> lexLeftBracket(r);
            case ']' -> {
                if (!bracketOpen) {
                    yield error("unexpected right bracket " + GoText.quoteRune(r));
                }
                bracketOpen = false;
                yield emit(TokenType.RIGHT_BRACKET);
            }
            default -> error("unexpected character: " + GoText.quoteRune(r));
        };
    }

    private Token lexAfterEquals() {
        final int t = peekRune();
        if (t == '=') {
            nextRune();
            return emit(TokenType.EQLC);
        }
        if (t == '~') {
            return error("unexpected character after '=': " + GoText.quoteRune(t));
        }
        return emit(TokenType.EQL);
    }

    private Token lexAfterAngle(final TokenType withEquals, final TokenType withSlash, final TokenType alone) {
        final int t = peekRune();
        if (t == '=') {
            nextRune();
            return emit(withEquals);
        }
        if (t == '/') {
            nextRune();
            return emit(withSlash);
        }
        return emit(alone);
    }

    private Token lexRightParen() {
        final Token paren = emit(TokenType.RIGHT_PAREN);
        parenDepth--;
        if (parenDepth < 0) {
            // Prometheus emits the parenthesis, then overwrites it with the error, positioned after it.
            return error("unexpected right parenthesis ')'");
        }
        return paren;
    }

    private Token lexLeftBracket(final int r) {
        if (bracketOpen) {
            return error("unexpected left bracket " + GoText.quoteRune(r));
        }
        gotColon = false;
        final Token bracket = emit(TokenType.LEFT_BRACKET);
        skipSpaces();
        bracketOpen = true;
        mode = Mode.DURATION_EXPRESSION;
        return bracket;
    }

    /** A word or colon outside braces: a keyword or identifier, or inside brackets a colon or duration keyword. */
    private Token lexWordInStatements(final int r) {
        if (!bracketOpen) {
            backup();
            return lexKeywordOrIdentifier();
        }
        if (r == ':') {
            if (gotColon) {
                return error("unexpected colon " + GoText.quoteRune(r));
            }
            gotColon = true;
            return emit(TokenType.COLON);
        }
        if (isDurationKeywordStart(r)) {
            final Token keyword = scanDurationKeyword();
            if (keyword != null) {
                return keyword;
            }
        }
        return error("unexpected character: " + GoText.quoteRune(r) + ", expected ':'");
    }

    private Token lexInsideBraces() {
        if (position < input.length && input[position] == '#') {
            return lexLineComment();
        }
        final int r = nextRune();
        if (r == EOF_RUNE) {
            return error("unexpected end of input inside braces");
        }
        if (isSpace(r)) {
            skipSpaces();
            return null;
        }
        if (isAlpha(r)) {
            while (isAlphaNumeric(nextRune())) {
                // absorb the identifier
            }
            backup();
            return emit(TokenType.IDENTIFIER);
        }
        return switch (r) {
            case ',' -> emit(TokenType.COMMA);
            case '"', '\'' -> {
                stringOpen = r;
                mode = Mode.STATEMENTS;
                yield lexString();
            }
            case '`' -> {
                stringOpen = r;
                mode = Mode.STATEMENTS;
                yield lexRawString();
            }
            case '=' -> {
                if (nextRune() == '~') {
                    yield emit(TokenType.EQL_REGEX);
                }
                backup();
                yield emit(TokenType.EQL);
            }
            case '!' -> {
                final int t = nextRune();
                if (t == '~') {
                    yield emit(TokenType.NEQ_REGEX);
                }
                if (t == '=') {
                    yield emit(TokenType.NEQ);
                }
                yield error("unexpected character after '!' inside braces: " + GoText.quoteRune(t));
            }
            case '{' -> error("unexpected left brace " + GoText.quoteRune(r));
            case '}' -> {
                braceOpen = false;
                mode = Mode.STATEMENTS;
                yield emit(TokenType.RIGHT_BRACE);
            }
            default -> error("unexpected character inside braces: " + GoText.quoteRune(r));
        };
    }

    private Token lexDurationExpression() {
        final int r = nextRune();
        if (r == EOF_RUNE) {
            return error("unexpected end of input in duration expression");
        }
        if (isSpace(r)) {
            skipSpaces();
            return null;
        }
        if (isDurationKeywordStart(r)) {
            final Token keyword = scanDurationKeyword();
            return keyword != null ? keyword
                : error("unexpected character in duration expression: " + GoText.quoteRune(r));
        }
        if (isDigit(r) || (r == '.' && isDigit(peekRune()))) {
            backup();
            gotDuration = true;
            mode = Mode.STATEMENTS;
            return lexNumberOrDuration();
        }
        return switch (r) {
            case ']' -> {
                bracketOpen = false;
                gotColon = false;
                mode = Mode.STATEMENTS;
                yield emit(TokenType.RIGHT_BRACKET);
            }
            case ':' -> {
                final Token colon = emit(TokenType.COLON);
                if (!gotDuration) {
                    yield error("unexpected colon before duration in duration expression");
                }
                if (gotColon) {
                    yield error("unexpected repeated colon in duration expression");
                }
                gotColon = true;
                yield colon;
            }
            case '(' -> {
                parenDepth++;
                yield emit(TokenType.LEFT_PAREN);
            }
            case ')' -> lexRightParen();
            case '+' -> emit(TokenType.ADD);
            case '-' -> emit(TokenType.SUB);
            case '*' -> emit(TokenType.MUL);
            case '/' -> emit(TokenType.DIV);
            case '%' -> emit(TokenType.MOD);
            case '^' -> emit(TokenType.POW);
            case ',' -> emit(TokenType.COMMA);
            default -> error("unexpected character in duration expression: " + GoText.quoteRune(r));
        };
    }

    private Token lexLineComment() {
        position++;
        int r = nextRune();
        while (r != '\r' && r != '\n' && r != EOF_RUNE) {
            r = nextRune();
        }
        backup();
        return emit(TokenType.COMMENT);
    }

    private Token lexString() {
        while (true) {
            final int r = nextRune();
            if (r == '\\') {
                final String escapeError = lexEscape();
                if (escapeError != null) {
                    return error(escapeError);
                }
            } else if (r == RUNE_ERROR) {
                return error("invalid UTF-8 rune");
            } else if (r == EOF_RUNE || r == '\n') {
                return error("unterminated quoted string");
            } else if (r == stringOpen) {
                return emit(TokenType.STRING);
            }
        }
    }

    /** Checks one escape after its backslash; returns the error, or null if it is well formed. */
    private String lexEscape() {
        int ch = nextRune();
        final int digits;
        final int base;
        final int max;
        if (ch == 'a' || ch == 'b' || ch == 'f' || ch == 'n' || ch == 'r' || ch == 't' || ch == 'v' || ch == '\\'
            || ch == stringOpen) {
            return null;
        } else if (ch >= '0' && ch <= '7') {
            digits = 3;
            base = 8;
            max = 255;
        } else if (ch == 'x' || ch == 'u' || ch == 'U') {
            digits = ch == 'x' ? 2 : ch == 'u' ? 4 : 8;
            max = ch == 'x' ? 255 : Character.MAX_CODE_POINT;
            base = 16;
            ch = nextRune();
        } else if (ch == EOF_RUNE) {
            return "escape sequence not terminated";
        } else {
            return "unknown escape sequence " + GoText.codePointName(ch);
        }
        long value = 0;
        for (int n = digits; n > 0; n--) {
            final int digit = digitValue(ch);
            if (digit >= base) {
                return ch == EOF_RUNE ? "escape sequence not terminated"
                    : "illegal character " + GoText.codePointName(ch) + " in escape sequence";
            }
            value = value * base + digit;
            if (n > 1) {
                ch = nextRune();
            }
        }
        if (value > max || (value >= 0xD800 && value < 0xE000)) {
            return "escape sequence is an invalid Unicode code point";
        }
        return null;
    }

    private Token lexRawString() {
        while (true) {
            final int r = nextRune();
            if (r == RUNE_ERROR) {
                return error("invalid UTF-8 rune");
            } else if (r == EOF_RUNE) {
                return error("unterminated raw string");
            } else if (r == stringOpen) {
                return emit(TokenType.STRING);
            }
        }
    }

    private Token lexNumberOrDuration() {
        if (scanNumber()) {
            return emit(TokenType.NUMBER);
        }
        if (acceptRemainingDuration()) {
            backup();
            return emit(TokenType.DURATION);
        }
        return error("bad number or duration syntax: " + GoText.quote(text(start, position)));
    }

    private boolean acceptRemainingDuration() {
        if (!accept("smhdwy")) {
            return false;
        }
        // "ms"; units in the wrong order are caught when the duration is parsed.
        accept("s");
        while (accept("0123456789")) {
            while (accept("0123456789")) {
                // the rest of the number
            }
            if (!accept("smhdw")) {
                return false;
            }
            accept("s");
        }
        return !isAlphaNumeric(nextRune());
    }

    /** Scans what may be a number; the parser rejects what strconv cannot read. */
    private boolean scanNumber() {
        final int initial = position;
        String digits = "0123456789";
        if (accept("0") && accept("xX")) {
            accept("_");
            digits = "0123456789abcdefABCDEF";
        }
        accept(".");
        accept(digits);
        boolean dotConsumed = false;
        boolean exponentConsumed = false;
        while (is(digits + "._eE")) {
            if (is(".") && dotConsumed) {
                accept(".");
                return false;
            }
            if (is("eE") && exponentConsumed) {
                accept("eE");
                return false;
            }
            if (accept(".")) {
                dotConsumed = true;
                if (accept("_.") || digits.length() > 10) {
                    return false;
                }
                continue;
            }
            if (accept("eE")) {
                exponentConsumed = true;
                accept("+-");
                if (accept("._eE") || peekRune() == EOF_RUNE) {
                    return false;
                }
                continue;
            }
            if (accept("_")) {
                if (accept("._eE") || peekRune() == EOF_RUNE) {
                    return false;
                }
                continue;
            }
            while (accept(digits)) {
                // the run of digits
            }
        }
        return position != initial && !isAlphaNumeric(peekRune());
    }

    private Token lexKeywordOrIdentifier() {
        int r = nextRune();
        while (isAlphaNumeric(r) || r == ':') {
            r = nextRune();
        }
        backup();
        final String word = text(start, position);
        final TokenType keyword = TokenType.keyword(word.toLowerCase(Locale.ROOT));
        if (keyword != null) {
            final boolean fill = keyword == TokenType.FILL || keyword == TokenType.FILL_LEFT
                || keyword == TokenType.FILL_RIGHT;
            // fill, fill_left and fill_right are keywords only before "(", so that they stay usable as metric names.
            return emit(fill && !followedByLeftParen() ? TokenType.IDENTIFIER : keyword);
        }
        return emit(word.indexOf(':') < 0 ? TokenType.IDENTIFIER : TokenType.METRIC_IDENTIFIER);
    }

    private Token scanDurationKeyword() {
        int r = nextRune();
        while (isAlpha(r)) {
            r = nextRune();
        }
        backup();
        final TokenType keyword = TokenType.durationKeyword(text(start, position).toLowerCase(Locale.ROOT));
        return keyword == null ? null : emit(keyword);
    }

    private boolean followedByLeftParen() {
        for (int i = position; i < input.length; i++) {
            if (!isSpace(input[i])) {
                return input[i] == '(';
            }
        }
        return false;
    }

    private void skipSpaces() {
        while (isSpace(peekRune())) {
            nextRune();
        }
        start = position;
    }

    private Token emit(final TokenType type) {
        final Token token = new Token(type, start, position - start, text(start, position));
        start = position;
        return token;
    }

    private Token error(final String message) {
        return new Token(TokenType.ERROR, start, 0, message);
    }
}
