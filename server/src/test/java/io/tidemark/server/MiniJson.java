package io.tidemark.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small JSON reader for tests: objects to LinkedHashMap, arrays to List, numbers to Double, strings, booleans, null. */
final class MiniJson {
    private final String text;
    private int at;

    private MiniJson(final String text) {
        this.text = text;
    }

    static Object parse(final String text) {
        final MiniJson json = new MiniJson(text);
        final Object value = json.value();
        json.spaces();
        if (json.at != text.length()) {
            throw new IllegalArgumentException("trailing characters at " + json.at + ": " + text);
        }
        return value;
    }

    private Object value() {
        spaces();
        final char c = text.charAt(at);
        if (c == '{') {
            at++;
            final Map<String, Object> object = new LinkedHashMap<>();
            spaces();
            if (text.charAt(at) == '}') {
                at++;
                return object;
            }
            while (true) {
                spaces();
                final String key = string();
                spaces();
                expect(':');
                object.put(key, value());
                spaces();
                if (text.charAt(at) == ',') {
                    at++;
                    continue;
                }
                expect('}');
                return object;
            }
        }
        if (c == '[') {
            at++;
            final List<Object> array = new ArrayList<>();
            spaces();
            if (text.charAt(at) == ']') {
                at++;
                return array;
            }
            while (true) {
                array.add(value());
                spaces();
                if (text.charAt(at) == ',') {
                    at++;
                    continue;
                }
                expect(']');
                return array;
            }
        }
        if (c == '"') {
            return string();
        }
        for (final String word : new String[] {"true", "false", "null"}) {
            if (text.startsWith(word, at)) {
                at += word.length();
                return word.equals("null") ? null : Boolean.valueOf(word);
            }
        }
        final int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        return Double.parseDouble(text.substring(start, at));
    }

    private String string() {
        expect('"');
        final StringBuilder out = new StringBuilder();
        while (true) {
            final char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            final char e = text.charAt(at++);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> out.append(e);
            }
        }
    }

    private void expect(final char c) {
        if (text.charAt(at) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + at + ": " + text);
        }
        at++;
    }

    private void spaces() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }
}
