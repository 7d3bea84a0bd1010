package io.tidemark.client.protocol;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Constants of the binary protocol (docs/protocol.md): byte order, magic, versions, header and limits. */
public final class Protocol {
    /** The only version so far. */
    public static final int VERSION_1 = 1;
    /** HELLO's magic, the bytes {@code T D M K} read as a little-endian u32. */
    public static final int MAGIC = 'T' | 'D' << 8 | 'M' << 16 | 'K' << 24;
    /** Bytes of the frame header. */
    public static final int HEADER_BYTES = 8;
    /** Offset of the header's {@code length: u32}. */
    public static final int LENGTH_OFFSET = 0;
    /** Offset of the header's {@code type: u8}. */
    public static final int TYPE_OFFSET = 4;
    /** Offset of the header's {@code flags: u8}. */
    public static final int FLAGS_OFFSET = 5;
    /** Offset of the header's {@code reserved: u16}. */
    public static final int RESERVED_OFFSET = 6;
    /** The frame limit before WELCOME. */
    public static final int HANDSHAKE_MAX_FRAME_BYTES = 65_536;
    /** Most bytes of HELLO's client name. */
    public static final int MAX_CLIENT_NAME_BYTES = 128;
    /** Most bytes of HELLO's token. */
    public static final int MAX_TOKEN_BYTES = 4096;
    /** Most bytes of a QUERY's PromQL text. */
    public static final int MAX_QUERY_BYTES = 65_536;
    /** Most matchers of one SELECT. */
    public static final int MAX_MATCHERS = 64;
    /** Most refusal details in one WRITE_ACK. */
    public static final int MAX_REFUSAL_DETAILS = 256;

    /** Little-endian u16 (read as a short; mask with 0xFFFF). */
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Little-endian u32 (read as an int; mask with 0xFFFFFFFFL). */
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Little-endian u64 or i64. */
    public static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Little-endian f64. */
    public static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Protocol() {
    }
}
