package io.tidemark.client.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * SELECT_SERIES (0x85): {@code requestId:u64 labels chunks:u16, chunks × { encoding:u8 minTime:i64 maxTime:i64 bytes:u32
 * data }}.
 *
 * @param requestId the SELECT answered
 * @param labels    names and values alternating
 * @param chunks    the series' chunks in this frame, oldest first
 */
public record SelectSeriesFrame(long requestId, String[] labels, List<Chunk> chunks) {
    /** Chunk encoding: Prometheus' XOR chunk (docs/format/prometheus-xor.md). */
    public static final int XOR = 1;
    /** Offset of {@code requestId}. */
    public static final int REQUEST_ID = 8;
    /** Offset of the labels. */
    public static final int LABELS = 16;
    /** Bytes of a chunk's fixed part. */
    public static final int CHUNK_HEADER_BYTES = 21;

    /**
     * One encoded chunk.
     *
     * @param encoding {@link #XOR}
     * @param minTime  its first timestamp
     * @param maxTime  its last
     * @param data     the encoded bytes
     */
    public record Chunk(int encoding, long minTime, long maxTime, byte[] data) {
    }

    /** Writes the frame. */
    public void encode(final FrameWriter out) {
        out.begin(MessageType.SELECT_SERIES).i64(requestId);
        LabelPairs.encode(out, labels);
        out.u16(chunks.size());
        for (final Chunk chunk : chunks) {
            out.u8(chunk.encoding()).i64(chunk.minTime()).i64(chunk.maxTime()).u32(chunk.data().length)
                .raw(chunk.data(), 0, chunk.data().length);
        }
        out.end();
    }

    /** Reads the body of a SELECT_SERIES frame. */
    public static SelectSeriesFrame decode(final FrameReader in) {
        final long id = in.i64();
        final String[] labels = LabelPairs.decode(in);
        final int count = in.u16();
        final List<Chunk> chunks = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            final int encoding = in.u8();
            final long min = in.i64();
            final long max = in.i64();
            final int bytes = in.u32Max(in.remaining(), "chunk length");
            final long at = in.position();
            in.skip(bytes);
            final byte[] data = in.segment().asSlice(at, bytes).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            chunks.add(new Chunk(encoding, min, max, data));
        }
        in.expectEnd();
        return new SelectSeriesFrame(id, labels, chunks);
    }
}
