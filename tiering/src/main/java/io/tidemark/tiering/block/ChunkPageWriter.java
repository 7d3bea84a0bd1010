package io.tidemark.tiering.block;

import io.tidemark.codecs.block.Crc32cFrames;
import io.tidemark.codecs.block.FrameLayout;
import io.tidemark.codecs.block.ZstdBlockCodec;
import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Packs chunks into pages of about {@code pageBytes} uncompressed bytes, compresses each full page
 * with zstd into a CRC32C frame and appends it to the current chunk file, starting a new file
 * before one would pass {@code maxFileBytes}. Holds one page and one frame buffer of native memory
 * under {@link MemoryTag#BLOCKS} (a chunk larger than a page gets a page of its own, and the buffers
 * grow to fit it). Keeps per page 16 bytes of table on the heap. Writer thread only.
 */
final class ChunkPageWriter implements AutoCloseable {
    private final NativeAllocator allocator;
    private final BlockFileSystem files;
    private final Path directory;
    private final int pageBytes;
    private final long maxFileBytes;
    private final int level;
    private final ByteBuffer fileHeader = ByteBuffer.allocate(BlockLayout.FILE_HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
    private Allocation page;
    private Allocation frame;
    private Crc32cFrames frames;
    private ByteBuffer frameView;
    private int pageFill;
    private int pageCount;
    private long[] pageTable = new long[3 * 64];
    private FileChannel file;
    private int fileCount;
    private long fileBytes;
    private long[] fileSizes = new long[8];

    ChunkPageWriter(final NativeAllocator allocator, final BlockFileSystem files, final Path directory, final int pageBytes,
                    final long maxFileBytes, final int level) {
        this.allocator = allocator;
        this.files = files;
        this.directory = directory;
        this.pageBytes = pageBytes;
        this.maxFileBytes = maxFileBytes;
        this.level = level;
        try {
            grow(pageBytes);
        } catch (final Throwable t) {
            close();
            throw t;
        }
    }

    /** Appends a chunk record (uvarint length, bytes); returns its chunk reference. */
    long append(final MemorySegment chunk, final long offset, final int length) throws IOException {
        final int recordBytes = uvarintBytes(length) + length;
        if (pageFill > 0 && pageFill + recordBytes > pageBytes) {
            flushPage();
        }
        if (recordBytes > page.bytes()) {
            grow(recordBytes);
        }
        final long ref = BlockLayout.chunkRef(pageCount, pageFill);
        final MemorySegment target = page.segment();
        long at = pageFill;
        long bits = length;
        while ((bits & ~0x7FL) != 0) {
            target.set(ValueLayout.JAVA_BYTE, at++, (byte) (bits | 0x80));
            bits >>>= 7;
        }
        target.set(ValueLayout.JAVA_BYTE, at++, (byte) bits);
        MemorySegment.copy(chunk, offset, target, at, length);
        pageFill += recordBytes;
        return ref;
    }

    /** Writes the last page and closes the current file after forcing it to the device. */
    void finish() throws IOException {
        if (pageFill > 0) {
            flushPage();
        }
        closeFile();
    }

    int pageCount() {
        return pageCount;
    }

    /** Chunk file number (1-based) of page {@code i}. */
    int pageFile(final int i) {
        return (int) pageTable[3 * i];
    }

    long pageOffset(final int i) {
        return pageTable[3 * i + 1];
    }

    int pageUncompressedBytes(final int i) {
        return (int) pageTable[3 * i + 2];
    }

    int fileCount() {
        return fileCount;
    }

    /** Size in bytes of chunk file {@code number} (1-based). */
    long fileSize(final int number) {
        return fileSizes[number - 1];
    }

    private void flushPage() throws IOException {
        final MemorySegment source = page.segment().asSlice(0, pageFill);
        final long compressed = ZstdBlockCodec.compress(source,
            frame.segment().asSlice(FrameLayout.HEADER_BYTES), level);
        final long frameBytes = frames.seal(0, (int) compressed);
        if (file == null || fileBytes + frameBytes > maxFileBytes) {
            startFile();
        }
        if (pageCount * 3 + 3 > pageTable.length) {
            pageTable = Arrays.copyOf(pageTable, pageTable.length * 2);
        }
        pageTable[3 * pageCount] = fileCount;
        pageTable[3 * pageCount + 1] = fileBytes;
        pageTable[3 * pageCount + 2] = pageFill;
        frameView.limit((int) frameBytes).position(0);
        writeFully(frameView);
        fileBytes += frameBytes;
        pageCount++;
        pageFill = 0;
    }

    private void startFile() throws IOException {
        closeFile();
        if (fileCount == BlockLayout.MAX_CHUNK_FILES) {
            throw new IllegalStateException("too many chunk files: files=" + fileCount);
        }
        file = files.create(directory.resolve(BlockLayout.chunkFileName(fileCount + 1)));
        fileCount++;
        fileHeader.clear();
        fileHeader.putInt(BlockLayout.CHUNKS_MAGIC).put((byte) BlockLayout.VERSION).put((byte) 0).putShort((short) 0).flip();
        writeFully(fileHeader);
        fileBytes = BlockLayout.FILE_HEADER_BYTES;
    }

    private void closeFile() throws IOException {
        if (file == null) {
            return;
        }
        if (fileCount > fileSizes.length) {
            fileSizes = Arrays.copyOf(fileSizes, fileSizes.length * 2);
        }
        fileSizes[fileCount - 1] = fileBytes;
        final FileChannel closing = file;
        file = null;
        try (closing) {
            files.sync(closing);
        }
    }

    private void writeFully(final ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            file.write(bytes);
        }
    }

    private void grow(final int bytes) {
        if (page != null) {
            final Allocation old = page;
            page = allocator.allocate(MemoryTag.BLOCKS, bytes);
            MemorySegment.copy(old.segment(), 0, page.segment(), 0, pageFill);
            old.close();
            frame.close();
            frame = null;
        } else {
            page = allocator.allocate(MemoryTag.BLOCKS, bytes);
        }
        final long frameBytes = FrameLayout.HEADER_BYTES + ZstdBlockCodec.maxCompressedBytes(bytes);
        frame = allocator.allocate(MemoryTag.BLOCKS, frameBytes);
        frames = new Crc32cFrames(frame.segment());
        frameView = frame.segment().asByteBuffer();
    }

    private static int uvarintBytes(final long value) {
        return value == 0 ? 1 : (64 - Long.numberOfLeadingZeros(value) + 6) / 7;
    }

    /** Frees the buffers and closes the open file (without forcing it: an abandoned write). */
    @Override
    public void close() {
        try {
            if (file != null) {
                file.close();
                file = null;
            }
        } catch (final IOException ignored) {
            // the block is being abandoned; its temporary directory is deleted next
        } finally {
            if (page != null) {
                page.close();
                page = null;
            }
            if (frame != null) {
                frame.close();
                frame = null;
            }
        }
    }
}
