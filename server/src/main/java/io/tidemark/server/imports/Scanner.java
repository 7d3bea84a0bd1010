package io.tidemark.server.imports;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reads one line of bytes for the parsers: position, whitespace, expected bytes, UTF-8 strings. Not thread-safe. */
final class Scanner {
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final StringBuilder text = new StringBuilder();
    byte[] bytes;
    int start;
    int position;
    int end;

    void reset(final byte[] line, final int from, final int to) {
        this.bytes = line;
        this.start = from;
        this.position = from;
        this.end = to;
    }

    boolean atEnd() {
        return position >= end;
    }

    int peek() {
        return position < end ? bytes[position] & 0xFF : -1;
    }

    void skipSpaces() {
        while (position < end && (bytes[position] == ' ' || bytes[position] == '\t' || bytes[position] == '\r')) {
            position++;
        }
    }

    void expect(final char c) {
        if (position >= end || bytes[position] != c) {
            throw error(position >= end ? "expected '" + c + "', found the end of the line"
                : "expected '" + c + "', found '" + printable(bytes[position]) + "'");
        }
        position++;
    }

    boolean consume(final char c) {
        if (position < end && bytes[position] == c) {
            position++;
            return true;
        }
        return false;
    }

    ImportFormatException error(final String problem) {
        return new ImportFormatException(problem, position - start);
    }

    static String printable(final byte b) {
        return b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xFF);
    }

    /** Decodes {@code length} bytes at {@code from} as UTF-8, refusing malformed input. */
    String utf8(final int from, final int length) {
        try {
            return utf8.decode(ByteBuffer.wrap(bytes, from, length)).toString();
        } catch (final CharacterCodingException e) {
            position = from;
            throw error("invalid UTF-8");
        }
    }

    /**
     * A quoted string at the position (the opening quote included) with the escapes {@code escapes}
     * allows: JSON's ({@code \" \\ \/ \b \f \n \r \t}, and \\u with four hex digits) or the text format's ({@code \" \\ \n}).
     * At most {@code maxBytes} bytes of content.
     */
    String quoted(final boolean json, final int maxBytes) {
        expect('"');
        final int from = position;
        while (position < end && bytes[position] != '"' && bytes[position] != '\\') {
            position++;
        }
        if (position < end && bytes[position] == '"') { // no escapes: the common case
            if (position - from > maxBytes) {
                throw error("a string of " + (position - from) + " bytes, more than the limit of " + maxBytes);
            }
            final String plain = utf8(from, position - from);
            position++;
            return plain;
        }
        text.setLength(0);
        text.append(utf8(from, position - from));
        while (true) {
            if (position >= end) {
                throw error("unterminated string");
            }
            final byte b = bytes[position];
            if (b == '"') {
                position++;
                break;
            }
            if (b == '\\') {
                position++;
                if (position >= end) {
                    throw error("unterminated escape");
                }
                final byte e = bytes[position++];
                switch (e) {
                    case '"' -> text.append('"');
                    case '\\' -> text.append('\\');
                    case 'n' -> text.append('\n');
                    default -> {
                        if (!json) {
                            position--;
                            throw error("invalid escape '\\" + printable(e) + "' (the text format has \\\\, \\\" and \\n)");
                        }
                        switch (e) {
                            case '/' -> text.append('/');
                            case 'b' -> text.append('\b');
                            case 'f' -> text.append('\f');
                            case 'r' -> text.append('\r');
                            case 't' -> text.append('\t');
                            case 'u' -> text.append(hex4());
                            default -> {
                                position--;
                                throw error("invalid escape '\\" + printable(e) + "'");
                            }
                        }
                    }
                }
                continue;
            }
            if (json && (b & 0xFF) < 0x20) {
                throw error("control character in a string");
            }
            final int run = position;
            while (position < end && bytes[position] != '"' && bytes[position] != '\\') {
                position++;
            }
            text.append(utf8(run, position - run));
        }
        if (text.length() > maxBytes) { // chars, a lower bound of the bytes
            throw error("a string longer than the limit of " + maxBytes + " bytes");
        }
        final String result = text.toString();
        if (json) {
            checkSurrogates(result);
        }
        return result;
    }

    private char hex4() {
        if (end - position < 4) {
            throw error("incomplete \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            final int digit = Character.digit(bytes[position++], 16);
            if (digit < 0) {
                position--;
                throw error("invalid hex digit in a \\u escape");
            }
            value = value << 4 | digit;
        }
        return (char) value;
    }

    private void checkSurrogates(final String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(++i)))
                || Character.isLowSurrogate(c)) {
                throw error("unpaired surrogate in a \\u escape");
            }
        }
    }

    /** The bytes from the position up to (not including) the first of space, tab, CR or end; at least one. */
    String token(final String what) {
        final int from = position;
        while (position < end && bytes[position] != ' ' && bytes[position] != '\t' && bytes[position] != '\r') {
            position++;
        }
        if (position == from) {
            throw error("expected " + what);
        }
        return new String(bytes, from, position - from, StandardCharsets.ISO_8859_1);
    }
}
