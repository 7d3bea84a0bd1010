package io.tidemark.server.remote;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The label rules a remote-write series must follow, and the message for one that breaks them. The
 * check allocates nothing; the message (made once per request, for its first bad series) does.
 * Messages start as Prometheus' write handler's do ("invalid metric name or labels, got {...}",
 * "invalid labels for series, labels {...}, duplicated label X") and then say which rule failed.
 */
public final class InvalidSeries {
    public static final int NONE = 0;
    public static final int EMPTY_LABEL_SET = 1;
    public static final int NO_METRIC_NAME = 2;
    public static final int EMPTY_NAME = 3;
    public static final int INVALID_UTF8 = 4;
    public static final int UNSORTED = 5;
    public static final int DUPLICATE_NAME = 6;
    public static final int TOO_MANY_LABELS = 7;
    public static final int TOO_LONG = 8;

    private static final ValueLayout.OfLong BIG_ENDIAN_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    /** Most characters of a label set quoted in a message. */
    private static final int MESSAGE_LABELS_CHARS = 1024;

    private InvalidSeries() {
    }

    /** Which rule the {@code ordinal}-th label (1-based) breaks, or {@link #NONE}. */
    public static int check(final MemorySegment body, final long name, final long nameLength, final long value, final long valueLength,
                     final long previousName, final long previousNameLength, final int ordinal, final int maxLabels) {
        if (ordinal > maxLabels) {
            return TOO_MANY_LABELS;
        }
        if (nameLength == 0) {
            return EMPTY_NAME;
        }
        if (nameLength > 0xFFFF || valueLength > 0xFFFF) {
            return TOO_LONG;
        }
        if (!Utf8.isValid(body, name, nameLength) || !Utf8.isValid(body, value, valueLength)) {
            return INVALID_UTF8;
        }
        if (previousName >= 0) {
            final int order = compareUnsigned(body, previousName, previousNameLength, name, nameLength);
            if (order > 0) {
                return UNSORTED;
            }
            if (order == 0) {
                return DUPLICATE_NAME;
            }
        }
        return NONE;
    }

    static int compareUnsigned(final MemorySegment body, final long a, final long aLength, final long b, final long bLength) {
        final long last = body.byteSize() - Long.BYTES;
        if (a <= last && b <= last) {
            // Most names differ in their first 8 bytes: compare those as big-endian longs, masked to the
            // shorter name's length when it is shorter than 8.
            final int common = (int) Math.min(Long.BYTES, Math.min(aLength, bLength));
            final long mask = common == 0 ? 0 : -1L << (Long.SIZE - Byte.SIZE * common);
            final long x = body.get(BIG_ENDIAN_LONG, a) & mask;
            final long y = body.get(BIG_ENDIAN_LONG, b) & mask;
            if (x != y) {
                return Long.compareUnsigned(x, y);
            }
            if (common < Long.BYTES) {
                return Long.compare(aLength, bLength);
            }
        }
        final long mismatch = MemorySegment.mismatch(body, a, a + aLength, body, b, b + bLength);
        if (mismatch < 0) {
            return 0;
        }
        if (mismatch == aLength) {
            return -1;
        }
        if (mismatch == bLength) {
            return 1;
        }
        return Integer.compare(body.get(ValueLayout.JAVA_BYTE, a + mismatch) & 0xFF, body.get(ValueLayout.JAVA_BYTE, b + mismatch) & 0xFF);
    }

    /** The message for a series (bytes {@code start..end} of {@code body}, already structurally checked) breaking {@code problem}. */
    static String message(final int problem, final MemorySegment body, final long start, final long end, final int maxLabels) {
        final java.util.List<String> names = new java.util.ArrayList<>();
        final java.util.List<String> values = new java.util.ArrayList<>();
        final ProtoCursor in = new ProtoCursor();
        in.reset(body, start);
        while (in.position() < end) {
            final int tag = in.tag(end);
            if (tag >>> 3 != WriteRequestDecoder.SERIES_LABELS) {
                in.skip(tag & 7, end);
                continue;
            }
            final long labelEnd = in.delimitedEnd(end);
            String name = "";
            String value = "";
            while (in.position() < labelEnd) {
                final int field = in.tag(labelEnd);
                if (field >>> 3 == WriteRequestDecoder.LABEL_NAME || field >>> 3 == WriteRequestDecoder.LABEL_VALUE) {
                    final long stringEnd = in.delimitedEnd(labelEnd);
                    final String text = string(body, in.position(), stringEnd);
                    if (field >>> 3 == WriteRequestDecoder.LABEL_NAME) {
                        name = text;
                    } else {
                        value = text;
                    }
                    in.position(stringEnd);
                } else {
                    in.skip(field & 7, labelEnd);
                }
            }
            names.add(name);
            values.add(value);
        }
        final String labels = render(names, values);
        return switch (problem) {
            case EMPTY_LABEL_SET -> "invalid metric name or labels, got {}: the label set is empty";
            case NO_METRIC_NAME -> "invalid metric name or labels, got " + labels + ": no __name__ label";
            case EMPTY_NAME -> "invalid metric name or labels, got " + labels + ": empty label name";
            case INVALID_UTF8 -> "invalid metric name or labels, got " + labels + ": label name or value is not valid UTF-8";
            case TOO_LONG -> "invalid metric name or labels, got " + labels + ": label name or value longer than 65535 bytes";
            case TOO_MANY_LABELS -> "invalid labels for series, labels " + labels + ": " + names.size()
                + " labels, more than the limit of " + maxLabels + " per series";
            case DUPLICATE_NAME -> "invalid labels for series, labels " + labels + ", duplicated label " + firstRepeated(names);
            case UNSORTED -> "invalid labels for series, labels " + labels + ", labels not sorted by name: " + firstUnsorted(names);
            default -> "invalid labels for series, labels " + labels;
        };
    }

    private static String string(final MemorySegment body, final long from, final long to) {
        final long length = Math.min(to - from, MESSAGE_LABELS_CHARS);
        final byte[] bytes = new byte[(int) length];
        MemorySegment.copy(body, ValueLayout.JAVA_BYTE, from, bytes, 0, (int) length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String render(final java.util.List<String> names, final java.util.List<String> values) {
        final StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < names.size(); i++) {
            if (text.length() > MESSAGE_LABELS_CHARS) {
                text.append(", ... (").append(names.size() - i).append(" more)");
                break;
            }
            if (i > 0) {
                text.append(", ");
            }
            text.append(names.get(i)).append("=\"").append(values.get(i).replace("\"", "\\\"")).append('"');
        }
        return text.append('}').toString();
    }

    private static String firstRepeated(final java.util.List<String> names) {
        for (int i = 1; i < names.size(); i++) {
            if (names.get(i).equals(names.get(i - 1))) {
                return names.get(i);
            }
        }
        return "?";
    }

    private static String firstUnsorted(final java.util.List<String> names) {
        for (int i = 1; i < names.size(); i++) {
            final byte[] previous = names.get(i - 1).getBytes(StandardCharsets.UTF_8);
            final byte[] current = names.get(i).getBytes(StandardCharsets.UTF_8);
            if (java.util.Arrays.compareUnsigned(previous, current) > 0) {
                return "\"" + names.get(i - 1) + "\" before \"" + names.get(i) + "\"";
            }
        }
        return "?";
    }
}
