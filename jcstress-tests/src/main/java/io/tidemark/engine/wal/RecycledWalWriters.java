package io.tidemark.engine.wal;

import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@link SteppedWal}s handed from the {@code @Arbiter} of a finished jcstress state to the
 * constructor of the next one.
 *
 * <p>Why: jcstress creates millions of states and has no teardown hook. Opening a writer lists a
 * directory three times and allocates its buffer in a shared {@link java.lang.foreign.Arena}, whose
 * closing costs a thread handshake (see {@code RecycledPagePools}). A settled writer is as good as
 * a new one: its next state starts from its current sequence and mark. A writer is closed instead
 * of reused when it did not settle (an actor threw, or a failing outcome left it inconsistent) or
 * once it has written {@link #RETIRE_AFTER_BYTES}, far below its segment size, so it never rolls.
 *
 * <p>Thread-safety: {@link #take()} and {@link #giveBack(SteppedWal)} from any thread; the queue
 * orders a give-back before the take that receives the writer.
 */
final class RecycledWalWriters {
    private static final long RETIRE_AFTER_BYTES = 64L << 20;
    private static final long ALLOCATOR_LIMIT_BYTES = 256L << 20;

    private final NativeAllocator allocator = NativeAllocator.withLimit(ALLOCATOR_LIMIT_BYTES);
    private final ConcurrentLinkedQueue<SteppedWal> idle = new ConcurrentLinkedQueue<>();
    private final Path directory;

    RecycledWalWriters() {
        try {
            directory = Files.createTempDirectory("tidemark-jcstress-wal");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the scenarios' WAL directory", e);
        }
        directory.toFile().deleteOnExit();
    }

    /** A settled writer, its state begun. */
    SteppedWal take() {
        SteppedWal wal = idle.poll();
        if (wal == null) {
            try {
                wal = SteppedWal.open(directory, allocator);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot open a WAL writer for a jcstress state: directory=" + directory, e);
            }
        }
        wal.begin();
        return wal;
    }

    /** Takes back a writer once its state's outcome is recorded: settles it for reuse, or closes it. */
    void giveBack(final SteppedWal wal) {
        if (wal.settle() && wal.bytesWritten() < RETIRE_AFTER_BYTES) {
            idle.offer(wal);
        } else {
            wal.close();
        }
    }
}
