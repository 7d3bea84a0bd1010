package io.tidemark.index.matchers;

import java.util.ArrayList;
import java.util.List;

/**
 * Recognises the regex shapes that can be matched without a regex engine, working on the RE2 source text (which
 * {@link Re2Translator} has already validated). Every recognised shape is exact: it matches precisely the strings the
 * anchored, dot-matches-newline regex matches.
 */
final class RegexShape {
    /** RE2's metacharacters: what Go's QuoteMeta escapes. */
    private static final String META = "\\.+*?()|[]{}^$";

    private RegexShape() {
    }

    /** The literal {@code source} spells if it is only plain characters and escaped punctuation, else null. */
    static String literal(final String source) {
        final StringBuilder literal = new StringBuilder(source.length());
        for (int i = 0; i < source.length(); i++) {
            final char c = source.charAt(i);
            if (c == '\\') {
                if (i + 1 >= source.length() || !isEscapedPunctuation(source.charAt(i + 1))) {
                    return null;
                }
                literal.append(source.charAt(++i));
            } else if (META.indexOf(c) >= 0) {
                return null;
            } else {
                literal.append(c);
            }
        }
        return literal.toString();
    }

    /** The alternatives of {@code a|b|c}, {@code (a|b)} or {@code (?:a|b)} if all are literals (at least two), else null. */
    static List<String> literalAlternatives(final String source) {
        String body = source;
        if (body.endsWith(")") && !body.endsWith("\\)")) {
            if (body.startsWith("(?:")) {
                body = body.substring(3, body.length() - 1);
            } else if (body.startsWith("(") && !body.startsWith("(?")) {
                body = body.substring(1, body.length() - 1);
            }
        }
        final List<String> alternatives = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= body.length(); i++) {
            if (i < body.length() && body.charAt(i) == '\\') {
                i++;
            } else if (i == body.length() || body.charAt(i) == '|') {
                final String literal = literal(body.substring(from, Math.min(i, body.length())));
                if (literal == null) {
                    return null;
                }
                alternatives.add(literal);
                from = i + 1;
            }
        }
        return alternatives.size() < 2 ? null : alternatives;
    }

    /**
     * The literal text every match of the validated regex {@code source} starts with: the leading plain or escaped
     * characters up to the first metacharacter, dropping one that a quantifier applies to. Empty when the top level
     * has an alternation, since then a match need not start with the first branch.
     */
    static String leadingLiteral(final String source) {
        if (hasTopLevelAlternation(source)) {
            return "";
        }
        final StringBuilder prefix = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            final char c = source.charAt(i);
            final int length;
            final char literal;
            if (c == '\\' && i + 1 < source.length() && isEscapedPunctuation(source.charAt(i + 1))) {
                literal = source.charAt(i + 1);
                length = 2;
            } else if (META.indexOf(c) < 0 && !Character.isSurrogate(c)) {
                literal = c;
                length = 1;
            } else {
                break;
            }
            if (i + length < source.length() && "*+?{".indexOf(source.charAt(i + length)) >= 0) {
                break;
            }
            prefix.append(literal);
            i += length;
        }
        return prefix.toString();
    }

    private static boolean hasTopLevelAlternation(final String source) {
        int depth = 0;
        int i = 0;
        while (i < source.length()) {
            final char c = source.charAt(i);
            if (c == '\\') {
                if (source.startsWith("\\Q", i)) {
                    final int end = source.indexOf("\\E", i + 2);
                    i = end < 0 ? source.length() : end + 2;
                } else {
                    i += 2;
                }
            } else if (c == '[') {
                final Re2ClassParser parser = new Re2ClassParser(source, i);
                parser.parse();
                i = parser.end();
            } else {
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == '|' && depth == 0) {
                    return true;
                }
                i++;
            }
        }
        return false;
    }

    /** True if {@code value} matches {@code literal} under RE2 simple case folding; see {@link #isFoldableAscii}. */
    static boolean equalsFoldingAscii(final String value, final String literal) {
        if (value.length() != literal.length()) {
            return false;
        }
        for (int i = 0; i < literal.length(); i++) {
            final char expected = literal.charAt(i);
            final char actual = value.charAt(i);
            if (actual != expected && !(isAsciiLetter(actual) && (actual | 0x20) == (expected | 0x20))) {
                return false;
            }
        }
        return true;
    }

    /**
     * True if {@code literal} is ASCII without k or s: then its only case-fold partners are ASCII, and RE2's simple
     * folding is plain ASCII case-insensitivity (k folds with the Kelvin sign, s with the long s).
     */
    static boolean isFoldableAscii(final String literal) {
        for (int i = 0; i < literal.length(); i++) {
            final char c = literal.charAt(i);
            if (c >= 0x80 || (c | 0x20) == 'k' || (c | 0x20) == 's') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(final char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isEscapedPunctuation(final char c) {
        return c < 0x80 && !Character.isLetterOrDigit(c);
    }
}
