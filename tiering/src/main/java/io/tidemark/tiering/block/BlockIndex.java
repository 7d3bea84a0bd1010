package io.tidemark.tiering.block;

import io.tidemark.codecs.block.CorruptBlockException;
import io.tidemark.memory.MappedFile;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The mapped index file of a block. {@link #open} checks the header, the table of contents and the
 * CRC32C of every section, and decodes the symbol table into {@code String}s (the only allocation
 * proportional to the index); everything else is read from the mapping on demand, with bounds
 * checks that report damage as {@link CorruptBlockException} with file and offset. Immutable after
 * open: any thread may read.
 */
final class BlockIndex implements AutoCloseable {
    private final MappedFile file;
    private final MemorySegment bytes;
    private final long[] sectionOffsets = new long[BlockLayout.SECTION_COUNT];
    private final long[] sectionLengths = new long[BlockLayout.SECTION_COUNT];
    private String[] symbols;

    private BlockIndex(final MappedFile file) {
        this.file = file;
        this.bytes = file.segment();
    }

    /** Maps and verifies the index; {@code expectedBytes} comes from the meta file. */
    static BlockIndex open(final NativeAllocator allocator, final Path path, final long expectedBytes) throws IOException {
        final BlockIndex index = new BlockIndex(MappedFile.openReadOnly(allocator, path));
        try {
            index.verify(expectedBytes);
            return index;
        } catch (final Throwable t) {
            index.close();
            throw t;
        }
    }

    private void verify(final long expectedBytes) {
        final long size = bytes.byteSize();
        if (size != expectedBytes) {
            throw corrupt(Math.min(size, expectedBytes), "index is " + size + " bytes, meta says " + expectedBytes
                + (size < expectedBytes ? " (truncated)" : ""));
        }
        if (size < BlockLayout.FILE_HEADER_BYTES + BlockLayout.TOC_BYTES) {
            throw corrupt(0, "index of " + size + " bytes is shorter than its header and table of contents");
        }
        checkHeader(bytes, file.path(), BlockLayout.INDEX_MAGIC);
        final long toc = size - BlockLayout.TOC_BYTES;
        final int storedTocCrc = bytes.get(BlockLayout.U32, size - 4);
        final int tocCrc = crc32c(bytes, toc, BlockLayout.TOC_BYTES - 4);
        if (storedTocCrc != tocCrc) {
            throw corrupt(toc, "table of contents CRC32C mismatch: stored 0x" + Integer.toHexString(storedTocCrc)
                + ", computed 0x" + Integer.toHexString(tocCrc));
        }
        long expectedOffset = BlockLayout.FILE_HEADER_BYTES;
        for (int i = 0; i < BlockLayout.SECTION_COUNT; i++) {
            final long entry = toc + (long) i * BlockLayout.TOC_ENTRY_BYTES;
            final long offset = bytes.get(BlockLayout.I64, entry);
            final long length = bytes.get(BlockLayout.I64, entry + 8);
            if (offset != expectedOffset || length < 0 || length > toc - offset) {
                throw corrupt(entry, "section " + BlockLayout.SECTION_NAMES[i] + " at offset=" + offset + " length=" + length
                    + ", expected it to start at " + expectedOffset + " and end by " + toc);
            }
            final int stored = bytes.get(BlockLayout.U32, entry + 16);
            final int computed = crc32c(bytes, offset, length);
            if (stored != computed) {
                throw corrupt(offset, "section " + BlockLayout.SECTION_NAMES[i] + " CRC32C mismatch: stored 0x"
                    + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(computed));
            }
            sectionOffsets[i] = offset;
            sectionLengths[i] = length;
            expectedOffset = offset + length;
        }
        if (expectedOffset != toc) {
            throw corrupt(expectedOffset, "sections end at " + expectedOffset + ", table of contents starts at " + toc);
        }
        checkMultiple(BlockLayout.SERIES_OFFSETS, BlockLayout.SERIES_OFFSET_BYTES);
        checkMultiple(BlockLayout.POSTINGS_TABLE, BlockLayout.POSTINGS_ENTRY_BYTES);
        checkMultiple(BlockLayout.LABEL_NAMES, BlockLayout.LABEL_NAME_ENTRY_BYTES);
        checkMultiple(BlockLayout.PAGES, BlockLayout.PAGE_ENTRY_BYTES);
        readSymbols();
    }

    private void checkMultiple(final int section, final int entryBytes) {
        if (sectionLengths[section] % entryBytes != 0) {
            throw corrupt(sectionOffsets[section], "section " + BlockLayout.SECTION_NAMES[section] + " of "
                + sectionLengths[section] + " bytes is not a whole number of " + entryBytes + "-byte entries");
        }
    }

    private void readSymbols() {
        final long start = sectionOffsets[BlockLayout.SYMBOLS];
        final long end = start + sectionLengths[BlockLayout.SYMBOLS];
        if (end - start < 4) {
            throw corrupt(start, "symbol table without a count");
        }
        final long count = Integer.toUnsignedLong(bytes.get(BlockLayout.U32, start));
        if (count > end - start - 4) {
            throw corrupt(start, "symbol count " + count + " cannot fit in " + (end - start - 4) + " bytes");
        }
        symbols = new String[(int) count];
        long at = start + 4;
        for (int i = 0; i < count; i++) {
            final long length = uvarint(at, end);
            at += uvarintBytes(length);
            if (length > end - at) {
                throw corrupt(at, "symbol " + i + " of " + length + " bytes runs past the symbol table");
            }
            final byte[] utf8 = new byte[(int) length];
            MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, at, utf8, 0, utf8.length);
            symbols[i] = new String(utf8, StandardCharsets.UTF_8);
            at += length;
        }
    }

    /** The symbol of {@code ref}, found in the field at file offset {@code at}. */
    String symbol(final long ref, final long at) {
        if (ref < 0 || ref >= symbols.length) {
            throw corrupt(at, "symbol ref " + ref + " outside the table of " + symbols.length);
        }
        return symbols[(int) ref];
    }

    long sectionOffset(final int section) {
        return sectionOffsets[section];
    }

    long sectionLength(final int section) {
        return sectionLengths[section];
    }

    MemorySegment bytes() {
        return bytes;
    }

    Path path() {
        return file.path();
    }

    /** Unsigned LEB128 at {@code at}, which must end before {@code end}. */
    long uvarint(final long at, final long end) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at + shift / 7 >= end) {
                throw corrupt(at, "varint runs past the end of its section at " + end);
            }
            final byte b = bytes.get(ValueLayout.JAVA_BYTE, at + shift / 7);
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw corrupt(at, "varint longer than 10 bytes");
    }

    static int uvarintBytes(final long value) {
        return value == 0 ? 1 : (64 - Long.numberOfLeadingZeros(value) + 6) / 7;
    }

    CorruptBlockException corrupt(final long offset, final String problem) {
        return new CorruptBlockException(file.path(), offset, problem, null);
    }

    /** Checks the magic and version of an index or chunk file header. */
    static void checkHeader(final MemorySegment bytes, final Path path, final int magic) {
        if (bytes.byteSize() < BlockLayout.FILE_HEADER_BYTES) {
            throw new CorruptBlockException(path, 0, "file of " + bytes.byteSize() + " bytes has no header", null);
        }
        final int found = bytes.get(BlockLayout.U32, 0);
        if (found != magic) {
            throw new CorruptBlockException(path, 0, "magic 0x" + Integer.toHexString(found) + ", expected 0x"
                + Integer.toHexString(magic), null);
        }
        final int version = bytes.get(ValueLayout.JAVA_BYTE, BlockLayout.FILE_VERSION_OFFSET) & 0xFF;
        if (version != BlockLayout.VERSION) {
            throw new CorruptBlockException(path, BlockLayout.FILE_VERSION_OFFSET, "format version " + version
                + ", this build reads version " + BlockLayout.VERSION, null);
        }
    }

    /** CRC32C of {@code length} bytes at {@code offset}, in slices a ByteBuffer view can hold. */
    static int crc32c(final MemorySegment bytes, final long offset, final long length) {
        final CRC32C crc = new CRC32C();
        for (long done = 0; done < length;) {
            final long n = Math.min(length - done, 1L << 30);
            crc.update(bytes.asSlice(offset + done, n).asByteBuffer());
            done += n;
        }
        return (int) crc.getValue();
    }

    @Override
    public void close() {
        file.close();
    }
}
