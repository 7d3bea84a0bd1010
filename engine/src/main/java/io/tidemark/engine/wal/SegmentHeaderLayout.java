package io.tidemark.engine.wal;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The header at the start of every WAL segment file. Big-endian; {@code docs/format/wal.md}.
 *
 * <pre>
 *   0         4         6         8         12        16                  24                  32        36        40
 *   +---------+---------+---------+---------+---------+-------------------+-------------------+---------+---------+
 *   | magic   | version | header  | shard   | flags   | segment: u64      | first sequence:   | reserved| crc32c  |
 *   | u32     | u16     | bytes   | u32     | u32 = 0 |                   | u64               | u32 = 0 | u32     |
 *   |         |         | u16     |         |         |                   |                   |         |         |
 *   +---------+---------+---------+---------+---------+-------------------+-------------------+---------+---------+
 * </pre>
 * {@code magic} is the ASCII bytes {@code TMWL}. {@code segment} repeats the number in the file name,
 * {@code first sequence} is the sequence number of the segment's first record (the next record's
 * number if the segment holds none). The CRC32C covers bytes 0 to 35. Records (CRC32C frames, see
 * {@link WalRecordLayout}) follow from byte 40 to the end of the file.
 */
public final class SegmentHeaderLayout {
    /** {@code "TMWL"}. */
    public static final int MAGIC = 0x544D574C;
    /** The only version this build writes and reads. */
    public static final short VERSION = 1;
    /** Offset of the magic number. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 4;
    /** Offset of the header length. */
    public static final int HEADER_BYTES_OFFSET = 6;
    /** Offset of the shard number. */
    public static final int SHARD_OFFSET = 8;
    /** Offset of the flags (zero in version 1). */
    public static final int FLAGS_OFFSET = 12;
    /** Offset of the segment number. */
    public static final int SEGMENT_OFFSET = 16;
    /** Offset of the first record's sequence number. */
    public static final int FIRST_SEQUENCE_OFFSET = 24;
    /** Offset of the reserved word (zero in version 1). */
    public static final int RESERVED_OFFSET = 32;
    /** Offset of the CRC32C over bytes {@code [0, CHECKSUM_OFFSET)}. */
    public static final int CHECKSUM_OFFSET = 36;
    /** Bytes of the header; the first record starts here. */
    public static final int HEADER_BYTES = 40;

    /** Big-endian u16. */
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Big-endian u32. */
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Big-endian u64. */
    public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private SegmentHeaderLayout() {
    }
}
