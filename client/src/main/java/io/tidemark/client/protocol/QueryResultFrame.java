package io.tidemark.client.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * QUERY_RESULT (0x84): {@code requestId:u64 resultType:u8 flags:u8 warnings:u16, warnings × str16}, then by type:
 * scalar {@code time:i64 value:f64}; string {@code time:i64 value:str32}; vector and matrix {@code series:u32} and per
 * series {@code labels, points:u32, timestamps:i64×points, values:f64×points}. A result larger than a frame comes in
 * several, all but the last with {@link #MORE}.
 *
 * @param requestId  the QUERY answered
 * @param resultType {@link #SCALAR}, {@link #STRING}, {@link #VECTOR} or {@link #MATRIX}
 * @param more       the result goes on in the next frame
 * @param warnings   PromQL's warnings and infos (first frame only)
 * @param time       scalar and string: the time
 * @param scalar     scalar: the value
 * @param text       string: the value
 * @param series     vector and matrix: this frame's series
 */
public record QueryResultFrame(long requestId, int resultType, boolean more, List<String> warnings, long time,
                               double scalar, String text, List<SeriesPoints> series) {
    /** Scalar result. */
    public static final int SCALAR = 1;
    /** String result. */
    public static final int STRING = 2;
    /** Instant vector. */
    public static final int VECTOR = 3;
    /** Range vector. */
    public static final int MATRIX = 4;
    /** {@code flags} bit: the result goes on in the next frame. */
    public static final int MORE = 1;
    /** Offset of {@code requestId}. */
    public static final int REQUEST_ID = 8;
    /** Offset of {@code resultType}. */
    public static final int RESULT_TYPE = 16;
    /** Offset of {@code flags}. */
    public static final int FLAGS = 17;
    /** Offset of {@code warnings}. */
    public static final int WARNINGS = 18;

    /** Writes the frame. */
    public void encode(final FrameWriter out) {
        out.begin(MessageType.QUERY_RESULT).i64(requestId).u8(resultType).u8(more ? MORE : 0).u16(warnings.size());
        for (final String warning : warnings) {
            out.string16(warning);
        }
        switch (resultType) {
            case SCALAR -> out.i64(time).f64(scalar);
            case STRING -> out.i64(time).string32(text);
            case VECTOR, MATRIX -> {
                out.u32(series.size());
                for (final SeriesPoints s : series) {
                    if (s.timestamps().length != s.values().length) {
                        throw new IllegalArgumentException("timestamps=" + s.timestamps().length + " values="
                            + s.values().length);
                    }
                    LabelPairs.encode(out, s.labels());
                    out.u32(s.timestamps().length).i64s(s.timestamps(), s.timestamps().length)
                        .f64s(s.values(), s.values().length);
                }
            }
            default -> throw new IllegalArgumentException("result type " + resultType);
        }
        out.end();
    }

    /** Reads the body of a QUERY_RESULT frame. */
    public static QueryResultFrame decode(final FrameReader in) {
        final long id = in.i64();
        final int type = in.u8();
        final int flags = in.u8();
        final int count = in.u16();
        final List<String> warnings = new ArrayList<>(Math.min(count, 64));
        for (int i = 0; i < count; i++) {
            warnings.add(in.string16(0xFFFF, "warning"));
        }
        long time = 0;
        double scalar = 0;
        String text = null;
        final List<SeriesPoints> series = new ArrayList<>();
        switch (type) {
            case SCALAR -> {
                time = in.i64();
                scalar = in.f64();
            }
            case STRING -> {
                time = in.i64();
                text = in.string32(Integer.MAX_VALUE, "string");
            }
            case VECTOR, MATRIX -> {
                final int n = in.u32Max(in.remaining() / 6, "series count");
                for (int i = 0; i < n; i++) {
                    final String[] labels = LabelPairs.decode(in);
                    final int points = in.u32Max(in.remaining() / 16, "point count");
                    final long[] ts = new long[points];
                    final double[] vs = new double[points];
                    for (int k = 0; k < points; k++) {
                        ts[k] = in.i64();
                    }
                    for (int k = 0; k < points; k++) {
                        vs[k] = in.f64();
                    }
                    series.add(new SeriesPoints(labels, ts, vs));
                }
            }
            default -> throw FrameReader.malformed("QUERY_RESULT: unknown result type " + type);
        }
        in.expectEnd();
        return new QueryResultFrame(id, type, (flags & MORE) != 0, warnings, time, scalar, text, series);
    }
}
