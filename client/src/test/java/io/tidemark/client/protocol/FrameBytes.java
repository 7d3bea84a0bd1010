package io.tidemark.client.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.function.Consumer;

/** Test helpers: one frame as an exact-size array, so that a read past the frame fails loudly. */
final class FrameBytes {
    private FrameBytes() {
    }

    /** The bytes of the one frame {@code encoder} writes. */
    static byte[] encode(final Consumer<FrameWriter> encoder) {
        final FrameWriter out = new FrameWriter(64, 16 << 20);
        out.maxFrameBytes(16 << 20);
        encoder.accept(out);
        final byte[] bytes = new byte[(int) out.size()];
        MemorySegment.copy(out.segment(), ValueLayout.JAVA_BYTE, 0, bytes, 0, bytes.length);
        return bytes;
    }

    /** {@code bytes} cut or padded with zeros to {@code length}, with the header's length field set to it. */
    static byte[] resized(final byte[] bytes, final int length) {
        final byte[] copy = Arrays.copyOf(bytes, length);
        MemorySegment.ofArray(copy).set(Protocol.U32, 0, length);
        return copy;
    }

    /** Reads the frame in {@code bytes} (a segment of exactly its size) and decodes it by its type. */
    static Object decode(final byte[] bytes) {
        final MemorySegment segment = MemorySegment.ofArray(bytes);
        final FrameReader in = new FrameReader().frame(segment, 0, segment.byteSize());
        return switch (in.type()) {
            case MessageType.HELLO -> HelloFrame.decode(in);
            case MessageType.WELCOME -> WelcomeFrame.decode(in);
            case MessageType.REGISTER -> RegisterFrame.decode(in);
            case MessageType.REGISTERED -> RegisteredFrame.decode(in);
            case MessageType.WRITE -> WriteFrame.decode(in);
            case MessageType.WRITE_ACK -> new WriteAckFrame().decode(in);
            case MessageType.QUERY -> QueryFrame.decode(in);
            case MessageType.QUERY_RESULT -> QueryResultFrame.decode(in);
            case MessageType.SELECT -> SelectFrame.decode(in);
            case MessageType.SELECT_SERIES -> SelectSeriesFrame.decode(in);
            case MessageType.SELECT_END -> SelectEndFrame.decode(in);
            case MessageType.PING, MessageType.PONG -> PingFrame.decode(in);
            case MessageType.GOODBYE, MessageType.SERVER_GOODBYE -> {
                GoodbyeFrame.decode(in);
                yield "GOODBYE";
            }
            case MessageType.ERROR -> ErrorFrame.decode(in);
            default -> throw new AssertionError("type " + in.type());
        };
    }
}
