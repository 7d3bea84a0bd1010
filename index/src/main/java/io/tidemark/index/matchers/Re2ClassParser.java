package io.tidemark.index.matchers;

/**
 * Parses one RE2 bracket class ({@code [...]}) and writes it as a Java class. RE2 reads {@code [}, {@code &&} and a
 * leading {@code ]} literally where Java would nest, intersect or fail, so every member is re-emitted as an escaped code
 * point, a range, or a nested class built from explicit ranges. Negated nested classes rely on Java 9+ semantics,
 * where a leading {@code ^} negates the whole union.
 */
final class Re2ClassParser {
    private final String source;
    private final int start;
    private int position;

    Re2ClassParser(final String source, final int start) {
        this.source = source;
        this.start = start;
        this.position = start;
    }

    /** Index just after the closing bracket; valid after {@link #parse()}. */
    int end() {
        return position;
    }

    /** The Java class for the class at {@code source[start] == '['}; throws {@link Re2SyntaxError} as RE2 would. */
    String parse() {
        position = start + 1;
        final StringBuilder java = new StringBuilder("[");
        if (position < source.length() && source.charAt(position) == '^') {
            java.append('^');
            position++;
        }
        boolean first = true;
        while (position < source.length() && (source.charAt(position) != ']' || first)) {
            first = false;
            if (!namedClass(java) && !escapedClass(java)) {
                range(java);
            }
        }
        if (position >= source.length()) {
            throw new Re2SyntaxError(Re2SyntaxError.MISSING_BRACKET, source.substring(start));
        }
        position++;
        return java.append(']').toString();
    }

    private boolean namedClass(final StringBuilder java) {
        if (!source.startsWith("[:", position)) {
            return false;
        }
        final int close = source.indexOf(":]", position + 2);
        if (close < 0) {
            return false;
        }
        final String text = source.substring(position, close + 2);
        String name = source.substring(position + 2, close);
        final boolean negated = name.startsWith("^");
        if (negated) {
            name = name.substring(1);
        }
        final int[] ranges = Re2CharClasses.posix(name);
        if (ranges == null) {
            throw new Re2SyntaxError(Re2SyntaxError.INVALID_CHAR_RANGE, text);
        }
        nested(java, negated ? Re2CharClasses.complement(ranges) : ranges);
        position = close + 2;
        return true;
    }

    private boolean escapedClass(final StringBuilder java) {
        if (source.charAt(position) != '\\' || position + 1 >= source.length()) {
            return false;
        }
        final char c = source.charAt(position + 1);
        if (c == 'p' || c == 'P') {
            final Re2Escapes.UnicodeClass unicode = Re2Escapes.unicodeClass(source, position);
            java.append(unicode.java());
            position = unicode.end();
            return true;
        }
        final int[] ranges = Re2CharClasses.perl(Character.toLowerCase(c));
        if (ranges == null || (c != 'd' && c != 's' && c != 'w' && c != 'D' && c != 'S' && c != 'W')) {
            return false;
        }
        nested(java, Character.isUpperCase(c) ? Re2CharClasses.complement(ranges) : ranges);
        position += 2;
        return true;
    }

    private static void nested(final StringBuilder java, final int[] ranges) {
        java.append('[');
        Re2CharClasses.appendRanges(java, ranges);
        java.append(']');
    }

    private void range(final StringBuilder java) {
        final int rangeStart = position;
        final int low = classChar();
        int high = low;
        // [a-] is 'a' or '-'.
        if (position + 1 < source.length() && source.charAt(position) == '-' && source.charAt(position + 1) != ']') {
            position++;
            high = classChar();
            if (high < low) {
                throw new Re2SyntaxError(Re2SyntaxError.INVALID_CHAR_RANGE, source.substring(rangeStart, position));
            }
        }
        Re2CharClasses.appendRanges(java, new int[] {low, high});
    }

    private int classChar() {
        if (position >= source.length()) {
            throw new Re2SyntaxError(Re2SyntaxError.MISSING_BRACKET, source.substring(start));
        }
        if (source.charAt(position) == '\\') {
            final Re2Escapes.Escaped escaped = Re2Escapes.escapedChar(source, position);
            position = escaped.end();
            return escaped.codePoint();
        }
        final int c = source.codePointAt(position);
        position += Character.charCount(c);
        return c;
    }
}
