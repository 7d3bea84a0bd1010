package io.tidemark.engine.wal;

import io.tidemark.codecs.block.Crc32cFrames;
import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The current segment file of a {@link WalWriter} and its off-heap write buffer: records are built
 * in the buffer, which goes to the file with {@code write(2)} when full or on commit. Owns the buffer
 * and the channel. Single-threaded, like its writer.
 */
final class SegmentOutput implements AutoCloseable {
    private final Path directory;
    private final int shard;
    private final long segmentBytes;
    private final WalFiles files;
    private final Allocation allocation;
    private final ByteBuffer bufferView;
    /** The write buffer; records are built in place. */
    final MemorySegment buffer;
    /** Seals frames in {@link #buffer}. */
    final Crc32cFrames frames;
    /** Bytes of sealed records in the buffer, not yet written. */
    int position;

    private FileChannel channel;
    private long segment = -1;
    private long fileBytes;
    private boolean unforced;
    private long bytesWritten;
    private long forces;
    private long segmentsCreated;

    SegmentOutput(final NativeAllocator allocator, final Path directory, final int shard, final WalConfig config) {
        this.directory = directory;
        this.shard = shard;
        this.segmentBytes = config.segmentBytes();
        this.files = config.files();
        this.allocation = allocator.allocate(MemoryTag.WAL, config.bufferBytes(), 4096);
        this.buffer = allocation.segment();
        this.bufferView = buffer.asByteBuffer();
        this.frames = new Crc32cFrames(buffer);
    }

    long segment() {
        return segment;
    }

    /** The current segment file, for the background syncer. */
    FileChannel channel() {
        return channel;
    }

    /** Bytes the current segment can still take, counting what is buffered. */
    long segmentRemaining() {
        return segmentBytes - fileBytes - position;
    }

    int bufferRemaining() {
        return (int) buffer.byteSize() - position;
    }

    /** Hands the buffered records to the OS and empties the buffer. */
    void write() throws IOException {
        if (position == 0) {
            return;
        }
        bufferView.limit(position).position(0);
        while (bufferView.hasRemaining()) {
            files.write(channel, bufferView);
        }
        fileBytes += position;
        bytesWritten += position;
        position = 0;
        unforced = true;
    }

    /** Forces what was written to the current segment to the device, if anything was. */
    void force() throws IOException {
        if (unforced) {
            files.force(channel);
            unforced = false;
            forces++;
        }
    }

    /**
     * Creates segment {@code number}: its header goes to a temporary file, which is forced, renamed
     * to the segment's name, and the directory forced. A segment file under its final name therefore
     * always has a complete header.
     */
    void create(final long number, final long firstSequence) throws IOException {
        if (channel != null) {
            throw new IllegalStateException("segment still open: segment=" + segment);
        }
        final Path temporary = SegmentFiles.temporaryPath(directory, number);
        final FileChannel created = files.create(temporary);
        try {
            final ByteBuffer header = SegmentHeader.encode(shard, number, firstSequence);
            while (header.hasRemaining()) {
                files.write(created, header);
            }
            files.force(created);
            files.rename(temporary, SegmentFiles.path(directory, number));
            files.forceDirectory(directory);
        } catch (final Throwable t) {
            created.close();
            throw t;
        }
        channel = created;
        segment = number;
        fileBytes = SegmentHeaderLayout.HEADER_BYTES;
        segmentsCreated++;
    }

    /** Closes the current segment file; the caller wrote and forced what it needed first. */
    void closeSegment() throws IOException {
        if (channel != null) {
            final FileChannel closing = channel;
            channel = null;
            closing.close();
        }
    }

    long bytesWritten() {
        return bytesWritten;
    }

    long forces() {
        return forces;
    }

    long segmentsCreated() {
        return segmentsCreated;
    }

    /** Closes the file (without writing) and frees the buffer. */
    @Override
    public void close() {
        try {
            closeSegment();
        } catch (final IOException ignored) {
            // Closing a descriptor after a failure: nothing left to save, the buffer is freed below.
        } finally {
            allocation.close();
        }
    }
}
