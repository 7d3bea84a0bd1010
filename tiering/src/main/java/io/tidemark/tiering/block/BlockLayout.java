package io.tidemark.tiering.block;

import io.tidemark.codecs.block.CorruptBlockException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Byte layout of a block directory; the prose and field notes are in {@code docs/format/block.md}.
 * Every integer is big-endian. A block is a directory named by its {@link BlockId}:
 * <pre>
 *   01JDZ5...Q/            (written as 01JDZ5...Q.tmp/, then renamed)
 *     meta                 ids, times, counts, file sizes; CRC32C
 *     index                header | SERIES | SYMBOLS | SERIES_OFFSETS | POSTINGS | POSTINGS_TABLE
 *                          | LABEL_NAMES | PAGES | table of contents (offset, length, crc32c per section)
 *     chunks/000001        header | page frame | page frame | ...   (each page: CRC32C frame of one zstd frame)
 *     parents              only in a compacted block: the ids of the blocks it replaces; CRC32C
 * </pre>
 *
 * <p>meta:
 * <pre>
 *   0       4     6     8            24       32       40        48        56         64        72      76
 *   +-------+-----+-----+------------+--------+--------+---------+---------+----------+---------+-------+----------+--------+
 *   | magic | ver | 0   | block id   | min t  | max t  | series  | chunks  | samples  | index   | files | file     | crc32c |
 *   | u32   | u16 | u16 | 16 bytes   | i64 ms | i64 ms | u64     | u64     | u64      | bytes   | u32 n | bytes    | u32    |
 *   |"TMBM" | = 1 |     | ULID       |        |        |         |         |          | u64     |       | u64 x n  |        |
 *   +-------+-----+-----+------------+--------+--------+---------+---------+----------+---------+-------+----------+--------+
 * </pre>
 *
 * <p>parents:
 * <pre>
 *   0       4     6     8         12                 12+16n
 *   +-------+-----+-----+---------+------------------+--------+
 *   | magic | ver | 0   | count n | parent block ids | crc32c |
 *   | u32   | u16 | u16 | u32     | 16 bytes x n     | u32    |
 *   |"TMBP" | = 1 |     |         | ULID, binary     |        |
 *   +-------+-----+-----+---------+------------------+--------+
 * </pre>
 *
 * <p>index and chunk file header (8 bytes): {@code magic: u32 | version: u8 | reserved: 3 x 0}. Index
 * table of contents: the last {@link #TOC_BYTES} bytes of the index, one {@link #TOC_ENTRY_BYTES}
 * entry per section in the order of {@link #SECTION_NAMES} ({@code offset: u64 | length: u64 |
 * crc32c: u32}), then the CRC32C of those entries.
 */
public final class BlockLayout {
    /** "TMBM". */
    public static final int META_MAGIC = 0x544D424D;
    /** "TMBI". */
    public static final int INDEX_MAGIC = 0x544D4249;
    /** "TMBP". */
    public static final int PARENTS_MAGIC = 0x544D4250;
    /** "TMBC". */
    public static final int CHUNKS_MAGIC = 0x544D4243;
    /** The one format version this build writes and reads. */
    public static final int VERSION = 1;

    /** Bytes of the meta file before the chunk file sizes. */
    public static final int META_FIXED_BYTES = 76;
    /** Offset of the version in meta. */
    public static final int META_VERSION_OFFSET = 4;
    /** Offset of the 16-byte block id in meta. */
    public static final int META_ID_OFFSET = 8;
    /** Offset of the chunk file count in meta. */
    public static final int META_FILE_COUNT_OFFSET = 72;
    /** Most chunk files one block may have (bounds the meta file). */
    public static final int MAX_CHUNK_FILES = 1 << 16;

    /** Bytes of the parents file before the ids. */
    public static final int PARENTS_FIXED_BYTES = 12;
    /** Offset of the parent count in the parents file. */
    public static final int PARENTS_COUNT_OFFSET = 8;
    /** Most parents one block may name (bounds the parents file). */
    public static final int MAX_PARENTS = 1 << 16;

    /** Bytes of the index and chunk file headers. */
    public static final int FILE_HEADER_BYTES = 8;
    /** Offset of the version byte in a file header. */
    public static final int FILE_VERSION_OFFSET = 4;

    /** Section numbers, in file and table-of-contents order. */
    public static final int SERIES = 0;
    /** Symbols: u32 count, then per symbol a uvarint length and UTF-8 bytes. */
    public static final int SYMBOLS = 1;
    /** Per series, u64 offset of its entry from the start of {@link #SERIES}. */
    public static final int SERIES_OFFSETS = 2;
    /** Postings lists: u32 count, then u32 series ids, strictly increasing. */
    public static final int POSTINGS = 3;
    /** Per label pair in label order: name ref u32, value ref u32, postings offset u64. */
    public static final int POSTINGS_TABLE = 4;
    /** Per label name in label order: name ref u32, first postings table entry u32, entry count u32. */
    public static final int LABEL_NAMES = 5;
    /** Per page: chunk file number u32, offset of its frame u64, uncompressed bytes u32. */
    public static final int PAGES = 6;
    /** Section names, for errors, by number. */
    static final String[] SECTION_NAMES = {"SERIES", "SYMBOLS", "SERIES_OFFSETS", "POSTINGS", "POSTINGS_TABLE",
        "LABEL_NAMES", "PAGES"};
    /** Number of sections. */
    public static final int SECTION_COUNT = 7;

    /** Bytes of one table-of-contents entry. */
    public static final int TOC_ENTRY_BYTES = 20;
    /** Bytes of the table of contents including its CRC32C. */
    public static final int TOC_BYTES = SECTION_COUNT * TOC_ENTRY_BYTES + 4;

    /** Bytes of a {@link #SERIES_OFFSETS} entry. */
    public static final int SERIES_OFFSET_BYTES = 8;
    /** Bytes of a {@link #POSTINGS_TABLE} entry. */
    public static final int POSTINGS_ENTRY_BYTES = 16;
    /** Bytes of a {@link #LABEL_NAMES} entry. */
    public static final int LABEL_NAME_ENTRY_BYTES = 12;
    /** Bytes of a {@link #PAGES} entry. */
    public static final int PAGE_ENTRY_BYTES = 16;

    /** Pages are cut once they hold this many uncompressed bytes, unless configured. */
    public static final int DEFAULT_PAGE_BYTES = 256 << 10;
    /** A chunk file is closed before it would grow past this, unless configured. */
    public static final long DEFAULT_CHUNK_FILE_BYTES = 512L << 20;
    /** Largest chunk file: page frames are checked through a view that must stay below 2 GiB. */
    public static final long MAX_CHUNK_FILE_BYTES = 1L << 30;
    /** Largest uncompressed page a reader accepts. */
    public static final int MAX_PAGE_BYTES = 64 << 20;

    /** Big-endian u16. */
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Big-endian u32 (read as int). */
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Big-endian i64. */
    public static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** Name of the meta file. */
    public static final String META_FILE = "meta";
    /** Name of the index file. */
    public static final String INDEX_FILE = "index";
    /** Name of the directory of chunk files. */
    public static final String CHUNKS_DIRECTORY = "chunks";
    /** Name of the parents file of a compacted block. */
    public static final String PARENTS_FILE = "parents";
    /** Suffix of a block directory being written. */
    public static final String TEMPORARY_SUFFIX = ".tmp";
    /** Suffix of a block directory being deleted (renamed first, so a half-deleted block is never listed). */
    public static final String DELETING_SUFFIX = ".deleting";

    private BlockLayout() {
    }

    /** Name of chunk file {@code number} (1-based): six zero-padded digits. */
    public static String chunkFileName(final int number) {
        return String.format("%06d", number);
    }

    /** A chunk reference: page number and offset of the chunk's record in the decompressed page. */
    public static long chunkRef(final int page, final int offsetInPage) {
        return (long) page << 32 | Integer.toUnsignedLong(offsetInPage);
    }

    /** The page of a chunk reference. */
    public static int refPage(final long ref) {
        return (int) (ref >>> 32);
    }

    /** The offset in the decompressed page of a chunk reference. */
    public static int refOffset(final long ref) {
        return (int) ref;
    }

    /**
     * Checks a small file that ends with the CRC-32C of every byte before it ({@code meta},
     * {@code parents}); {@code size} is the file's size, at least 4.
     *
     * @throws CorruptBlockException naming {@code file} and the checksum's offset on a mismatch
     */
    static void checkTrailingCrc(final Path file, final MemorySegment bytes, final long size) {
        final CRC32C crc = new CRC32C();
        crc.update(bytes.asSlice(0, size - 4).asByteBuffer());
        final int stored = bytes.get(U32, size - 4);
        if (stored != (int) crc.getValue()) {
            throw new CorruptBlockException(file, size - 4, "CRC32C mismatch: stored 0x" + Integer.toHexString(stored)
                + ", computed 0x" + Long.toHexString(crc.getValue()), null);
        }
    }
}
