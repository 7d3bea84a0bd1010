package io.tidemark.promql.parser;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over a query's UTF-8 bytes that reads one rune at a time and can step back one rune, as Go's lexers do;
 * positions are byte offsets. The base of {@link Lexer}; not thread-safe.
 */
abstract class RuneReader {
    static final int EOF_RUNE = -1;
    static final int RUNE_ERROR = 0xFFFD;

    final byte[] input;
    /** The next byte to read. */
    int position;
    /** The first byte of the token being read. */
    int start;
    /** The byte width of the last rune read, 0 at the end, so that backup() is a no-op there. */
    private int width;

    RuneReader(final byte[] input) {
        this.input = input;
    }

    /** The number of bytes in the query's UTF-8 encoding. */
    final int length() {
        return input.length;
    }

    /** The byte at {@code index} of the query's UTF-8 encoding. */
    final byte byteAt(final int index) {
        return input[index];
    }

    final String text(final int from, final int to) {
        return new String(input, from, to - from, StandardCharsets.UTF_8);
    }

    /** Decodes the next UTF-8 rune; U+FFFD (width 1) for an invalid byte, {@link #EOF_RUNE} at the end. */
    final int nextRune() {
        if (position >= input.length) {
            width = 0;
            return EOF_RUNE;
        }
        final int b0 = input[position] & 0xFF;
        int rune = RUNE_ERROR;
        int w = 1;
        if (b0 < 0x80) {
            rune = b0;
        } else if (b0 >= 0xC2 && b0 < 0xE0 && continuation(1)) {
            rune = ((b0 & 0x1F) << 6) | (input[position + 1] & 0x3F);
            w = 2;
        } else if (b0 >= 0xE0 && b0 < 0xF0 && continuation(2)) {
            final int decoded = ((b0 & 0x0F) << 12) | ((input[position + 1] & 0x3F) << 6)
                | (input[position + 2] & 0x3F);
            if (decoded >= 0x800 && (decoded < 0xD800 || decoded > 0xDFFF)) {
                rune = decoded;
                w = 3;
            }
        } else if (b0 >= 0xF0 && b0 < 0xF5 && continuation(3)) {
            final int decoded = ((b0 & 0x07) << 18) | ((input[position + 1] & 0x3F) << 12)
                | ((input[position + 2] & 0x3F) << 6) | (input[position + 3] & 0x3F);
            if (decoded >= 0x10000 && decoded <= Character.MAX_CODE_POINT) {
                rune = decoded;
                w = 4;
            }
        }
        width = w;
        position += w;
        return rune;
    }

    private boolean continuation(final int count) {
        if (position + count >= input.length) {
            return false;
        }
        for (int i = 1; i <= count; i++) {
            if ((input[position + i] & 0xC0) != 0x80) {
                return false;
            }
        }
        return true;
    }

    final int peekRune() {
        final int r = nextRune();
        backup();
        return r;
    }

    final void backup() {
        position -= width;
    }

    final boolean accept(final String valid) {
        final int r = nextRune();
        if (r != EOF_RUNE && valid.indexOf(r) >= 0) {
            return true;
        }
        backup();
        return false;
    }

    final boolean is(final String valid) {
        final int r = peekRune();
        return r != EOF_RUNE && valid.indexOf(r) >= 0;
    }

    static int digitValue(final int ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        if (ch >= 'a' && ch <= 'f') {
            return ch - 'a' + 10;
        }
        if (ch >= 'A' && ch <= 'F') {
            return ch - 'A' + 10;
        }
        return 16;
    }

    static boolean isDurationKeywordStart(final int r) {
        final int lower = r >= 'A' && r <= 'Z' ? r + ('a' - 'A') : r;
        return lower == 's' || lower == 'r' || lower == 'm';
    }

    static boolean isSpace(final int r) {
        return r == ' ' || r == '\t' || r == '\n' || r == '\r';
    }

    static boolean isDigit(final int r) {
        return r >= '0' && r <= '9';
    }

    static boolean isAlpha(final int r) {
        return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
    }

    static boolean isAlphaNumeric(final int r) {
        return isAlpha(r) || isDigit(r);
    }
}
