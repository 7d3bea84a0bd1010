package io.tidemark.server.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tidemark.client.protocol.FrameWriter;
import java.lang.foreign.MemorySegment;

/** Frames written by a {@link FrameWriter}, copied into a pooled direct buffer for Netty (one memory copy, no object per frame but the buffer). */
final class NettyFrames {
    private static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private NettyFrames() {
    }

    /** A buffer holding everything {@code out} holds. */
    static ByteBuf copy(final ByteBufAllocator allocator, final FrameWriter out) {
        final int size = (int) out.size();
        final ByteBuf buffer = allocator.directBuffer(size);
        if (buffer.hasMemoryAddress()) {
            MemorySegment.copy(out.segment(), 0, EVERYTHING, buffer.memoryAddress() + buffer.writerIndex(), size);
            buffer.writerIndex(buffer.writerIndex() + size);
        } else {
            buffer.writeBytes(out.buffer());
        }
        return buffer;
    }
}
