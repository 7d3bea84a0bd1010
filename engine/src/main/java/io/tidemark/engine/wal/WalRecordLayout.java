package io.tidemark.engine.wal;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * WAL records: the payload of one {@link io.tidemark.codecs.block.FrameLayout CRC32C frame} each.
 * Big-endian; the first byte is the record type. {@code docs/format/wal.md} has the full description.
 *
 * <pre>
 * SERIES (type 1): a series' canonical labels, logged before its first samples.
 *   0      1                    4              8
 *   +------+--------------------+--------------+------------------------------------------+
 *   | type | reserved: 3 x 0    | series: u32  | labels: canonical LabelSetLayout bytes   |
 *   +------+--------------------+--------------+------------------------------------------+
 *
 * SAMPLES (type 2): a batch of samples of any series of the shard.
 *   0      1          2              4              8                   16
 *   +------+----------+--------------+--------------+-------------------+--------------------+
 *   | type | encoding | reserved: 0  | count: u32   | base time: i64 ms | count samples      |
 *   +------+----------+--------------+--------------+-------------------+--------------------+
 *
 *   encoding 1, FIXED_16: 16 bytes per sample
 *   +--------------+-------------------------+--------------------------+
 *   | series: u32  | time - base time: i32   | value: IEEE 754 bits u64 |
 *   +--------------+-------------------------+--------------------------+
 *
 *   encoding 2, DELTA_VARINT: 10 to 23 bytes per sample
 *   +-----------------------------+-------------------------------+--------------------------+
 *   | series - previous series:   | time - previous time:         | value: IEEE 754 bits u64 |
 *   | zigzag LEB128, 1-5 bytes    | zigzag LEB128, 1-10 bytes     |                          |
 *   +-----------------------------+-------------------------------+--------------------------+
 *   (the first sample's previous series is 0 and its previous time is the base time)
 * </pre>
 * Type 3 is reserved for tombstones; type 4 is the END record that closes a checkpoint file
 * ({@link CheckpointLayout}). A version-1 reader rejects both in a segment.
 */
public final class WalRecordLayout {
    /** Offset of the record type in every record. */
    public static final int TYPE_OFFSET = 0;
    /** Record type: a series and its labels. */
    public static final byte TYPE_SERIES = 1;
    /** Record type: a batch of samples. */
    public static final byte TYPE_SAMPLES = 2;
    /** Record type reserved for series deletions. */
    public static final byte TYPE_RESERVED_TOMBSTONES = 3;
    /** Record type reserved for checkpoint markers. */
    public static final byte TYPE_RESERVED_CHECKPOINT = 4;

    /** SERIES: offset of the series id. */
    public static final int SERIES_ID_OFFSET = 4;
    /** SERIES: offset of the label bytes; they run to the end of the payload. */
    public static final int SERIES_LABELS_OFFSET = 8;

    /** SAMPLES: offset of the encoding byte. */
    public static final int SAMPLES_ENCODING_OFFSET = 1;
    /** SAMPLES: offset of the sample count. */
    public static final int SAMPLES_COUNT_OFFSET = 4;
    /** SAMPLES: offset of the base timestamp. */
    public static final int SAMPLES_BASE_TIME_OFFSET = 8;
    /** SAMPLES: offset of the first sample. */
    public static final int SAMPLES_DATA_OFFSET = 16;

    /** FIXED_16: bytes per sample. */
    public static final int FIXED_SAMPLE_BYTES = 16;
    /** FIXED_16: offset of the time delta within a sample. */
    public static final int FIXED_TIME_OFFSET = 4;
    /** FIXED_16: offset of the value bits within a sample. */
    public static final int FIXED_VALUE_OFFSET = 8;
    /** DELTA_VARINT: most bytes one sample takes (5 + 10 + 8). */
    public static final int VARINT_MAX_SAMPLE_BYTES = 23;

    /** Big-endian u32 / i32. */
    public static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Big-endian i64. */
    public static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private WalRecordLayout() {
    }
}
