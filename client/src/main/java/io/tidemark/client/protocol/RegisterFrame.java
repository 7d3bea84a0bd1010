package io.tidemark.client.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * REGISTER (0x02): {@code requestId:u64 count:u32, count × { handle:u32, labels }} (labels as {@link LabelPairs}).
 *
 * @param requestId the request id
 * @param entries   the handles and their labels
 */
public record RegisterFrame(long requestId, List<Entry> entries) {
    /** Offset of {@code requestId}. */
    public static final int REQUEST_ID = 8;
    /** Offset of {@code count}. */
    public static final int COUNT = 16;
    /** Offset of the first entry. */
    public static final int ENTRIES = 20;
    /** Bytes of the smallest entry (a handle and an empty label set). */
    public static final int MIN_ENTRY_BYTES = 6;

    /**
     * One handle and its labels.
     *
     * @param handle the connection-scoped handle
     * @param labels names and values alternating
     */
    public record Entry(int handle, String[] labels) {
    }

    /** Writes the frame. */
    public void encode(final FrameWriter out) {
        out.begin(MessageType.REGISTER).i64(requestId).u32(entries.size());
        for (final Entry entry : entries) {
            out.u32(entry.handle());
            LabelPairs.encode(out, entry.labels());
        }
        out.end();
    }

    /** Reads the body of a REGISTER frame (tests and tools; the server reads it in place). */
    public static RegisterFrame decode(final FrameReader in) {
        final long id = in.i64();
        final int count = in.u32Max(in.remaining() / MIN_ENTRY_BYTES, "entry count");
        final List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final int handle = (int) in.u32();
            entries.add(new Entry(handle, LabelPairs.decode(in)));
        }
        in.expectEnd();
        return new RegisterFrame(id, entries);
    }
}
