package io.tidemark.index.matchers;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Validates a regex the way Go's {@code regexp/syntax} parses it (flags {@code Perl|DotNL}, as Prometheus does) and
 * translates it into an equivalent {@link java.util.regex.Pattern} expression that needs no compile flags.
 *
 * <p>Every construct whose meaning differs between the dialects is spelled out explicitly: {@code .} by the current
 * {@code s} flag, {@code ^}/{@code $} by the {@code m} flag (RE2's {@code $} without {@code m} is {@code \z}, Java's
 * also matches before a final newline), lazy/greedy by the {@code U} flag (Java has none), Perl and POSIX classes as
 * ASCII ranges, {@code \v} as the vertical tab, octal escapes, and {@code {} that is not a repeat as a literal. Java
 * constructs RE2 lacks (backreferences, lookaround, atomic groups, possessive quantifiers, class intersection) are
 * rejected or cannot be produced. The same walk measures the regex's {@link ZeroReadSteps}. Not thread-safe; one
 * instance per translation.
 */
final class Re2Translator {
    private static final int FOLD_CASE = 1;
    private static final int MULTI_LINE = 2;
    private static final int DOT_NEWLINE = 4;
    private static final int UNGREEDY = 8;
    private static final int MAX_REPEAT = 1000;

    private enum Last { NOTHING, ATOM, REPEAT }

    /** The Java expression and the {@link ZeroReadSteps} bound of one RE2 regex. */
    record Translation(String java, long zeroReadSteps) {
    }

    private final String source;
    private final StringBuilder out = new StringBuilder();
    private final Deque<Integer> savedFlags = new ArrayDeque<>();
    private final ZeroReadSteps zeroReadSteps = new ZeroReadSteps();
    private int position;
    private int flags = DOT_NEWLINE;
    private Last last = Last.NOTHING;
    private int lastRepeatStart;

    private Re2Translator(final String source) {
        this.source = source;
    }

    /** The Java expression for RE2 {@code source} matched as a whole; throws {@link Re2SyntaxError} if RE2 rejects it. */
    static String translate(final String source) {
        return translateMeasured(source).java();
    }

    /** {@link #translate}, with the regex's {@link ZeroReadSteps} bound. */
    static Translation translateMeasured(final String source) {
        final Re2Translator translator = new Re2Translator(source);
        translator.run();
        return new Translation(translator.out.toString(), translator.zeroReadSteps.total());
    }

    private void run() {
        while (position < source.length()) {
            final int c = source.codePointAt(position);
            switch (c) {
                case '(' -> openGroup();
                case ')' -> closeGroup();
                case '|' -> {
                    position++;
                    out.append('|');
                    zeroReadSteps.alternate();
                    last = Last.NOTHING;
                }
                case '*', '+', '?' -> repeat(position, position + 1, String.valueOf((char) c), c == '+' ? 1 : 0);
                case '{' -> braces();
                case '[' -> {
                    final Re2ClassParser parser = new Re2ClassParser(source, position);
                    final String java = parser.parse();
                    position = parser.end();
                    atom(java);
                }
                case '.' -> {
                    position++;
                    atom((flags & DOT_NEWLINE) != 0 ? "(?s:.)" : "[^\\n]");
                }
                case '^' -> {
                    position++;
                    zeroWidthAtom((flags & MULTI_LINE) != 0 ? "(?:\\A|(?<=\\n))" : "(?:\\A)");
                }
                case '$' -> {
                    position++;
                    zeroWidthAtom((flags & MULTI_LINE) != 0 ? "(?:\\z|(?=\\n))" : "(?:\\z)");
                }
                case '\\' -> escape();
                default -> {
                    position += Character.charCount(c);
                    literal(c);
                }
            }
        }
        if (!savedFlags.isEmpty()) {
            throw new Re2SyntaxError(Re2SyntaxError.MISSING_PAREN, source);
        }
    }

    /** An atom that reads one char: a class or dot. */
    private void atom(final String java) {
        out.append(java);
        zeroReadSteps.readingAtom();
        last = Last.ATOM;
    }

    /** An anchor or word boundary. */
    private void zeroWidthAtom(final String java) {
        out.append(java);
        zeroReadSteps.zeroWidthAtom();
        last = Last.ATOM;
    }

    private void literal(final int codePoint) {
        Re2CharClasses.appendCodePoint(out, codePoint);
        zeroReadSteps.readingAtom();
        last = Last.ATOM;
    }

    private void openGroup() {
        final int start = position;
        if (!source.startsWith("(?", start)) {
            position++;
            pushGroup(flags);
            return;
        }
        if (source.startsWith("(?P<", start) || source.startsWith("(?<", start)) {
            final int nameStart = start + (source.charAt(start + 2) == 'P' ? 4 : 3);
            final int end = source.indexOf('>', nameStart);
            if (end < 0) {
                throw new Re2SyntaxError(Re2SyntaxError.INVALID_NAMED_CAPTURE, source.substring(start));
            }
            final String name = source.substring(nameStart, end);
            if (name.isEmpty() || !name.chars().allMatch(ch -> ch == '_' || Character.isLetterOrDigit(ch))) {
                throw new Re2SyntaxError(Re2SyntaxError.INVALID_NAMED_CAPTURE, source.substring(start, end + 1));
            }
            position = end + 1;
            pushGroup(flags);
            return;
        }
        int newFlags = flags;
        boolean negate = false;
        boolean sawFlag = false;
        position = start + 2;
        while (position < source.length()) {
            final char c = source.charAt(position++);
            final int bit = switch (c) {
                case 'i' -> FOLD_CASE;
                case 'm' -> MULTI_LINE;
                case 's' -> DOT_NEWLINE;
                case 'U' -> UNGREEDY;
                default -> 0;
            };
            if (bit != 0) {
                newFlags = negate ? newFlags & ~bit : newFlags | bit;
                sawFlag = true;
            } else if (c == '-' && !negate) {
                negate = true;
                sawFlag = false;
            } else if ((c == ':' || c == ')') && (!negate || sawFlag)) {
                if (c == ':') {
                    pushGroup(newFlags);
                } else {
                    setFlags(newFlags);
                }
                return;
            } else {
                break;
            }
        }
        throw new Re2SyntaxError(Re2SyntaxError.INVALID_PERL_OP, source.substring(start, position));
    }

    private void pushGroup(final int groupFlags) {
        savedFlags.push(flags);
        out.append((groupFlags & FOLD_CASE) != 0 ? "(?iu:" : "(?-iu:");
        zeroReadSteps.openGroup();
        flags = groupFlags;
        last = Last.NOTHING;
    }

    private void setFlags(final int newFlags) {
        if ((newFlags & FOLD_CASE) != (flags & FOLD_CASE)) {
            out.append((newFlags & FOLD_CASE) != 0 ? "(?iu)" : "(?-iu)");
        }
        flags = newFlags;
        // Go would repeat whatever preceded the flags; Java cannot repeat a flag group, so a repeat here is an error.
        last = Last.NOTHING;
    }

    private void closeGroup() {
        if (savedFlags.isEmpty()) {
            throw new Re2SyntaxError(Re2SyntaxError.UNEXPECTED_PAREN, source);
        }
        position++;
        flags = savedFlags.pop();
        out.append(')');
        zeroReadSteps.closeGroup();
        last = Last.ATOM;
    }

    /**
     * {@code operator}, with minimum count {@code min}, spans source[start, end); a following '?' makes it lazy (greedy
     * under the U flag).
     */
    private void repeat(final int start, final int end, final String operator, final int min) {
        position = end;
        boolean lazy = false;
        if (position < source.length() && source.charAt(position) == '?') {
            lazy = true;
            position++;
        }
        if (last == Last.REPEAT) {
            throw new Re2SyntaxError(Re2SyntaxError.INVALID_REPEAT_OP, source.substring(lastRepeatStart, position));
        }
        if (last == Last.NOTHING) {
            throw new Re2SyntaxError(Re2SyntaxError.MISSING_REPEAT_ARGUMENT, source.substring(start, position));
        }
        out.append(operator);
        zeroReadSteps.repeat(min);
        if (lazy != ((flags & UNGREEDY) != 0)) {
            out.append('?');
        }
        last = Last.REPEAT;
        lastRepeatStart = start;
    }

    /** {n}, {n,} or {n,m} is a repeat; any other '{' is a literal in RE2 (an error in Java). */
    private void braces() {
        final int start = position;
        int cursor = start + 1;
        final int minStart = cursor;
        while (cursor < source.length() && Character.isDigit(source.charAt(cursor)) && source.charAt(cursor) < 0x80) {
            cursor++;
        }
        final String min = source.substring(minStart, cursor);
        String max = min;
        if (cursor < source.length() && source.charAt(cursor) == ',') {
            cursor++;
            final int maxStart = cursor;
            while (cursor < source.length() && source.charAt(cursor) >= '0' && source.charAt(cursor) <= '9') {
                cursor++;
            }
            max = source.substring(maxStart, cursor);
        }
        if (min.isEmpty() || cursor >= source.length() || source.charAt(cursor) != '}') {
            position++;
            literal('{');
            return;
        }
        final int end = cursor + 1;
        final int low = boundedNumber(min);
        final int high = max.isEmpty() ? -1 : boundedNumber(max);
        if (low > MAX_REPEAT || high > MAX_REPEAT || (high >= 0 && high < low)) {
            throw new Re2SyntaxError(Re2SyntaxError.INVALID_REPEAT_SIZE, source.substring(start, end));
        }
        repeat(start, end, "{" + low + (min.equals(max) ? "" : "," + (high < 0 ? "" : high)) + "}", low);
    }

    private static int boundedNumber(final String digits) {
        return digits.length() > 7 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    private void escape() {
        final int start = position;
        if (start + 1 >= source.length()) {
            throw new Re2SyntaxError(Re2SyntaxError.TRAILING_BACKSLASH, "");
        }
        final char c = source.charAt(start + 1);
        switch (c) {
            case 'A' -> assertion("(?:\\A)");
            case 'z' -> assertion("(?:\\z)");
            case 'b' -> assertion("(?:\\b)");
            case 'B' -> assertion("(?:\\B)");
            case 'Q' -> {
                final int end = source.indexOf("\\E", start + 2);
                final String quoted = source.substring(start + 2, end < 0 ? source.length() : end);
                quoted.codePoints().forEach(this::literal);
                position = end < 0 ? source.length() : end + 2;
            }
            case 'd', 's', 'w', 'D', 'S', 'W' -> {
                final int[] ranges = Re2CharClasses.perl(Character.toLowerCase(c));
                final StringBuilder java = new StringBuilder("[");
                Re2CharClasses.appendRanges(java, Character.isUpperCase(c) ? Re2CharClasses.complement(ranges) : ranges);
                position = start + 2;
                atom(java.append(']').toString());
            }
            case 'p', 'P' -> {
                final Re2Escapes.UnicodeClass unicode = Re2Escapes.unicodeClass(source, start);
                position = unicode.end();
                atom(unicode.java());
            }
            default -> {
                final Re2Escapes.Escaped escaped = Re2Escapes.escapedChar(source, start);
                position = escaped.end();
                literal(escaped.codePoint());
            }
        }
    }

    private void assertion(final String java) {
        position += 2;
        zeroWidthAtom(java);
    }
}
