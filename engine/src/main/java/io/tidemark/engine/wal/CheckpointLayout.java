package io.tidemark.engine.wal;

/**
 * A WAL checkpoint file: a header, then SERIES and SAMPLES records exactly as in a segment
 * ({@link WalRecordLayout}, CRC32C frames), then one END record that must close the file. Big-endian;
 * {@code docs/format/wal.md} has the full description.
 *
 * <pre>
 * Header (56 bytes):
 *   0         4         6         8         12        16                  24                  32
 *   +---------+---------+---------+---------+---------+-------------------+-------------------+
 *   | magic   | version | header  | shard   | flags   | checkpoint: u64   | next sequence:    |
 *   | u32     | u16     | bytes   | u32     | u32 = 0 | (last segment     | u64               |
 *   | "TMCP"  | = 1     | u16 =56 |         |         |  it covers)       |                   |
 *   +---------+---------+---------+---------+---------+-------------------+-------------------+
 *   32                  40                  48        52        56
 *   +-------------------+-------------------+---------+---------+
 *   | min time: i64 ms  | created: i64 ms   | number: | crc32c  |
 *   |                   | since the epoch   | u32     | u32     |
 *   +-------------------+-------------------+---------+---------+
 *
 * END record (type 4), the payload of the last frame; the file ends right after it:
 *   0      1                    4              8                16               24               32
 *   +------+--------------------+--------------+----------------+----------------+----------------+
 *   | 0x04 | reserved: 3 x 0    | reserved: 0  | records: u64   | series: u64    | samples: u64   |
 *   +------+--------------------+--------------+----------------+----------------+----------------+
 * </pre>
 * {@code records} counts the SERIES and SAMPLES records before END, {@code series} the SERIES
 * records, {@code samples} the samples in the SAMPLES records. {@code number} counts the
 * checkpoints made in this directory, this one included. The header CRC32C covers bytes 0 to 51.
 */
public final class CheckpointLayout {
    /** {@code "TMCP"}. */
    public static final int MAGIC = 0x544D4350;
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
    /** Offset of the checkpoint number: the last segment it covers, as in the file name. */
    public static final int CHECKPOINT_OFFSET = 16;
    /** Offset of the sequence number the first segment after the checkpoint starts at. */
    public static final int NEXT_SEQUENCE_OFFSET = 24;
    /** Offset of the time below which samples were dropped. */
    public static final int MIN_TIME_OFFSET = 32;
    /** Offset of the wall-clock time the checkpoint was made. */
    public static final int CREATED_OFFSET = 40;
    /** Offset of the count of checkpoints made in the directory, this one included. */
    public static final int NUMBER_OFFSET = 48;
    /** Offset of the CRC32C over bytes {@code [0, CHECKSUM_OFFSET)}. */
    public static final int CHECKSUM_OFFSET = 52;
    /** Bytes of the header; the first record starts here. */
    public static final int HEADER_BYTES = 56;

    /** Record type of the END record: the same code {@link WalRecordLayout} reserves for checkpoints. */
    public static final byte TYPE_END = WalRecordLayout.TYPE_RESERVED_CHECKPOINT;
    /** END: offset of the record count. */
    public static final int END_RECORDS_OFFSET = 8;
    /** END: offset of the SERIES record count. */
    public static final int END_SERIES_OFFSET = 16;
    /** END: offset of the sample count. */
    public static final int END_SAMPLES_OFFSET = 24;
    /** END: payload bytes. */
    public static final int END_PAYLOAD_BYTES = 32;

    /** Most payload bytes of a SAMPLES record the checkpoint writes (SERIES records are copied as they are). */
    public static final int MAX_SAMPLES_PAYLOAD = 256 << 10;

    private CheckpointLayout() {
    }
}
