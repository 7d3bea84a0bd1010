package io.tidemark.client.protocol;

/**
 * QUERY (0x04): {@code requestId:u64 kind:u8 reserved:u8×3 timeoutMillis:u32 time:i64 end:i64 step:i64 query:str32}.
 *
 * @param requestId     the request id
 * @param kind          {@link #INSTANT} or {@link #RANGE}
 * @param timeoutMillis 0 for the server's timeout
 * @param time          instant: the evaluation time; range: the start
 * @param end           range: the end; instant: 0
 * @param step          range: the step in milliseconds; instant: 0
 * @param query         the PromQL text
 */
public record QueryFrame(long requestId, int kind, long timeoutMillis, long time, long end, long step, String query) {
    /** {@code kind}: an instant query. */
    public static final int INSTANT = 0;
    /** {@code kind}: a range query. */
    public static final int RANGE = 1;
    /** Offset of {@code requestId}. */
    public static final int REQUEST_ID = 8;
    /** Offset of {@code kind}. */
    public static final int KIND = 16;
    /** Offset of {@code timeoutMillis}. */
    public static final int TIMEOUT_MILLIS = 20;
    /** Offset of {@code time}. */
    public static final int TIME = 24;
    /** Offset of {@code end}. */
    public static final int END = 32;
    /** Offset of {@code step}. */
    public static final int STEP = 40;
    /** Offset of {@code query}. */
    public static final int QUERY = 48;

    /** Writes the frame. */
    public void encode(final FrameWriter out) {
        out.begin(MessageType.QUERY).i64(requestId).u8(kind).zeros(3).u32(timeoutMillis).i64(time).i64(end).i64(step)
            .string32(query).end();
    }

    /** Reads the body of a QUERY frame. */
    public static QueryFrame decode(final FrameReader in) {
        final long id = in.i64();
        final int kind = in.u8();
        in.reserved(3);
        final long timeout = in.u32();
        final long time = in.i64();
        final long end = in.i64();
        final long step = in.i64();
        final String query = in.string32(Protocol.MAX_QUERY_BYTES, "query");
        in.expectEnd();
        if (kind != INSTANT && kind != RANGE) {
            throw FrameReader.malformed("QUERY: kind " + kind + " is neither 0 (instant) nor 1 (range)");
        }
        return new QueryFrame(id, kind, timeout, time, end, step, query);
    }
}
