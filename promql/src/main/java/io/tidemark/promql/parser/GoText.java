package io.tidemark.promql.parser;

import io.tidemark.index.matchers.PromQlQuoting;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The pieces of Go's {@code strconv} and {@code fmt} that Prometheus' parser messages and literals depend on:
 * quoting ({@code %q}, {@code %#U}), unquoting (its {@code strutil.Unquote}) and number parsing
 * ({@code ParseInt(s, 0, 64)} falling back to {@code ParseFloat(s, 64)}).
 */
final class GoText {
    private GoText() {
    }

    /** Go's {@code %q} of a string. */
    static String quote(final String value) {
        final StringBuilder out = new StringBuilder(value.length() + 2);
        PromQlQuoting.appendQuoted(out, value);
        return out.toString();
    }

    /** Go's {@code %q} of a rune, such as {@code '.'} or {@code '\n'}; the end of input quotes as U+FFFD. */
    static String quoteRune(final int rune) {
        final int r = rune < 0 || rune > Character.MAX_CODE_POINT ? 0xFFFD : rune;
        if (r == '\'') {
            return "'\\''";
        }
        if (r == '"') {
            return "'\"'";
        }
        final String quoted = quote(new String(Character.toChars(r)));
        return "'" + quoted.substring(1, quoted.length() - 1) + "'";
    }

    /** Go's {@code %#U}: {@code U+0063 'c'}, without the quoted character when it is not printable. */
    static String codePointName(final int rune) {
        final String hex = String.format(Locale.ROOT, "U+%04X", rune);
        final String character = new String(Character.toChars(rune));
        final boolean printable = quote(character).equals('"' + character + '"') || rune == '"' || rune == '\\';
        return printable ? hex + " '" + character + "'" : hex;
    }

    /**
     * Prometheus' {@code strutil.Unquote}: the value of a double-, single- or back-quoted literal with Go's escapes.
     * Throws {@link IllegalArgumentException} ("invalid syntax") for a malformed literal. A {@code \x} escape that
     * forms no valid UTF-8 becomes U+FFFD, as Java strings hold text, not bytes.
     */
    static String unquote(final String literal) {
        final int n = literal.length();
        if (n < 2 || literal.charAt(0) != literal.charAt(n - 1)) {
            throw new IllegalArgumentException("invalid syntax");
        }
        final char quote = literal.charAt(0);
        final String body = literal.substring(1, n - 1);
        if (quote == '`') {
            if (body.indexOf('`') >= 0) {
                throw new IllegalArgumentException("invalid syntax");
            }
            return body;
        }
        if ((quote != '"' && quote != '\'') || body.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("invalid syntax");
        }
        if (body.indexOf('\\') < 0 && body.indexOf(quote) < 0) {
            return body;
        }
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        final ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            final int c = bytes[i] & 0xFF;
            if (c == quote) {
                throw new IllegalArgumentException("invalid syntax");
            }
            if (c != '\\') {
                out.write(c);
                i++;
                continue;
            }
            i = unescape(bytes, i + 1, quote, out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Decodes the escape whose letter is at {@code i}; returns the index after it. */
    private static int unescape(final byte[] s, final int i, final char quote, final ByteArrayOutputStream out) {
        if (i >= s.length) {
            throw new IllegalArgumentException("invalid syntax");
        }
        final int c = s[i];
        int next = i + 1;
        switch (c) {
            case 'a' -> out.write(7);
            case 'b' -> out.write('\b');
            case 'f' -> out.write('\f');
            case 'n' -> out.write('\n');
            case 'r' -> out.write('\r');
            case 't' -> out.write('\t');
            case 'v' -> out.write(0x0B);
            case '\\' -> out.write('\\');
            case '\'', '"' -> {
                if (c != quote) {
                    throw new IllegalArgumentException("invalid syntax");
                }
                out.write(c);
            }
            case 'x', 'u', 'U' -> {
                final int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
                if (next + digits > s.length) {
                    throw new IllegalArgumentException("invalid syntax");
                }
                long value = 0;
                for (int j = 0; j < digits; j++) {
                    final int digit = RuneReader.digitValue(s[next + j]);
                    if (digit >= 16) {
                        throw new IllegalArgumentException("invalid syntax");
                    }
                    value = (value << 4) | digit;
                }
                next += digits;
                if (c == 'x') {
                    out.write((int) value);
                } else {
                    if (value > Character.MAX_CODE_POINT) {
                        throw new IllegalArgumentException("invalid syntax");
                    }
                    final int codePoint = value >= 0xD800 && value < 0xE000 ? 0xFFFD : (int) value;
                    out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                }
            }
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                if (next + 2 > s.length) {
                    throw new IllegalArgumentException("invalid syntax");
                }
                int value = c - '0';
                for (int j = 0; j < 2; j++) {
                    final int digit = s[next + j] - '0';
                    if (digit < 0 || digit > 7) {
                        throw new IllegalArgumentException("invalid syntax");
                    }
                    value = (value << 3) | digit;
                }
                if (value > 255) {
                    throw new IllegalArgumentException("invalid syntax");
                }
                next += 2;
                out.write(value);
            }
            default -> throw new IllegalArgumentException("invalid syntax");
        }
        return next;
    }

    /**
     * A NUMBER token's value as Prometheus reads it: an integer in Go syntax (decimal, {@code 0x} hex, leading-zero
     * octal, {@code _} separators) if it fits 64 bits, else a float ({@code Inf}, {@code NaN}, exponents). Throws
     * {@link IllegalArgumentException} with strconv's message when neither reads it.
     */
    static double parseNumber(final String text) {
        final Long integer = parseInteger(text);
        if (integer != null) {
            return integer;
        }
        return parseFloat(text);
    }

    private static Long parseInteger(final String text) {
        if (text.isEmpty() || (text.indexOf('_') >= 0 && !underscoresOk(text))) {
            return null;
        }
        String digits = text.replace("_", "");
        int radix = 10;
        if (digits.length() > 2 && digits.charAt(0) == '0' && (digits.charAt(1) == 'x' || digits.charAt(1) == 'X')) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.charAt(0) == '0') {
            radix = 8;
            digits = digits.substring(1);
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0) {
                return null;
            }
        }
        try {
            return Long.parseLong(digits, radix);
        } catch (final NumberFormatException outOfRange) {
            return null;
        }
    }

    private static double parseFloat(final String text) {
        final String lower = text.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan" -> {
                return Double.NaN;
            }
            default -> {
                // read on below
            }
        }
        if (!decimalFloatSyntax(text) || (text.indexOf('_') >= 0 && !underscoresOk(text))) {
            throw floatError(text, "invalid syntax");
        }
        final double value = Double.parseDouble(text.replace("_", ""));
        if (Double.isInfinite(value)) {
            throw floatError(text, "value out of range");
        }
        return value;
    }

    private static IllegalArgumentException floatError(final String text, final String reason) {
        return new IllegalArgumentException("strconv.ParseFloat: parsing " + quote(text) + ": " + reason);
    }

    /** Digits with at most one dot and an optional exponent, as Go's decimal float literals (no hex floats here). */
    private static boolean decimalFloatSyntax(final String text) {
        int i = 0;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        boolean digits = false;
        boolean dot = false;
        for (; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits = true;
            } else if (c == '.' && !dot) {
                dot = true;
            } else if (c != '_') {
                break;
            }
        }
        if (!digits) {
            return false;
        }
        if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            boolean exponentDigits = false;
            for (; i < text.length() && ((text.charAt(i) >= '0' && text.charAt(i) <= '9') || text.charAt(i) == '_');
                 i++) {
                exponentDigits |= text.charAt(i) != '_';
            }
            if (!exponentDigits) {
                return false;
            }
        }
        return i == text.length();
    }

    /** Go's {@code underscoreOK}: underscores only between digits, or after a base prefix. */
    private static boolean underscoresOk(final String text) {
        String s = text;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            s = s.substring(1);
        }
        char saw = '^';
        int i = 0;
        boolean hex = false;
        if (s.length() >= 2 && s.charAt(0) == '0' && "bBoOxX".indexOf(s.charAt(1)) >= 0) {
            i = 2;
            saw = '0';
            hex = s.charAt(1) == 'x' || s.charAt(1) == 'X';
        }
        for (; i < s.length(); i++) {
            final char c = s.charAt(i);
            if ((c >= '0' && c <= '9') || (hex && Character.digit(c, 16) >= 0)) {
                saw = '0';
                continue;
            }
            if (c == '_') {
                if (saw != '0') {
                    return false;
                }
                saw = '_';
                continue;
            }
            if (saw == '_') {
                return false;
            }
            saw = '!';
        }
        return saw != '_';
    }
}
