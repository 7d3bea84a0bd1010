package io.tidemark.engine.wal;

import io.tidemark.codecs.block.Crc32cFrames;
import io.tidemark.memory.MappedFile;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Makes a checkpoint of one shard's WAL: replaces the newest checkpoint and the closed segments up to
 * a given one by a single checkpoint file that keeps the SERIES records of the series still wanted (not
 * removed from the index: see {@code Tenant}) and the samples at or after a given time, then deletes what it
 * replaced. Format: {@link CheckpointLayout} and
 * {@code docs/format/wal.md}.
 *
 * <p><b>When.</b> After the head's samples older than {@code minTime} are durably in a block and the
 * head refuses samples older than {@code minTime}: the checkpoint drops those samples from the WAL.
 *
 * <p><b>Steps</b>, each safe to die after: (1) write {@code checkpoint.<N>.tmp} (a leftover is deleted
 * by recovery); (2) force it, rename it to {@code checkpoint.<N>}, force the directory — from here
 * recovery replays the new checkpoint; (3) delete segments up to {@code N}, oldest first, then older
 * checkpoints, and force the directory (recovery finishes this if it was cut short).
 *
 * <p><b>Threads.</b> Runs on any thread while the shard's {@link WalWriter} keeps appending: it reads
 * only segments the writer is done with ({@code throughSegment} at most
 * {@link WalWriter#lastCompletedSegment()}) and never touches the current one. At most one checkpoint
 * per directory at a time (the caller serializes them), never during {@link WalRecovery}. Allocates
 * per call, not per record: a 1 MiB buffer ({@code WAL} tag) and one mapping at a time.
 */
public final class WalCheckpoint {
    private static final System.Logger LOG = System.getLogger(WalCheckpoint.class.getName());

    private WalCheckpoint() {
    }

    /**
     * What a checkpoint did.
     *
     * @param created           false if there was nothing to do ({@code throughSegment} not above the newest checkpoint)
     * @param checkpoint        the newest checkpoint's number afterwards (-1 if none)
     * @param nextSequence      the sequence number the segment after the checkpoint starts at
     * @param seriesKept        SERIES records in the new checkpoint
     * @param seriesDropped     SERIES records of series no longer wanted left out
     * @param samplesKept       samples in the new checkpoint
     * @param samplesDropped    samples older than {@code minTime} left out
     * @param segmentsDeleted   segments deleted after the checkpoint was durable
     * @param checkpointsDeleted older checkpoints deleted
     * @param bytes             size of the new checkpoint file
     * @param nanos             time taken
     */
    public record Result(boolean created, long checkpoint, long nextSequence, long seriesKept, long seriesDropped, long samplesKept,
                         long samplesDropped, int segmentsDeleted, int checkpointsDeleted, long bytes, long nanos) {
    }

    /** {@link #create(Path, int, long, long, IntPredicate, NativeAllocator, WalFiles)} keeping every series, with the real file system. */
    public static Result create(final Path directory, final int shard, final long throughSegment, final long minTime,
                                final NativeAllocator allocator) throws IOException {
        return create(directory, shard, throughSegment, minTime, allocator, WalFiles.SYSTEM);
    }

    /** {@link #create(Path, int, long, long, IntPredicate, NativeAllocator, WalFiles)} keeping every series. */
    public static Result create(final Path directory, final int shard, final long throughSegment, final long minTime,
                                final NativeAllocator allocator, final WalFiles files) throws IOException {
        return create(directory, shard, throughSegment, minTime, id -> true, allocator, files);
    }

    /**
     * Checkpoints {@code directory} (the WAL of {@code shard}) through segment {@code throughSegment},
     * keeping the samples at or after {@code minTime} (ms) of the series {@code keepSeries} accepts (by id),
     * and their SERIES records. {@code throughSegment} must be closed: pass
     * {@link WalWriter#lastCompletedSegment()}. Nothing is done if it is not above the newest checkpoint.
     * A series left out must have nothing at or after {@code minTime} in the WAL: its samples in later
     * segments would then be replayed for an id no SERIES record names (the head refuses them as older
     * than its sealed boundary, which is where the caller takes {@code minTime} from).
     *
     * @throws CorruptWalException if the checkpoint or a segment it reads is damaged (nothing is deleted then)
     * @throws IOException         if a file operation fails; the WAL then still recovers as before the call
     */
    public static Result create(final Path directory, final int shard, final long throughSegment, final long minTime,
                                final IntPredicate keepSeries, final NativeAllocator allocator, final WalFiles files)
        throws IOException {
        final long started = System.nanoTime();
        final long previous = CheckpointFiles.newest(directory);
        if (throughSegment <= previous) {
            return new Result(false, previous, -1, 0, 0, 0, 0, 0, 0, 0, System.nanoTime() - started);
        }
        final long[] segments = covered(directory, previous, throughSegment);
        final Path temporary = CheckpointFiles.temporaryPath(directory, throughSegment);
        files.delete(temporary); // left by an attempt of this process that failed
        final CheckpointHeader header;
        final long bytes;
        final long seriesKept;
        final long seriesDropped;
        final long samplesKept;
        final long samplesDropped;
        final FileChannel channel = files.create(temporary);
        try (channel; CheckpointOutput output = new CheckpointOutput(files, channel, allocator, minTime, keepSeries)) {
            final SegmentReader reader = new SegmentReader();
            int number = 1;
            long nextSequence = -1;
            if (previous >= 0) {
                final CheckpointHeader last = CheckpointReader.replay(directory, shard, previous, output, allocator, reader);
                number = last.number() + 1;
                nextSequence = last.nextSequence();
            }
            for (final long segment : segments) {
                nextSequence = copySegment(directory, shard, segment, nextSequence, output, allocator, reader);
            }
            bytes = output.finish();
            header = new CheckpointHeader(shard, throughSegment, nextSequence, minTime, System.currentTimeMillis(), number);
            channel.position(0);
            final ByteBuffer encoded = header.encode();
            while (encoded.hasRemaining()) {
                files.write(channel, encoded);
            }
            files.force(channel);
            seriesKept = output.seriesRecords;
            seriesDropped = output.seriesDropped;
            samplesKept = output.samplesKept;
            samplesDropped = output.samplesDropped;
        } catch (final UncheckedIOException e) {
            deleteQuietly(files, temporary, e.getCause());
            throw e.getCause();
        } catch (final Throwable t) {
            deleteQuietly(files, temporary, t);
            throw t;
        }
        // The rename is the commit point; the directory must be forced before anything it replaces goes.
        files.rename(temporary, CheckpointFiles.path(directory, throughSegment));
        files.forceDirectory(directory);
        final int segmentsDeleted = deleteCovered(directory, throughSegment, files);
        final int checkpointsDeleted = deleteOlderCheckpoints(directory, throughSegment, files);
        if (segmentsDeleted + checkpointsDeleted > 0) {
            files.forceDirectory(directory);
        }
        final long nanos = System.nanoTime() - started;
        LOG.log(Level.DEBUG, () -> "WAL shard=" + shard + ": checkpoint " + throughSegment + " of " + bytes + " bytes, "
            + seriesKept + " series, " + samplesKept + " samples kept, " + samplesDropped + " before " + minTime + " dropped");
        return new Result(true, throughSegment, header.nextSequence(), seriesKept, seriesDropped, samplesKept, samplesDropped,
            segmentsDeleted, checkpointsDeleted, bytes, nanos);
    }

    /** The segments above {@code previous} up to {@code through}, which must all be there, without a gap. */
    private static long[] covered(final Path directory, final long previous, final long through) throws IOException {
        final long[] segments = Arrays.stream(SegmentFiles.list(directory)).filter(s -> s > previous && s <= through).toArray();
        if (segments.length == 0 || segments[segments.length - 1] != through) {
            throw new IllegalArgumentException("no closed segment to checkpoint: throughSegment=" + through
                + " newestCheckpoint=" + previous + " segments=" + Arrays.toString(segments) + " directory=" + directory);
        }
        final long first = previous >= 0 ? previous + 1 : segments[0];
        for (int i = 0; i < segments.length; i++) {
            if (segments[i] != first + i) {
                throw new CorruptWalException(SegmentFiles.path(directory, first + i), 0,
                    "segment " + (first + i) + " (segments follow the newest checkpoint without a gap)", "no such file");
            }
        }
        return segments;
    }

    /** Reads one closed segment into the checkpoint; returns the sequence number after its last record. */
    private static long copySegment(final Path directory, final int shard, final long segment, final long nextSequence,
                                    final CheckpointOutput output, final NativeAllocator allocator,
                                    final SegmentReader reader) throws IOException {
        final Path path = SegmentFiles.path(directory, segment);
        try (MappedFile mapped = MappedFile.openReadOnly(allocator, path)) {
            final long firstSequence = SegmentHeader.check(path, mapped.segment(), shard, segment);
            if (nextSequence >= 0 && firstSequence != nextSequence) {
                throw new CorruptWalException(path, SegmentHeaderLayout.FIRST_SEQUENCE_OFFSET, "first sequence " + nextSequence
                    + " (continuing the records before it)", "first sequence " + firstSequence);
            }
            reader.read(path, mapped.segment(), segment, firstSequence, output);
            if (reader.damage != 0) {
                // A closed segment was forced whole before the writer moved on: damage here is not a torn write.
                throw new CorruptWalException(path, reader.validEnd, "a valid record in a closed segment",
                    Crc32cFrames.describe(reader.damage));
            }
            return reader.nextSequence;
        }
    }

    /** Deletes the segments numbered up to {@code checkpoint}, oldest first; returns how many. */
    static int deleteCovered(final Path directory, final long checkpoint, final WalFiles files) throws IOException {
        int deleted = 0;
        for (final long segment : SegmentFiles.list(directory)) {
            if (segment > checkpoint) {
                break;
            }
            files.delete(SegmentFiles.path(directory, segment));
            deleted++;
        }
        return deleted;
    }

    /** Deletes the checkpoints older than {@code checkpoint}; returns how many. */
    static int deleteOlderCheckpoints(final Path directory, final long checkpoint, final WalFiles files) throws IOException {
        int deleted = 0;
        for (final long older : CheckpointFiles.list(directory)) {
            if (older < checkpoint) {
                files.delete(CheckpointFiles.path(directory, older));
                deleted++;
            }
        }
        return deleted;
    }

    private static void deleteQuietly(final WalFiles files, final Path temporary, final Throwable failure) {
        try {
            files.delete(temporary);
        } catch (final IOException | RuntimeException e) {
            failure.addSuppressed(e); // recovery deletes it if it stays
        }
    }
}
