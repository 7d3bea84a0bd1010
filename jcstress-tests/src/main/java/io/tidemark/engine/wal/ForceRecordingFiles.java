package io.tidemark.engine.wal;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A file facade without files for the jcstress scenarios: it remembers which records were handed
 * to "the OS" and which of them a force has covered, the way {@code fdatasync} does: a force covers
 * what was written before it began, and counts only once it has returned.
 *
 * <p>{@link #write} runs on the writer's thread and records the writer's last sealed record (every
 * sealed record is in the bytes written). {@link #force} runs on the syncer's thread: it reads that
 * sequence when it begins, spins a little (a device that takes no time would leave almost no window
 * for a commit to land in), and only then stores it in {@link #forcedSequence()}. An acknowledgement
 * above {@link #forcedSequence()}, read after it, is therefore one the device had not confirmed.
 *
 * <p>There are no files: {@link #create} returns null, which only this facade ever sees. A writer
 * on these files must not roll its segment, whose closing and reopening expects a channel; the
 * writers of {@link RecycledWalWriters} retire long before.
 *
 * <p>Thread-safety: one writer thread and one syncer thread at a time; the sequences are volatile.
 */
final class ForceRecordingFiles implements WalFiles {
    /**
     * Spins per force: 0.8 µs on the 2-core x86 test machine, long enough for the shard actor's next
     * commit or reads to land while a force runs, short enough to keep a jcstress sample cheap.
     */
    private static final int FORCE_SPINS = 32;

    private WalWriter writer;
    private volatile long writtenSequence;
    private volatile long forcedSequence;
    private volatile long forces;

    /** Starts recording for {@code owner}, a writer just opened on these files, before any thread but its opener uses it. */
    void attach(final WalWriter owner) {
        writer = owner;
        writtenSequence = owner.lastSequence();
        forcedSequence = owner.lastSequence();
    }

    /** The highest record sequence a force has covered and returned from. */
    long forcedSequence() {
        return forcedSequence;
    }

    /** Forces that returned, segment creation included. */
    long forces() {
        return forces;
    }

    @Override
    public FileChannel create(final Path path) {
        return null;
    }

    @Override
    public int write(final FileChannel channel, final ByteBuffer source) {
        final int bytes = source.remaining();
        source.position(source.limit());
        if (writer != null) {
            writtenSequence = writer.lastSequence();
        }
        return bytes;
    }

    @Override
    public void force(final FileChannel channel) {
        final long covered = writtenSequence;
        for (int i = 0; i < FORCE_SPINS; i++) {
            Thread.onSpinWait();
        }
        forcedSequence = covered;
        forces++; // one syncer thread at a time
    }

    @Override
    public void forceDirectory(final Path directory) {
        // No files, nothing to force.
    }

    @Override
    public void rename(final Path source, final Path target) {
        // No files: the segment exists only as this facade's sequences.
    }

    @Override
    public void delete(final Path path) {
        // No files to delete.
    }

    @Override
    public void truncate(final Path path, final long bytes) {
        // No files to cut.
    }
}
