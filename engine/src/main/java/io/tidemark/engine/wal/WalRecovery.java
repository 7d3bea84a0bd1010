package io.tidemark.engine.wal;

import io.tidemark.codecs.block.Crc32cFrames;
import io.tidemark.memory.MappedFile;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Replays the WAL of one shard and repairs its tail; the result says what was replayed and what was
 * cut, and is what {@link WalWriter#open} continues from.
 *
 * <p><b>Rules</b> (also in {@code docs/format/wal.md}). Segments are read in number order and every
 * record's CRC32C is checked. Replay stops at the first <i>damage</i>:
 * <ul>
 *   <li>a frame that is truncated, declares a length out of range, or fails its checksum (a torn
 *       or corrupt record: the file is cut just before it);</li>
 *   <li>a missing segment number, an empty segment file, or a segment whose first sequence number
 *       does not continue the previous segment (the segment and everything after it is discarded).</li>
 * </ul>
 * Everything before the damage is kept and replayed; everything after it — the rest of that segment
 * and all later segments — is deleted, because records after a gap cannot be ordered after what was
 * lost. A cut is logged (WARNING) and counted. A segment header that does not check (magic, version,
 * checksum, shard, number) and a checksummed record that does not parse are not cut but reported
 * with {@link CorruptWalException}: they are not what a crash leaves, and guessing could delete data.
 * Leftover temporary files of an interrupted segment creation are deleted.
 *
 * <p><b>Checkpoints</b> ({@link WalCheckpoint}). The newest complete checkpoint {@code C} is replayed
 * first, checked whole: damage in it is a {@link CorruptWalException} (the segments it replaced are
 * gone, so cutting it would lose data silently). Then segments {@code C+1}, {@code C+2}... follow, and
 * segment {@code C+1} must start at the checkpoint's next sequence, under the damage rules above. Left
 * by a crash during a checkpoint and deleted here: its temporary file, and (once the checkpoint is
 * read) the segments numbered up to {@code C} and older checkpoints.
 *
 * <p>Thread-safety: a result is immutable. One recovery per directory at a time, before its writer opens.
 */
public final class WalRecovery {
    private static final System.Logger LOG = System.getLogger(WalRecovery.class.getName());

    private final Path directory;
    private final int shard;
    private long segmentsReplayed;
    private long recordsReplayed;
    private long seriesReplayed;
    private long samplesReplayed;
    private long corruptTailsCut;
    private long bytesDiscarded;
    private long segmentsDiscarded;
    private long temporariesDeleted;
    private long checkpoint = -1;
    private long checkpointSamplesReplayed;
    private long coveredFilesDeleted;
    private long nextSegment;
    private long nextSequence = 1;
    private long nanos;

    private WalRecovery(final Path directory, final int shard) {
        this.directory = directory;
        this.shard = shard;
    }

    /**
     * The state of a WAL that need not be replayed because everything in it is already restored from a
     * snapshot taken when it was closed (its files unchanged since): its next segment and sequence as
     * the closed writer left them, so a {@link WalWriter} goes on from there. Counts nothing replayed.
     */
    public static WalRecovery resumed(final Path directory, final int shard, final long nextSegment, final long nextSequence)
        throws IOException {
        final WalRecovery result = new WalRecovery(directory, shard);
        result.nextSegment = nextSegment;
        result.nextSequence = nextSequence;
        result.checkpoint = CheckpointFiles.newest(directory);
        return result;
    }

    /** {@link #recover(Path, int, WalVisitor, NativeAllocator, WalFiles)} with the real file system. */
    public static WalRecovery recover(final Path directory, final int shard, final WalVisitor visitor,
                                      final NativeAllocator allocator) throws IOException {
        return recover(directory, shard, visitor, allocator, WalFiles.SYSTEM);
    }

    /**
     * Replays the shard's WAL in {@code directory} (created if missing) into {@code visitor}, cutting
     * damage as described above. Segments are mapped one at a time through {@code allocator}.
     *
     * @throws CorruptWalException for damage that is not cut (the message names the file and offset)
     */
    public static WalRecovery recover(final Path directory, final int shard, final WalVisitor visitor,
                                      final NativeAllocator allocator, final WalFiles files) throws IOException {
        final long started = System.nanoTime();
        final WalRecovery result = new WalRecovery(directory, shard);
        Files.createDirectories(directory);
        for (final Path temporary : SegmentFiles.temporaries(directory)) {
            LOG.log(Level.INFO, "WAL shard=" + shard + ": deleting " + temporary + ", left by a segment creation that did not finish");
            files.delete(temporary);
            result.temporariesDeleted++;
        }
        for (final Path temporary : CheckpointFiles.temporaries(directory)) {
            LOG.log(Level.INFO, "WAL shard=" + shard + ": deleting " + temporary + ", left by a checkpoint that did not finish");
            files.delete(temporary);
            result.temporariesDeleted++;
        }
        final SegmentReader reader = new SegmentReader();
        long[] segments = SegmentFiles.list(directory);
        final long checkpoint = CheckpointFiles.newest(directory);
        if (checkpoint >= 0) {
            result.replayCheckpoint(checkpoint, visitor, allocator, files, reader);
            final long kept = checkpoint;
            segments = Arrays.stream(segments).filter(s -> s > kept).toArray();
        }
        result.replay(segments, visitor, allocator, files, reader);
        if (result.temporariesDeleted > 0 || result.segmentsDiscarded > 0 || result.coveredFilesDeleted > 0) {
            files.forceDirectory(directory);
        }
        result.nanos = System.nanoTime() - started;
        return result;
    }

    /**
     * Replays checkpoint {@code number}, then deletes what a checkpoint interrupted after its rename
     * left: the segments it covers and older checkpoints. Sets where the segments must continue.
     */
    private void replayCheckpoint(final long number, final WalVisitor visitor, final NativeAllocator allocator,
                                  final WalFiles files, final SegmentReader reader) throws IOException {
        final CheckpointHeader header = CheckpointReader.replay(directory, shard, number, visitor, allocator, reader);
        checkpoint = number;
        recordsReplayed += reader.records;
        seriesReplayed += reader.seriesRecords;
        samplesReplayed += reader.samples;
        checkpointSamplesReplayed = reader.samples;
        nextSequence = header.nextSequence();
        nextSegment = number + 1;
        final int covered = WalCheckpoint.deleteCovered(directory, number, files)
            + WalCheckpoint.deleteOlderCheckpoints(directory, number, files);
        if (covered > 0) {
            LOG.log(Level.INFO, "WAL shard=" + shard + ": deleted " + covered + " segments and checkpoints that checkpoint "
                + number + " replaced (a checkpoint was interrupted before it deleted them)");
            coveredFilesDeleted += covered;
        }
    }

    private void replay(final long[] segments, final WalVisitor visitor, final NativeAllocator allocator,
                        final WalFiles files, final SegmentReader reader) throws IOException {
        final boolean afterCheckpoint = checkpoint >= 0;
        if (!afterCheckpoint) {
            nextSegment = segments.length == 0 ? 0 : segments[0];
        }
        for (int i = 0; i < segments.length; i++) {
            final long segment = segments[i];
            final Path path = SegmentFiles.path(directory, segment);
            final long expected = i > 0 ? segments[i - 1] + 1 : afterCheckpoint ? checkpoint + 1 : segment;
            if (segment != expected) {
                discardFrom(segments, i, files, "segment " + expected + " is missing");
                return;
            }
            final long size = Files.size(path);
            if (size > WalConfig.MAX_SEGMENT_BYTES) {
                throw new CorruptWalException(path, 0, "a segment of at most " + WalConfig.MAX_SEGMENT_BYTES + " bytes",
                    size + " bytes");
            }
            if (size == 0) {
                discardFrom(segments, i, files, path.getFileName() + " is empty");
                return;
            }
            final long validEnd;
            final long damage;
            try (MappedFile mapped = MappedFile.openReadOnly(allocator, path)) {
                final long firstSequence = SegmentHeader.check(path, mapped.segment(), shard, segment);
                if ((i > 0 || afterCheckpoint) && firstSequence != nextSequence) {
                    discardFrom(segments, i, files, path.getFileName() + " starts at sequence " + firstSequence
                        + " where " + nextSequence + " was next");
                    return;
                }
                reader.read(path, mapped.segment(), segment, firstSequence, visitor);
                validEnd = reader.validEnd;
                damage = reader.damage;
            }
            segmentsReplayed++;
            recordsReplayed += reader.records;
            seriesReplayed += reader.seriesRecords;
            samplesReplayed += reader.samples;
            nextSequence = reader.nextSequence;
            nextSegment = segment + 1;
            if (damage != 0) {
                final long later = discardSegments(segments, i + 1, files);
                files.truncate(path, validEnd);
                corruptTailsCut++;
                bytesDiscarded += size - validEnd;
                LOG.log(Level.WARNING, "WAL shard=" + shard + ": cut " + path + " at offset=" + validEnd + " ("
                    + Crc32cFrames.describe(damage) + "); discarded " + (size - validEnd) + " bytes of it and " + later
                    + " later segments");
                return;
            }
        }
    }

    /** Damage at the start of {@code segments[from]}: it and every later segment go. */
    private void discardFrom(final long[] segments, final int from, final WalFiles files, final String why)
        throws IOException {
        final long discarded = discardSegments(segments, from, files);
        corruptTailsCut++;
        if (from == 0) {
            nextSegment = checkpoint >= 0 ? checkpoint + 1 : segments[0];
        }
        LOG.log(Level.WARNING, "WAL shard=" + shard + " directory=" + directory + ": " + why + "; discarded " + discarded
            + " segments from segment " + segments[from]);
    }

    /** Deletes {@code segments[from..]}, newest first, counting their bytes; returns how many. */
    private long discardSegments(final long[] segments, final int from, final WalFiles files) throws IOException {
        for (int i = segments.length - 1; i >= from; i--) {
            final Path path = SegmentFiles.path(directory, segments[i]);
            bytesDiscarded += Files.size(path);
            files.delete(path);
            segmentsDiscarded++;
        }
        return segments.length - from;
    }

    /** The shard's WAL directory. */
    public Path directory() {
        return directory;
    }

    /** The shard. */
    public int shard() {
        return shard;
    }

    /** Segments whose records were replayed (in full or up to a cut). */
    public long segmentsReplayed() {
        return segmentsReplayed;
    }

    /** Records handed to the visitor. */
    public long recordsReplayed() {
        return recordsReplayed;
    }

    /** SERIES records handed to the visitor. */
    public long seriesReplayed() {
        return seriesReplayed;
    }

    /** Samples in the SAMPLES records handed to the visitor. */
    public long samplesReplayed() {
        return samplesReplayed;
    }

    /** Torn or corrupt tails cut: 0 or 1 per recovery. */
    public long corruptTailsCut() {
        return corruptTailsCut;
    }

    /** Bytes deleted by the cut: the rest of the damaged segment and every later segment. */
    public long bytesDiscarded() {
        return bytesDiscarded;
    }

    /** Whole segment files deleted by the cut. */
    public long segmentsDiscarded() {
        return segmentsDiscarded;
    }

    /** Temporary files of unfinished segment creations and checkpoints that were deleted. */
    public long temporariesDeleted() {
        return temporariesDeleted;
    }

    /** The checkpoint replayed first (the last segment it covers), or -1 if there was none. */
    public long checkpoint() {
        return checkpoint;
    }

    /** Samples replayed from the checkpoint (also counted in {@link #samplesReplayed()}). */
    public long checkpointSamplesReplayed() {
        return checkpointSamplesReplayed;
    }

    /** Segments and older checkpoints that the checkpoint replaced, deleted here because a crash left them. */
    public long coveredFilesDeleted() {
        return coveredFilesDeleted;
    }

    /** The number the writer's first segment gets: one after the last segment kept. */
    public long nextSegment() {
        return nextSegment;
    }

    /** The sequence number the writer's first record gets: one after the last record kept (1 if none). */
    public long nextSequence() {
        return nextSequence;
    }

    /** Time the recovery took, in nanoseconds. */
    public long nanos() {
        return nanos;
    }

    @Override
    public String toString() {
        return "WalRecovery[shard=" + shard + ", checkpoint=" + checkpoint + ", segmentsReplayed=" + segmentsReplayed + ", recordsReplayed=" + recordsReplayed
            + ", samplesReplayed=" + samplesReplayed + ", corruptTailsCut=" + corruptTailsCut + ", bytesDiscarded="
            + bytesDiscarded + ", segmentsDiscarded=" + segmentsDiscarded + ", nextSegment=" + nextSegment
            + ", nextSequence=" + nextSequence + ']';
    }
}
