package io.tidemark.index.matchers;

/**
 * RE2's single-character escapes and Unicode class escapes, shared by the top level and character classes. RE2
 * accepts far fewer escapes than Java: no backreferences ({@code \1} alone), no {@code \e \G \Z \h \R \X \c \k}, no backslash-u escapes,
 * and no escaped letters in general.
 */
final class Re2Escapes {
    /** A decoded escape: the code point and the index just after the escape. */
    record Escaped(int codePoint, int end) {
    }

    /** A {@code \p}/{@code \P} escape: the Java class text and the index just after the escape. */
    record UnicodeClass(String java, int end) {
    }

    private Re2Escapes() {
    }

    /** Decodes the escape at {@code source[start] == '\\'} as one literal code point, as Go's parseEscape does. */
    static Escaped escapedChar(final String source, final int start) {
        if (start + 1 >= source.length()) {
            throw new Re2SyntaxError(Re2SyntaxError.TRAILING_BACKSLASH, "");
        }
        final int c = source.codePointAt(start + 1);
        final int next = start + 1 + Character.charCount(c);
        if (c >= '1' && c <= '7' && !isOctal(source, next)) {
            // A lone non-zero digit is a backreference, which RE2 does not support.
            throw invalid(source, start, next);
        }
        if (c >= '0' && c <= '7') {
            int value = c - '0';
            int end = next;
            while (end < next + 2 && isOctal(source, end)) {
                value = value * 8 + source.charAt(end++) - '0';
            }
            return new Escaped(value, end);
        }
        if (c == 'x') {
            return hex(source, start, next);
        }
        final int simple = switch (c) {
            case 'a' -> 7;
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'v' -> 0x0B;
            default -> -1;
        };
        if (simple >= 0) {
            return new Escaped(simple, next);
        }
        if (c < 0x80 && !Character.isLetterOrDigit(c)) {
            return new Escaped(c, next);
        }
        throw invalid(source, start, next);
    }

    private static Escaped hex(final String source, final int start, final int afterX) {
        if (afterX < source.length() && source.charAt(afterX) == '{') {
            final int close = source.indexOf('}', afterX);
            if (close > afterX + 1 && close - afterX <= 9 && allHex(source, afterX + 1, close)) {
                final int value = Integer.parseInt(source.substring(afterX + 1, close), 16);
                if (value <= Character.MAX_CODE_POINT) {
                    return new Escaped(value, close + 1);
                }
            }
            throw invalid(source, start, close < 0 ? source.length() : close + 1);
        }
        if (afterX + 2 <= source.length() && allHex(source, afterX, afterX + 2)) {
            return new Escaped(Integer.parseInt(source.substring(afterX, afterX + 2), 16), afterX + 2);
        }
        throw invalid(source, start, Math.min(source.length(), afterX + 2));
    }

    /** Decodes {@code \pL}, {@code \p{Name}}, {@code \p{^Name}} or {@code \P...} at {@code source[start] == '\\'}. */
    static UnicodeClass unicodeClass(final String source, final int start) {
        boolean negated = source.charAt(start + 1) == 'P';
        final int nameStart = start + 2;
        if (nameStart >= source.length()) {
            throw new Re2SyntaxError(Re2SyntaxError.INVALID_CHAR_RANGE, source.substring(start));
        }
        final String name;
        final int end;
        if (source.charAt(nameStart) == '{') {
            final int close = source.indexOf('}', nameStart);
            if (close < 0) {
                throw new Re2SyntaxError(Re2SyntaxError.INVALID_CHAR_RANGE, source.substring(start));
            }
            end = close + 1;
            String inner = source.substring(nameStart + 1, close);
            if (inner.startsWith("^")) {
                negated = !negated;
                inner = inner.substring(1);
            }
            name = inner;
        } else {
            final int c = source.codePointAt(nameStart);
            end = nameStart + Character.charCount(c);
            name = new String(Character.toChars(c));
        }
        final String java = Re2CharClasses.unicode(name, negated);
        if (java == null) {
            throw new Re2SyntaxError(Re2SyntaxError.INVALID_CHAR_RANGE, source.substring(start, end));
        }
        return new UnicodeClass(java, end);
    }

    private static boolean isOctal(final String source, final int index) {
        return index < source.length() && source.charAt(index) >= '0' && source.charAt(index) <= '7';
    }

    private static boolean allHex(final String source, final int from, final int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(source.charAt(i), 16) < 0 || source.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static Re2SyntaxError invalid(final String source, final int start, final int end) {
        return new Re2SyntaxError(Re2SyntaxError.INVALID_ESCAPE, source.substring(start, end));
    }
}
