package io.tidemark.index.series;

import java.lang.foreign.ValueLayout;

/**
 * A series record in the registry's off-heap blocks. In memory only (native byte order), never
 * persisted. Records start on 8-byte boundaries so that a 32-bit reference names one anywhere in
 * the first 32 GiB of records ({@link SeriesHashTable}).
 *
 * <pre>
 *   0        4            8                               8 + length   (padded to 8)
 *   +--------+------------+--------------------------------+----------+
 *   | id i32 | length i32 | canonical label bytes (length)  | 0-7 pad  |
 *   +--------+------------+--------------------------------+----------+
 * </pre>
 * The id sits in the record, not in the hash slot, so that a slot is 8 bytes (hash and record
 * reference) and a lookup that hits reads the slot and then this record's first cache line, where
 * the id, the length and the first 56 label bytes are.
 */
final class SeriesRecordLayout {
    static final ValueLayout.OfInt ID = ValueLayout.JAVA_INT;
    static final ValueLayout.OfInt LENGTH = ValueLayout.JAVA_INT;
    static final int ID_OFFSET = 0;
    static final int LENGTH_OFFSET = 4;
    static final int BYTES_OFFSET = 8;
    static final int ALIGNMENT = 8;

    private SeriesRecordLayout() {
    }

    /** Bytes a record of {@code length} label bytes takes, padding included. */
    static long recordBytes(final int length) {
        return (BYTES_OFFSET + (long) length + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
