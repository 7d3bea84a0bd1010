package io.tidemark.client.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * SELECT (0x05): {@code requestId:u64 start:i64 end:i64 matchers:u16, matchers × { type:u8 name:str16 value:str16 }}.
 *
 * @param requestId the request id
 * @param start     inclusive, milliseconds
 * @param end       inclusive
 * @param matchers  1 to {@link Protocol#MAX_MATCHERS}
 */
public record SelectFrame(long requestId, long start, long end, List<Matcher> matchers) {
    /** Matcher type {@code =}. */
    public static final int EQUAL = 0;
    /** Matcher type {@code !=}. */
    public static final int NOT_EQUAL = 1;
    /** Matcher type {@code =~}. */
    public static final int REGEX = 2;
    /** Matcher type {@code !~}. */
    public static final int NOT_REGEX = 3;
    /** Offset of {@code requestId}. */
    public static final int REQUEST_ID = 8;
    /** Offset of {@code start}. */
    public static final int START = 16;
    /** Offset of {@code end}. */
    public static final int END = 24;
    /** Offset of {@code matchers}. */
    public static final int MATCHERS = 32;

    /**
     * One label matcher.
     *
     * @param type  {@link #EQUAL}, {@link #NOT_EQUAL}, {@link #REGEX} or {@link #NOT_REGEX}
     * @param name  the label name
     * @param value the value or regular expression
     */
    public record Matcher(int type, String name, String value) {
    }

    /** Writes the frame. */
    public void encode(final FrameWriter out) {
        out.begin(MessageType.SELECT).i64(requestId).i64(start).i64(end).u16(matchers.size());
        for (final Matcher m : matchers) {
            out.u8(m.type()).string16(m.name()).string16(m.value());
        }
        out.end();
    }

    /** Reads the body of a SELECT frame. */
    public static SelectFrame decode(final FrameReader in) {
        final long id = in.i64();
        final long start = in.i64();
        final long end = in.i64();
        final int count = in.u16();
        if (count < 1 || count > Protocol.MAX_MATCHERS) {
            throw FrameReader.malformed("SELECT: " + count + " matchers; 1 to " + Protocol.MAX_MATCHERS + " are allowed");
        }
        final List<Matcher> matchers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final int type = in.u8();
            if (type > NOT_REGEX) {
                throw FrameReader.malformed("SELECT: matcher type " + type + " is not 0 to 3");
            }
            matchers.add(new Matcher(type, in.string16(0xFFFF, "matcher name"), in.string16(0xFFFF, "matcher value")));
        }
        in.expectEnd();
        return new SelectFrame(id, start, end, matchers);
    }
}
