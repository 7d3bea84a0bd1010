package io.tidemark.server;

import io.netty.buffer.ByteBuf;

/**
 * Writes JSON into a Netty buffer by hand, as Prometheus' encoder (jsoniter in standard-library mode) does: strings
 * in UTF-8 with {@code "}, {@code \}, control characters, {@code <}, {@code >}, {@code &}, U+2028 and U+2029
 * escaped, and a lone surrogate written as U+FFFD. The caller places commas through {@link #comma()}; the writer keeps
 * no nesting state. Not thread-safe; one per response.
 */
public final class JsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ByteBuf out;

    /** A writer appending to {@code out}. */
    public JsonWriter(final ByteBuf out) {
        this.out = out;
    }

    /** The buffer written to. */
    public ByteBuf buffer() {
        return out;
    }

    /** Appends ASCII text as it is (punctuation, numbers, literals). */
    public JsonWriter raw(final String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            out.writeByte(ascii.charAt(i));
        }
        return this;
    }

    /** Appends one ASCII character as it is. */
    public JsonWriter raw(final char c) {
        out.writeByte(c);
        return this;
    }

    /** Appends a comma. */
    public JsonWriter comma() {
        out.writeByte(',');
        return this;
    }

    /** Appends {@code "name":}. */
    public JsonWriter name(final String name) {
        string(name);
        out.writeByte(':');
        return this;
    }

    /** Appends a decimal integer. */
    public JsonWriter number(final long value) {
        return raw(Long.toString(value));
    }

    /** Appends {@code value} as a quoted, escaped JSON string ({@code null} as the literal). */
    public JsonWriter string(final String value) {
        if (value == null) {
            return raw("null");
        }
        out.writeByte('"');
        final int n = value.length();
        for (int i = 0; i < n; i++) {
            final char c = value.charAt(i);
            if (c < 0x80) {
                ascii(c);
            } else if (c < 0x800) {
                out.writeByte(0xC0 | c >> 6);
                out.writeByte(0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                final int cp = Character.toCodePoint(c, value.charAt(++i));
                out.writeByte(0xF0 | cp >> 18);
                out.writeByte(0x80 | cp >> 12 & 0x3F);
                out.writeByte(0x80 | cp >> 6 & 0x3F);
                out.writeByte(0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                threeBytes('\uFFFD');
            } else if (c == '\u2028' || c == '\u2029') {
                unicodeEscape(c);
            } else {
                threeBytes(c);
            }
        }
        out.writeByte('"');
        return this;
    }

    private void ascii(final char c) {
        switch (c) {
            case '"' -> {
                out.writeByte('\\');
                out.writeByte('"');
            }
            case '\\' -> {
                out.writeByte('\\');
                out.writeByte('\\');
            }
            case '\n' -> {
                out.writeByte('\\');
                out.writeByte('n');
            }
            case '\r' -> {
                out.writeByte('\\');
                out.writeByte('r');
            }
            case '\t' -> {
                out.writeByte('\\');
                out.writeByte('t');
            }
            case '<', '>', '&' -> unicodeEscape(c);
            default -> {
                if (c < 0x20) {
                    unicodeEscape(c);
                } else {
                    out.writeByte(c);
                }
            }
        }
    }

    private void threeBytes(final char c) {
        out.writeByte(0xE0 | c >> 12);
        out.writeByte(0x80 | c >> 6 & 0x3F);
        out.writeByte(0x80 | c & 0x3F);
    }

    private void unicodeEscape(final char c) {
        out.writeByte('\\');
        out.writeByte('u');
        out.writeByte(HEX[c >> 12 & 0xF]);
        out.writeByte(HEX[c >> 8 & 0xF]);
        out.writeByte(HEX[c >> 4 & 0xF]);
        out.writeByte(HEX[c & 0xF]);
    }
}
