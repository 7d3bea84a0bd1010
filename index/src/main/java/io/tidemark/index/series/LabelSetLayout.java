package io.tidemark.index.series;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The canonical byte form of a label set, as the write path hands it to the registry. Big-endian.
 *
 * <pre>
 *   +-------------+----------------------------------------------------------------+
 *   | count: u16  | count times: nameLength: u16 | name | valueLength: u16 | value |
 *   +-------------+----------------------------------------------------------------+
 * </pre>
 * Names and values are UTF-8; labels are sorted by name in unsigned byte order, names are unique
 * and non-empty, and labels with an empty value are left out (as Prometheus does: an empty value
 * means the label is absent). {@link LabelSet#encode} writes this form; the registry checks it.
 */
public final class LabelSetLayout {
    /** Bytes of the count and of each length field. */
    public static final int LENGTH_BYTES = 2;
    /** Most labels in one set. */
    public static final int MAX_LABELS = 0xFFFF;
    /** Big-endian u16. */
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private LabelSetLayout() {
    }
}
