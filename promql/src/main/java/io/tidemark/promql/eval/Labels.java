package io.tidemark.promql.eval;

import io.tidemark.index.series.LabelSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * An immutable label set of a query result, sorted by name, without empty values. Ordered as Prometheus orders
 * series (label by label, name then value). Cheap to compare: the hash is computed once.
 */
public final class Labels implements Comparable<Labels> {
    /** The metric name label. */
    public static final String NAME = "__name__";
    /** No labels. */
    public static final Labels EMPTY = new Labels(new String[0]);

    private final String[] pairs;
    private final int hash;

    private Labels(final String[] pairs) {
        this.pairs = pairs;
        this.hash = Arrays.hashCode(pairs);
    }

    /** The labels of a stored series. */
    public static Labels of(final LabelSet set) {
        final String[] pairs = new String[set.size() * 2];
        for (int i = 0; i < set.size(); i++) {
            pairs[2 * i] = set.name(i);
            pairs[2 * i + 1] = set.value(i);
        }
        return sorted(pairs);
    }

    /** Labels from name/value pairs in any order; empty values are dropped. */
    public static Labels of(final String... namesAndValues) {
        return sorted(namesAndValues.clone());
    }

    private static Labels sorted(final String[] raw) {
        final int n = raw.length / 2;
        final Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> raw[2 * a].compareTo(raw[2 * b]));
        final List<String> out = new ArrayList<>(raw.length);
        for (final int i : order) {
            if (!raw[2 * i + 1].isEmpty()) {
                out.add(raw[2 * i]);
                out.add(raw[2 * i + 1]);
            }
        }
        return new Labels(out.toArray(new String[0]));
    }

    /** Number of labels. */
    public int size() {
        return pairs.length / 2;
    }

    /** Name of label {@code i}. */
    public String name(final int i) {
        return pairs[2 * i];
    }

    /** Value of label {@code i}. */
    public String value(final int i) {
        return pairs[2 * i + 1];
    }

    /**
     * Prometheus 3's rule for label names ({@code model.UTF8Validation.IsValidLabelName}): not empty and valid UTF-8.
     * Query text that is not valid UTF-8 reaches Java as U+FFFD (and lone surrogates), so those stand for invalid bytes.
     */
    public static boolean isValidName(final String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            final char c = name.charAt(i);
            if (c == '\uFFFD') {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The value of {@code name}, or "" if absent. */
    public String get(final String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                return pairs[i + 1];
            }
        }
        return "";
    }

    /** True if the label is present. */
    public boolean has(final String name) {
        return !get(name).isEmpty();
    }

    /** These labels with {@code name} set to {@code value} (removed when the value is empty). */
    public Labels with(final String name, final String value) {
        final List<String> out = new ArrayList<>(pairs.length + 2);
        boolean placed = value.isEmpty();
        for (int i = 0; i < pairs.length; i += 2) {
            final int c = pairs[i].compareTo(name);
            if (c == 0) {
                continue;
            }
            if (c > 0 && !placed) {
                out.add(name);
                out.add(value);
                placed = true;
            }
            out.add(pairs[i]);
            out.add(pairs[i + 1]);
        }
        if (!placed) {
            out.add(name);
            out.add(value);
        }
        return new Labels(out.toArray(new String[0]));
    }

    /** These labels without the given names. */
    public Labels without(final Collection<String> names) {
        final List<String> out = new ArrayList<>(pairs.length);
        for (int i = 0; i < pairs.length; i += 2) {
            if (!names.contains(pairs[i])) {
                out.add(pairs[i]);
                out.add(pairs[i + 1]);
            }
        }
        return out.size() == pairs.length ? this : new Labels(out.toArray(new String[0]));
    }

    /** Only the labels with the given names. */
    public Labels keep(final Collection<String> names) {
        final List<String> out = new ArrayList<>(pairs.length);
        for (int i = 0; i < pairs.length; i += 2) {
            if (names.contains(pairs[i])) {
                out.add(pairs[i]);
                out.add(pairs[i + 1]);
            }
        }
        return new Labels(out.toArray(new String[0]));
    }

    /** These labels without the metric name and the other metadata labels ({@code __type__}, {@code __unit__}). */
    public Labels withoutMetadata() {
        return without(METADATA);
    }

    private static final List<String> METADATA = List.of(NAME, "__type__", "__unit__");

    @Override
    public int compareTo(final Labels other) {
        final int n = Math.min(pairs.length, other.pairs.length);
        for (int i = 0; i < n; i++) {
            final int c = pairs[i].compareTo(other.pairs[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pairs.length, other.pairs.length);
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Labels that && hash == that.hash && Arrays.equals(pairs, that.pairs);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Prometheus' form: {@code {__name__="up", job="api"}}. */
    @Override
    public String toString() {
        final StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(pairs[i]).append('=');
            quote(out, pairs[i + 1]);
        }
        return out.append('}').toString();
    }

    static void quote(final StringBuilder out, final String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        out.append('"');
    }
}
