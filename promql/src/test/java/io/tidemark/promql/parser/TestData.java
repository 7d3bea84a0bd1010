package io.tidemark.promql.parser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the tab-separated case tables under test resources; strings in them are JSON-quoted. */
final class TestData {
    private TestData() {
    }

    /** The non-comment lines of resource {@code name}, split at tabs. */
    static List<String[]> rows(final String name) {
        final InputStream in = TestData.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        final List<String[]> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    rows.add(line.split("\t", -1));
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** Decodes one JSON string literal, quotes included. */
    static String json(final String literal) {
        final StringBuilder out = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            final char c = literal.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            final char e = literal.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }

    /** Decodes a JSON array of {@code [TYPE, position, "text"]} triples. */
    static List<String[]> jsonTriples(final String array) {
        final List<String[]> triples = new ArrayList<>();
        int i = 0;
        while ((i = array.indexOf("[\"", i)) >= 0) {
            final int typeEnd = array.indexOf('"', i + 2);
            final String type = array.substring(i + 2, typeEnd);
            final int comma = array.indexOf(',', typeEnd);
            final int comma2 = array.indexOf(',', comma + 1);
            final String position = array.substring(comma + 1, comma2).trim();
            int j = array.indexOf('"', comma2) + 1;
            while (array.charAt(j) != '"') {
                j += array.charAt(j) == '\\' ? 2 : 1;
            }
            triples.add(new String[] {type, position, json(array.substring(array.indexOf('"', comma2), j + 1))});
            i = j + 1;
        }
        return triples;
    }
}
