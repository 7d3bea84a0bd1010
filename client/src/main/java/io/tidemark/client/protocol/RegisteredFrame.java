package io.tidemark.client.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * REGISTERED (0x82): {@code requestId:u64 registered:u32 refused:u32, refused × { handle:u32 code:u16 message:str16 }}.
 *
 * @param requestId  the REGISTER answered
 * @param registered handles bound
 * @param refusals   handles refused, with why
 */
public record RegisteredFrame(long requestId, int registered, List<Refusal> refusals) {
    /** Offset of {@code requestId}. */
    public static final int REQUEST_ID = 8;
    /** Offset of {@code registered}. */
    public static final int REGISTERED = 16;
    /** Offset of {@code refused}. */
    public static final int REFUSED = 20;
    /** Offset of the first refusal. */
    public static final int REFUSALS = 24;

    /**
     * A handle left unbound.
     *
     * @param handle  the handle
     * @param code    {@link ErrorCode#INVALID_LABELS} or {@link ErrorCode#HANDLE_OUT_OF_RANGE}
     * @param message which rule
     */
    public record Refusal(int handle, int code, String message) {
    }

    /** Writes the frame. */
    public void encode(final FrameWriter out) {
        out.begin(MessageType.REGISTERED).i64(requestId).u32(registered).u32(refusals.size());
        for (final Refusal refusal : refusals) {
            out.u32(refusal.handle()).u16(refusal.code()).string16(refusal.message());
        }
        out.end();
    }

    /** Reads the body of a REGISTERED frame. */
    public static RegisteredFrame decode(final FrameReader in) {
        final long id = in.i64();
        final int registered = (int) in.u32();
        final int count = in.u32Max(in.remaining() / 8, "refusal count");
        final List<Refusal> refusals = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            refusals.add(new Refusal((int) in.u32(), in.u16(), in.string16(0xFFFF, "message")));
        }
        in.expectEnd();
        return new RegisteredFrame(id, registered, refusals);
    }
}
