package io.tidemark.client.protocol;

/**
 * A label set on the wire: {@code labels:u16, labels × { name:str16, value:str16 }}. In code, a {@code String[]} of
 * names and values alternating ({@code name0, value0, name1, value1, ...}).
 */
public final class LabelPairs {
    /** Most labels a frame may carry for one series. */
    public static final int MAX_LABELS = 0xFFFF;

    private LabelPairs() {
    }

    /** Writes {@code pairs} (names and values alternating). */
    public static void encode(final FrameWriter out, final String[] pairs) {
        if ((pairs.length & 1) != 0 || pairs.length / 2 > MAX_LABELS) {
            throw new IllegalArgumentException("labels must be name/value pairs, at most " + MAX_LABELS);
        }
        out.u16(pairs.length / 2);
        for (final String text : pairs) {
            out.string16(text);
        }
    }

    /** Reads a label set as names and values alternating. */
    public static String[] decode(final FrameReader in) {
        final int count = in.u16();
        if (count * 4L > in.remaining()) {
            throw FrameReader.malformed(MessageType.name(in.type()) + ": " + count + " labels cannot fit in the "
                + in.remaining() + " bytes left");
        }
        final String[] pairs = new String[count * 2];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = in.string16(0xFFFF, (i & 1) == 0 ? "label name" : "label value");
        }
        return pairs;
    }
}
