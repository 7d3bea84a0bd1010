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
 *
 * <p>A {@link #write()} that fails part way (out of space) keeps what it has not written: the file
 * holds a prefix of the buffer, {@link #written} says how long, and the next call goes on from there.
 * A {@link #create} that fails deletes its temporary file, so it can be called again.
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
    /** Bytes of sealed records in the buffer; those from {@link #written} on are not written yet. */
    int position;
    /** Bytes at the start of the buffer already handed to the OS by a write that then failed; 0 otherwise. */
    private int written;
    /** The newest segment the writer will never write again; read by checkpoint threads. */
    volatile long completedSegment;

    private FileChannel channel;
    /**
     * Whether a segment is open: set by a {@link #create} that succeeded, cleared by {@link #closeSegment}.
     * Kept apart from {@link #channel}, which a test's file system may give as null.
     */
    private boolean open;
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
        return segmentBytes - fileBytes - (position - written);
    }

    /** Whether a segment file is open; false between the close of one and the successful creation of the next. */
    boolean isOpen() {
        return open;
    }

    int bufferRemaining() {
        return (int) buffer.byteSize() - position;
    }

    /**
     * Hands the buffered records to the OS and empties the buffer. If a {@code write(2)} fails, the
     * bytes it did not take stay in the buffer and the next call starts with them.
     */
    void write() throws IOException {
        if (position == written) {
            position = 0;
            written = 0;
            return;
        }
        bufferView.limit(position).position(written);
        try {
            while (bufferView.hasRemaining()) {
                files.write(channel, bufferView);
            }
        } finally {
            final int done = bufferView.position() - written;
            if (done > 0) {
                fileBytes += done;
                bytesWritten += done;
                written += done;
                unforced = true;
            }
        }
        position = 0;
        written = 0;
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
     * always has a complete header. If a step fails, the temporary file is deleted and no segment is
     * open; the call may be repeated.
     */
    void create(final long number, final long firstSequence) throws IOException {
        if (open) {
            throw new IllegalStateException("segment still open: segment=" + segment);
        }
        final Path temporary = SegmentFiles.temporaryPath(directory, number);
        files.delete(temporary); // left by an attempt that failed and could not delete it
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
            try {
                created.close();
                files.delete(temporary); // gone already if the rename happened
            } catch (final IOException | RuntimeException e) {
                t.addSuppressed(e); // recovery deletes a leftover temporary file
            }
            throw t;
        }
        channel = created;
        open = true;
        segment = number;
        fileBytes = SegmentHeaderLayout.HEADER_BYTES;
        segmentsCreated++;
    }

    /**
     * Creates the segment after the one closed last, starting at record {@code firstSequence}, and
     * marks the closed one completed; see {@link #create}.
     */
    void createNext(final long firstSequence) throws IOException {
        final long finished = segment;
        create(finished + 1, firstSequence);
        completedSegment = finished; // volatile write after the last write to it: a checkpoint may read it now
    }

    /** Deletes the segments numbered below {@code before} (at most the current one), oldest first, and forces the directory. */
    int deleteBefore(final long before) throws IOException {
        if (before > segment) {
            throw new IllegalArgumentException("cannot delete the current segment: segment=" + before + " current=" + segment);
        }
        int deleted = 0;
        for (final long existing : SegmentFiles.list(directory)) {
            if (existing >= before) {
                break;
            }
            files.delete(SegmentFiles.path(directory, existing));
            deleted++;
        }
        if (deleted > 0) {
            files.forceDirectory(directory);
        }
        return deleted;
    }

    /** Closes the current segment file; the caller wrote and forced what it needed first. */
    void closeSegment() throws IOException {
        open = false;
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
