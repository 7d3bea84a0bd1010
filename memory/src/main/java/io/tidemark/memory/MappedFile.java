package io.tidemark.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file mapped into memory as a {@link MemorySegment}. Mapped bytes are counted under
 * {@link MemoryTag#MAPPED_FILES} in the allocator (they hold address space and page cache) and
 * are subject to its limits. Closing unmaps; the segment is then dead.
 *
 * <p>Thread-safety: the segment may be read from any thread; {@link #close()} once.
 */
public final class MappedFile implements AutoCloseable {
    private final NativeAllocator allocator;
    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;
    private final boolean writable;
    private boolean closed;

    private MappedFile(final NativeAllocator allocator, final Path path, final Arena arena, final MemorySegment segment,
                       final boolean writable) {
        this.allocator = allocator;
        this.path = path;
        this.arena = arena;
        this.segment = segment;
        this.writable = writable;
    }

    /** Maps the whole of an existing file for reading. */
    public static MappedFile openReadOnly(final NativeAllocator allocator, final Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return map(allocator, path, channel, FileChannel.MapMode.READ_ONLY, channel.size());
        }
    }

    /**
     * Maps {@code bytes} bytes of a file for reading and writing, creating the file or extending it
     * with zeros as needed. Persist what was written with {@link #force()}.
     */
    public static MappedFile openReadWrite(final NativeAllocator allocator, final Path path, final long bytes)
        throws IOException {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes must be positive: path=" + path + " bytes=" + bytes);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.CREATE)) {
            return map(allocator, path, channel, FileChannel.MapMode.READ_WRITE, bytes);
        }
    }

    private static MappedFile map(final NativeAllocator allocator, final Path path, final FileChannel channel,
                                  final FileChannel.MapMode mode, final long bytes) throws IOException {
        final long accounted = Math.max(bytes, 1);
        allocator.reserve(MemoryTag.MAPPED_FILES, accounted);
        final Arena arena = Arena.ofShared();
        try {
            final MemorySegment segment = bytes == 0 ? MemorySegment.NULL : channel.map(mode, 0, bytes, arena);
            return new MappedFile(allocator, path, arena, segment, mode == FileChannel.MapMode.READ_WRITE);
        } catch (final Throwable t) {
            arena.close();
            allocator.unreserve(MemoryTag.MAPPED_FILES, accounted);
            throw t;
        }
    }

    /** The mapped bytes. */
    public MemorySegment segment() {
        return segment;
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** Writes changed pages to the storage device and waits for it (msync). */
    public void force() {
        if (writable) {
            segment.force();
        }
    }

    /** Unmaps the file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        arena.close();
        allocator.unreserve(MemoryTag.MAPPED_FILES, Math.max(segment.byteSize(), 1));
    }
}
