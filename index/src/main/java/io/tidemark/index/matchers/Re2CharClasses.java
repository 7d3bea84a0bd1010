package io.tidemark.index.matchers;

import java.util.Locale;
import java.util.Set;

/**
 * The named character classes of RE2 as Java character-class text. RE2's Perl ({@code \d \s \w}) and
 * POSIX ({@code [:alpha:]}) classes are ASCII-only and differ from Java's ({@code \s} has no vertical
 * tab in RE2), so they are spelled out as explicit code point ranges, never as Java's own escapes.
 */
final class Re2CharClasses {
    static final int MAX_CODE_POINT = Character.MAX_CODE_POINT;

    private static final int[] DIGIT = {'0', '9'};
    private static final int[] PERL_SPACE = {'\t', '\n', '\f', '\r', ' ', ' '};
    private static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};

    /** Go's unicode.Categories; {@code C} alone is not Java's (Java's includes unassigned code points). */
    private static final Set<String> CATEGORIES = Set.of("C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt",
        "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc",
        "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs");

    private Re2CharClasses() {
    }

    /** Ranges of {@code \d}, {@code \s} or {@code \w} (lower-case letter), or null for any other letter. */
    static int[] perl(final int letter) {
        return switch (letter) {
            case 'd' -> DIGIT;
            case 's' -> PERL_SPACE;
            case 'w' -> WORD;
            default -> null;
        };
    }

    /** Ranges of the POSIX class {@code [:name:]}, or null if RE2 does not know the name. */
    static int[] posix(final String name) {
        return switch (name) {
            case "alnum" -> new int[] {'0', '9', 'A', 'Z', 'a', 'z'};
            case "alpha" -> new int[] {'A', 'Z', 'a', 'z'};
            case "ascii" -> new int[] {0, 0x7F};
            case "blank" -> new int[] {'\t', '\t', ' ', ' '};
            case "cntrl" -> new int[] {0, 0x1F, 0x7F, 0x7F};
            case "digit" -> DIGIT;
            case "graph" -> new int[] {'!', '~'};
            case "lower" -> new int[] {'a', 'z'};
            case "print" -> new int[] {' ', '~'};
            case "punct" -> new int[] {'!', '/', ':', '@', '[', '`', '{', '~'};
            case "space" -> new int[] {'\t', '\r', ' ', ' '};
            case "upper" -> new int[] {'A', 'Z'};
            case "word" -> WORD;
            case "xdigit" -> new int[] {'0', '9', 'A', 'F', 'a', 'f'};
            default -> null;
        };
    }

    /** The ranges not in {@code ranges} (sorted, disjoint pairs) within 0..{@link #MAX_CODE_POINT}. */
    static int[] complement(final int[] ranges) {
        final int[] result = new int[ranges.length + 2];
        int count = 0;
        int next = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            if (ranges[i] > next) {
                result[count++] = next;
                result[count++] = ranges[i] - 1;
            }
            next = ranges[i + 1] + 1;
        }
        if (next <= MAX_CODE_POINT) {
            result[count++] = next;
            result[count++] = MAX_CODE_POINT;
        }
        return java.util.Arrays.copyOf(result, count);
    }

    /** Appends {@code ranges} as the inside of a Java character class. */
    static void appendRanges(final StringBuilder out, final int[] ranges) {
        for (int i = 0; i < ranges.length; i += 2) {
            appendCodePoint(out, ranges[i]);
            if (ranges[i + 1] != ranges[i]) {
                out.append('-');
                appendCodePoint(out, ranges[i + 1]);
            }
        }
    }

    /** Appends {@code codePoint} so that Java reads it as that literal character, in or out of a class. */
    static void appendCodePoint(final StringBuilder out, final int codePoint) {
        if (codePoint < 0x80 && Character.isLetterOrDigit(codePoint)) {
            out.append((char) codePoint);
        } else {
            out.append("\\x{").append(Integer.toHexString(codePoint)).append('}');
        }
    }

    /**
     * The Java class (with brackets) for RE2's {@code \p{name}}, negated for {@code \P} or {@code \p{^name}}; null if
     * RE2 does not know the name (RE2 knows Go's general categories, its scripts, and {@code Any}; names are
     * case-sensitive).
     */
    static String unicode(final String name, final boolean negated) {
        final String open = negated ? "[^" : "[";
        if (name.equals("Any")) {
            return (negated ? "[^" : "[") + "\\x{0}-\\x{10ffff}]";
        }
        if (name.equals("C")) {
            return open + "\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}]";
        }
        if (CATEGORIES.contains(name)) {
            return open + "\\p{" + name + "}]";
        }
        if (isScript(name)) {
            return open + "\\p{Is" + name + "}]";
        }
        return null;
    }

    private static boolean isScript(final String name) {
        if (name.isEmpty() || !name.chars().allMatch(c -> c == '_' || (c < 0x80 && Character.isLetter(c)))) {
            return false;
        }
        final Character.UnicodeScript script;
        try {
            script = Character.UnicodeScript.forName(name);
        } catch (final IllegalArgumentException ignored) {
            return false;
        }
        // Go spells scripts Title_Case ("Old_Italic"); Java accepts any case, RE2 does not.
        final StringBuilder expected = new StringBuilder();
        for (final String word : script.name().split("_")) {
            if (!expected.isEmpty()) {
                expected.append('_');
            }
            expected.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return expected.toString().equals(name) && script != Character.UnicodeScript.UNKNOWN;
    }
}
