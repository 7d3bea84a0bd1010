package io.tidemark.index.series;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable label set on the heap: names sorted in unsigned UTF-8 byte order, unique, non-empty;
 * empty values dropped. For creating series, for tests, and for answers to queries; the write path
 * uses the canonical bytes ({@link LabelSetLayout}) instead.
 */
public final class LabelSet {
    private final byte[][] names;
    private final byte[][] values;

    private LabelSet(final byte[][] names, final byte[][] values) {
        this.names = names;
        this.values = values;
    }

    /** A label set from name/value pairs, e.g. {@code of("__name__", "up", "job", "node")}. */
    public static LabelSet of(final String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must pair up: length=" + namesAndValues.length);
        }
        final Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (map.put(namesAndValues[i], namesAndValues[i + 1]) != null) {
                throw new IllegalArgumentException("duplicate label name: " + namesAndValues[i]);
            }
        }
        return of(map);
    }

    /** A label set from a map of names to values. */
    public static LabelSet of(final Map<String, String> labels) {
        final byte[][][] pairs = labels.entrySet().stream()
            .filter(e -> !e.getValue().isEmpty())
            .map(e -> new byte[][] {utf8(e.getKey()), utf8(e.getValue())})
            .sorted((a, b) -> Arrays.compareUnsigned(a[0], b[0]))
            .toArray(byte[][][]::new);
        if (pairs.length > LabelSetLayout.MAX_LABELS) {
            throw new IllegalArgumentException("too many labels: count=" + pairs.length);
        }
        final byte[][] names = new byte[pairs.length][];
        final byte[][] values = new byte[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            names[i] = pairs[i][0];
            values[i] = pairs[i][1];
            if (names[i].length == 0) {
                throw new IllegalArgumentException("empty label name");
            }
            if (i > 0 && Arrays.equals(names[i], names[i - 1])) {
                throw new IllegalArgumentException("duplicate label name: " + new String(names[i], StandardCharsets.UTF_8));
            }
        }
        return new LabelSet(names, values);
    }

    private static byte[] utf8(final String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("label name or value longer than 65535 bytes: length=" + bytes.length);
        }
        return bytes;
    }

    static LabelSet ofBytes(final byte[][] names, final byte[][] values) {
        return new LabelSet(names, values);
    }

    /** Number of labels. */
    public int size() {
        return names.length;
    }

    /** Name of label {@code i}, in sorted order. */
    public String name(final int i) {
        return new String(names[i], StandardCharsets.UTF_8);
    }

    /** Value of label {@code i}. */
    public String value(final int i) {
        return new String(values[i], StandardCharsets.UTF_8);
    }

    /** Names and values alternating, {@code name0, value0, name1, ...}, in the set's (sorted) order; a new array. */
    public String[] namesAndValues() {
        final String[] pairs = new String[names.length * 2];
        for (int i = 0; i < names.length; i++) {
            pairs[2 * i] = name(i);
            pairs[2 * i + 1] = value(i);
        }
        return pairs;
    }

    /** The value of label {@code name}, or "" if the set has no such label. */
    public String get(final String name) {
        final byte[] key = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < names.length; i++) {
            if (Arrays.equals(names[i], key)) {
                return value(i);
            }
        }
        return "";
    }

    /** Bytes of the canonical form. */
    public int encodedBytes() {
        int bytes = LabelSetLayout.LENGTH_BYTES;
        for (int i = 0; i < names.length; i++) {
            bytes += 2 * LabelSetLayout.LENGTH_BYTES + names[i].length + values[i].length;
        }
        return bytes;
    }

    /** Writes the canonical form at {@code offset}; returns its length. */
    public int encode(final MemorySegment out, final long offset) {
        long position = offset;
        out.set(LabelSetLayout.U16, position, (short) names.length);
        position += LabelSetLayout.LENGTH_BYTES;
        for (int i = 0; i < names.length; i++) {
            position = put(out, position, names[i]);
            position = put(out, position, values[i]);
        }
        return (int) (position - offset);
    }

    private static long put(final MemorySegment out, final long position, final byte[] bytes) {
        out.set(LabelSetLayout.U16, position, (short) bytes.length);
        MemorySegment.copy(bytes, 0, out, ValueLayout.JAVA_BYTE, position + LabelSetLayout.LENGTH_BYTES, bytes.length);
        return position + LabelSetLayout.LENGTH_BYTES + bytes.length;
    }

    /** The canonical form in a new heap segment. */
    public MemorySegment encode() {
        final MemorySegment out = MemorySegment.ofArray(new byte[encodedBytes()]);
        encode(out, 0);
        return out;
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof LabelSet that && Arrays.deepEquals(names, that.names) && Arrays.deepEquals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(names) + Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        final StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            text.append(i == 0 ? "" : ", ").append(name(i)).append("=\"").append(value(i)).append('"');
        }
        return text.append('}').toString();
    }
}
