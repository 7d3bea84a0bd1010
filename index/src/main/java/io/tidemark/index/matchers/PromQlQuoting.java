package io.tidemark.index.matchers;

/**
 * Writes matchers the way Prometheus prints them: Go's {@code strconv.Quote} for values and non-legacy names. Public so
 * that the PromQL printer quotes string literals and label names exactly as matchers are quoted.
 */
public final class PromQlQuoting {
    private PromQlQuoting() {
    }

    /** {@code name} as Prometheus' Matcher.String() writes it: bare if a legacy label name, else quoted. */
    public static void appendName(final StringBuilder out, final String name) {
        if (isLegacyName(name)) {
            out.append(name);
        } else {
            appendQuoted(out, name);
        }
    }

    /** True if {@code name} matches {@code [a-zA-Z_][a-zA-Z0-9_]*}, the legacy label name charset. */
    public static boolean isLegacyName(final String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            final boolean letter = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** Appends {@code value} in double quotes, escaped as Go's strconv.Quote does. */
    public static void appendQuoted(final StringBuilder out, final String value) {
        out.append('"');
        for (int i = 0; i < value.length(); ) {
            final int c = value.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0B -> out.append("\\v");
                default -> appendOther(out, c);
            }
        }
        out.append('"');
    }

    private static void appendOther(final StringBuilder out, final int c) {
        if (isPrintable(c)) {
            out.appendCodePoint(c);
        } else if (c < ' ' || c == 0x7F) {
            out.append(String.format("\\x%02x", c));
        } else if (c < 0x10000) {
            out.append(String.format("\\u%04x", c));
        } else {
            out.append(String.format("\\U%08x", c));
        }
    }

    /** Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isPrintable(final int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED,
                 Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
