package io.tidemark.client;

import io.tidemark.client.protocol.Protocol;
import io.tidemark.client.protocol.RegisterFrame;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Normalizes a label set as the server's REGISTER rules want it (docs/protocol.md, "REGISTER"; the remote-write
 * rules): drops labels with an empty value, checks names are non-empty and every text valid UTF-8, sorts by name in
 * unsigned byte order, refuses duplicate names, wants a {@code __name__}, at most {@link #MAX_LABELS} labels, and a
 * size that fits any frame. Misuse throws {@link IllegalArgumentException}, so the server never has to refuse.
 */
final class LabelSets {
    /** Most labels of one series, as REGISTER allows. */
    static final int MAX_LABELS = 64;
    /** Most bytes a label set may take in REGISTER: it must fit a handshake-sized frame with its entry. */
    static final int MAX_ENCODED_BYTES = Protocol.HANDSHAKE_MAX_FRAME_BYTES - Protocol.HEADER_BYTES
        - RegisterFrame.ENTRIES - RegisterFrame.MIN_ENTRY_BYTES;
    /** The metric name label. */
    static final String METRIC_NAME = "__name__";

    /**
     * A valid label set.
     *
     * @param pairs        names and values alternating, sorted by name
     * @param utf8         the same as UTF-8
     * @param encodedBytes bytes on the wire: the u16 count and every str16
     */
    record Normalized(String[] pairs, byte[][] utf8, int encodedBytes) {
    }

    private LabelSets() {
    }

    /** Validates and sorts {@code pairs} (names and values alternating). */
    static Normalized normalize(final String... pairs) {
        if (pairs == null || (pairs.length & 1) != 0) {
            throw new IllegalArgumentException("labels must be name/value pairs, got "
                + (pairs == null ? "null" : pairs.length + " strings"));
        }
        int kept = 0;
        final byte[][] names = new byte[pairs.length / 2][];
        final byte[][] values = new byte[pairs.length / 2][];
        final String[] nameText = new String[pairs.length / 2];
        final String[] valueText = new String[pairs.length / 2];
        for (int i = 0; i < pairs.length; i += 2) {
            final String name = pairs[i];
            final String value = pairs[i + 1];
            if (name == null || value == null) {
                throw new IllegalArgumentException("label " + (i / 2) + ": null name or value");
            }
            if (name.isEmpty()) {
                throw new IllegalArgumentException("label " + (i / 2) + ": empty label name");
            }
            if (value.isEmpty()) {
                continue; // an empty value means the label is absent, as in Prometheus
            }
            nameText[kept] = name;
            valueText[kept] = value;
            names[kept] = utf8(name);
            values[kept] = utf8(value);
            kept++;
        }
        if (kept > MAX_LABELS) {
            throw new IllegalArgumentException("labels=" + kept + " is above the limit of " + MAX_LABELS);
        }
        final Integer[] order = new Integer[kept];
        for (int i = 0; i < kept; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(names[a], names[b]));
        final String[] sorted = new String[kept * 2];
        final byte[][] bytes = new byte[kept * 2][];
        int encoded = 2;
        boolean hasName = false;
        for (int i = 0; i < kept; i++) {
            final int at = order[i];
            if (i > 0 && Arrays.equals(names[at], names[order[i - 1]])) {
                throw new IllegalArgumentException("duplicated label " + nameText[at]);
            }
            hasName |= METRIC_NAME.equals(nameText[at]);
            sorted[2 * i] = nameText[at];
            sorted[2 * i + 1] = valueText[at];
            bytes[2 * i] = names[at];
            bytes[2 * i + 1] = values[at];
            encoded += 4 + names[at].length + values[at].length;
        }
        if (!hasName) {
            throw new IllegalArgumentException("no __name__ label in " + Arrays.toString(sorted));
        }
        if (encoded > MAX_ENCODED_BYTES) {
            throw new IllegalArgumentException("labels take " + encoded + " bytes, above the limit of "
                + MAX_ENCODED_BYTES);
        }
        return new Normalized(sorted, bytes, encoded);
    }

    private static byte[] utf8(final String text) {
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("label text is not valid UTF-8: a lone surrogate at index " + i);
            }
        }
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("label name or value of " + bytes.length + " bytes is above 65535");
        }
        return bytes;
    }
}
