package io.tidemark.codecs.block;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A CRC32C frame, the unit of everything Tidemark persists. Big-endian.
 *
 * <pre>
 *   0              4              8
 *   +--------------+--------------+------------------------------+
 *   | length: u32  | crc32c: u32  | payload: length bytes        |
 *   +--------------+--------------+------------------------------+
 * </pre>
 * The CRC32C (Castagnoli) covers the length field and the payload, so a damaged length is caught
 * by the checksum as well as by the bounds. A length of zero is valid (an empty payload).
 */
public final class FrameLayout {
    /** Offset of the payload length. */
    public static final int LENGTH_OFFSET = 0;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 4;
    /** Bytes before the payload. */
    public static final int HEADER_BYTES = 8;
    /** Largest payload a frame may declare; a reader treats anything larger as damage. */
    public static final int MAX_PAYLOAD_BYTES = 256 << 20;
    /** Big-endian u32 (read as int). */
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private FrameLayout() {
    }
}
