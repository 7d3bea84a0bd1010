package io.tidemark.engine.wal;

import io.tidemark.codecs.block.FrameLayout;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Appends records to the WAL of one shard: the single writer of one shard thread, no locks.
 *
 * <p><b>Use.</b> Recover first ({@link WalRecovery#recover}), then {@link #open} continues in a new
 * segment. The shard thread logs a series' labels with {@link #appendSeries} before its first
 * samples, appends samples in batches ({@link #appendSamples}, or {@link #beginSamples},
 * {@link #addSample}..., {@link #endSamples}), then calls {@link #mark(long)} with its own position
 * (a ring-buffer sequence) once the records that cover it are appended. Each record gets the next
 * sequence number; a batch too large for one record ({@link WalConfig#maxRecordBytes()}) or, in
 * {@link SamplesEncoding#FIXED_16}, spanning more than 2^31 ms, becomes several records.
 *
 * <p><b>Group commit.</b> Records are built in an off-heap buffer. A commit hands them to the OS
 * ({@code write(2)}) and makes them durable as the {@link Durability} says, then the last record's
 * sequence and the last mark are published in {@link #durablePosition()}, where other threads read
 * and await them. A commit happens when {@link WalConfig#commitRecords()} records are uncommitted
 * (checked on every append), when the oldest uncommitted record is
 * {@link WalConfig#commitDelayMicros()} old (checked by {@link #maybeCommit(long)}), on
 * {@link #commit()}, and on a segment roll. There is no timer thread: the shard thread must call
 * {@link #maybeCommit(long)} at the end of each batch and from its idle loop, so a record waits at
 * most the delay plus the time until the next call.
 *
 * <p>In {@link Durability#FSYNC} mode the {@code fdatasync} runs on the writer's own syncer thread
 * ({@link WalConfig#backgroundSync()}, the default): the commit only hands over "durable up to
 * here", the shard thread goes on appending, and the syncer publishes when the force returns; while
 * a force runs, commits coalesce into the next one. The shard thread waits for the syncer only at a
 * segment roll, {@link #sync()} and {@link #close()}. Without it, the commit forces on the shard
 * thread and blocks it for the {@code fdatasync}. In {@link Durability#OS_WRITE_LOST_ON_POWER_FAILURE}
 * mode a commit is the {@code write(2)}, and a full buffer also commits.
 *
 * <p><b>Disk full.</b> A {@code write(2)} or segment creation that fails for want of space does not
 * fail the writer: it becomes {@link #diskFull() disk full}, keeps what it did not write in its
 * buffer, acknowledges nothing more, and {@link #resume()} retries; see {@link WalDiskFullException}.
 * An append that must write first then throws it and appends nothing (an open batch stays open).
 *
 * <p><b>Failure.</b> After any other I/O error, and after every failed {@code fsync} whatever its
 * errno, the writer is failed: it throws {@link IllegalStateException} from then on and its durable
 * position never moves again (a failed {@code fsync} cannot be retried safely: the kernel may have
 * dropped the pages it could not write); the error is in {@link DurablePosition#failure()}.
 *
 * <p>Nothing is allocated per record, per sample or per commit; segment rolls allocate a little.
 * Thread-safety: one thread owns the writer; only {@link #durablePosition()} is for other threads.
 */
public final class WalWriter implements AutoCloseable {
    private static final int SERIES_HEADER_WORD = WalRecordLayout.TYPE_SERIES << 24;
    /** A SAMPLES record is not started in a segment with less room than this: the segment rolls instead. */
    private static final int MIN_SAMPLES_PAYLOAD = 4096;

    private final Path directory;
    private final int shard;
    private final SegmentOutput output;
    private final MemorySegment buffer;
    private final WalFiles files;
    private final DurablePosition durable;
    private final BackgroundSyncer syncer;
    private final boolean fsync;
    private final SamplesRecordEncoder samples;
    private final int maxRecordBytes;
    private final int commitRecords;
    private final long commitDelayNanos;
    private final LongSupplier nanoClock;

    private long nextSequence;
    private long appendedMark = -1;
    private int uncommittedRecords;
    private long oldestUncommittedNanos;

    private boolean batchOpen;
    private boolean recordOpen;

    private long recordsAppended;
    private long samplesAppended;
    private long commits;
    private boolean closed;
    private Throwable failure;
    /** Set while records wait in the buffer because the file system was full; see {@link #resume()}. */
    private WalDiskFullException diskFull;

    private WalWriter(final NativeAllocator allocator, final WalRecovery recovery, final WalConfig config,
                      final boolean syncerThread) {
        this.directory = recovery.directory();
        this.shard = recovery.shard();
        this.output = new SegmentOutput(allocator, directory, shard, config);
        this.buffer = output.buffer;
        this.files = config.files();
        this.fsync = config.durability() == Durability.FSYNC;
        this.samples = new SamplesRecordEncoder(buffer, config.samplesEncoding());
        this.maxRecordBytes = config.maxRecordBytes();
        this.commitRecords = config.commitRecords();
        this.commitDelayNanos = config.commitDelayMicros() * 1000;
        this.nanoClock = config.nanoClock();
        this.nextSequence = recovery.nextSequence();
        output.completedSegment = recovery.nextSegment() - 1;
        this.durable = new DurablePosition(nextSequence - 1, -1);
        try {
            if (!fsync || !config.backgroundSync()) {
                this.syncer = null;
            } else if (syncerThread) {
                this.syncer = BackgroundSyncer.start(files, durable, shard, nextSequence - 1, -1);
            } else {
                this.syncer = BackgroundSyncer.unstarted(files, durable, nextSequence - 1, -1);
            }
        } catch (final Throwable t) {
            output.close();
            throw t;
        }
    }

    /**
     * Opens a writer on the directory that {@code recovery} just recovered. It starts a new segment,
     * numbered after the last one recovery kept, whose first record continues the sequence numbers.
     */
    public static WalWriter open(final WalRecovery recovery, final WalConfig config, final NativeAllocator allocator)
        throws IOException {
        return open(recovery, config, allocator, true);
    }

    /**
     * {@link #open} for concurrency tests of the hand-off to the syncer: the writer's syncer gets no
     * thread, and the test runs its steps ({@link #syncer()}, {@link BackgroundSyncer#syncOnce()}) on
     * a thread of its own. Before {@link #sync()}, {@link #close()} or a segment roll, which wait for
     * the syncer, the test must have run it until idle; otherwise they throw. The config must be
     * {@link Durability#FSYNC} with {@link WalConfig#backgroundSync()}.
     */
    static WalWriter openWithUnstartedSyncer(final WalRecovery recovery, final WalConfig config, final NativeAllocator allocator)
        throws IOException {
        if (config.durability() != Durability.FSYNC || !config.backgroundSync()) {
            throw new IllegalArgumentException("a syncer runs only in FSYNC mode with backgroundSync: durability="
                + config.durability() + " backgroundSync=" + config.backgroundSync());
        }
        return open(recovery, config, allocator, false);
    }

    private static WalWriter open(final WalRecovery recovery, final WalConfig config, final NativeAllocator allocator,
                                  final boolean syncerThread) throws IOException {
        final long[] segments = SegmentFiles.list(recovery.directory());
        if (segments.length > 0 && segments[segments.length - 1] >= recovery.nextSegment()) {
            throw new IllegalStateException("WAL directory changed since its recovery: directory=" + recovery.directory()
                + " lastSegment=" + segments[segments.length - 1] + " nextSegment=" + recovery.nextSegment());
        }
        final WalWriter writer = new WalWriter(allocator, recovery, config, syncerThread);
        try {
            writer.output.create(recovery.nextSegment(), recovery.nextSequence());
            return writer;
        } catch (final Throwable t) {
            writer.release();
            throw t;
        }
    }

    /**
     * Logs a series and its canonical label bytes ({@code LabelSetLayout}), which must fit in
     * {@link WalConfig#maxRecordBytes()} minus 8. Returns the record's sequence number.
     */
    public long appendSeries(final int seriesId, final MemorySegment labels, final long offset, final int length)
        throws IOException {
        final long start = beginSeries(seriesId, length);
        MemorySegment.copy(labels, offset, buffer, start + WalRecordLayout.SERIES_LABELS_OFFSET, length);
        return sealRecord(start - FrameLayout.HEADER_BYTES, WalRecordLayout.SERIES_LABELS_OFFSET + length);
    }

    /** {@link #appendSeries(int, MemorySegment, long, int)} for labels on the heap. */
    public long appendSeries(final int seriesId, final byte[] labels) throws IOException {
        final long start = beginSeries(seriesId, labels.length);
        MemorySegment.copy(labels, 0, buffer, ValueLayout.JAVA_BYTE, start + WalRecordLayout.SERIES_LABELS_OFFSET, labels.length);
        return sealRecord(start - FrameLayout.HEADER_BYTES, WalRecordLayout.SERIES_LABELS_OFFSET + labels.length);
    }

    /** Reserves a SERIES frame, writes all but the labels, and returns the payload's offset. */
    private long beginSeries(final int seriesId, final int length) throws IOException {
        checkUsable();
        checkNoBatch();
        final int payload = WalRecordLayout.SERIES_LABELS_OFFSET + length;
        if (length < 0 || payload > maxRecordBytes) {
            throw new IllegalArgumentException("labels do not fit in one record: length=" + length
                + " maxRecordBytes=" + maxRecordBytes);
        }
        final long start = reserveFrame(payload) + FrameLayout.HEADER_BYTES;
        buffer.set(WalRecordLayout.I32, start, SERIES_HEADER_WORD);
        buffer.set(WalRecordLayout.I32, start + WalRecordLayout.SERIES_ID_OFFSET, seriesId);
        return start;
    }

    /**
     * Appends {@code length} samples from {@code offset} in the three arrays, in order, and returns
     * the sequence number of the last record they went into. Values keep their exact bits.
     */
    public long appendSamples(final int[] seriesIds, final long[] timestamps, final double[] values, final int offset,
                              final int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, seriesIds.length);
        Objects.checkFromIndexSize(offset, length, timestamps.length);
        Objects.checkFromIndexSize(offset, length, values.length);
        beginSamples();
        for (int i = offset, end = offset + length; i < end; i++) {
            addSampleBits(seriesIds[i], timestamps[i], Double.doubleToRawLongBits(values[i]));
        }
        return endSamples();
    }

    /** Opens a batch of samples, added with {@link #addSample} and closed with {@link #endSamples()}. */
    public void beginSamples() {
        checkUsable();
        if (batchOpen) {
            throw new IllegalStateException("a samples batch is already open");
        }
        batchOpen = true;
    }

    /** Adds a sample to the open batch: series id, time in ms, value (exact bits kept). */
    public void addSample(final int seriesId, final long timestamp, final double value) throws IOException {
        addSampleBits(seriesId, timestamp, Double.doubleToRawLongBits(value));
    }

    /** Adds a sample to the open batch with its value as IEEE 754 bits. */
    public void addSampleBits(final int seriesId, final long timestamp, final long valueBits) throws IOException {
        if (!recordOpen) {
            if (!batchOpen) {
                throw new IllegalStateException("no samples batch is open: call beginSamples() first");
            }
            beginSamplesRecord(timestamp);
        }
        if (!samples.add(seriesId, timestamp, valueBits)) {
            // Record full (or, in FIXED_16, the time too far from its base): seal it, go on in the next.
            sealSamplesRecord();
            beginSamplesRecord(timestamp);
            samples.add(seriesId, timestamp, valueBits);
        }
    }

    /** Closes the open batch and returns the sequence number of the last record appended. */
    public long endSamples() throws IOException {
        if (!batchOpen) {
            throw new IllegalStateException("no samples batch is open");
        }
        if (recordOpen) {
            sealSamplesRecord();
        }
        batchOpen = false;
        return nextSequence - 1;
    }

    /**
     * Records that every record appended so far covers the caller's position {@code position} (for
     * example the ring-buffer sequence of the last event handled). Once those records are durable,
     * {@link DurablePosition#mark()} shows it. Marks must not decrease.
     */
    public void mark(final long position) {
        if (batchOpen) {
            throw new IllegalStateException("a samples batch is open: mark after endSamples()");
        }
        if (position < appendedMark) {
            throw new IllegalArgumentException("marks must not decrease: position=" + position + " last=" + appendedMark);
        }
        appendedMark = position;
        if (uncommittedRecords == 0 && diskFull == null) {
            // No record waits for a commit, so the mark is durable once the records in flight are.
            if (syncer == null || syncer.completedSequence() == nextSequence - 1) {
                durable.publish(nextSequence - 1, position);
            } else {
                syncer.request(output.channel(), nextSequence - 1, position);
            }
        }
    }

    /**
     * The delay rule of group commit: commits if the oldest uncommitted record was appended at least
     * {@link WalConfig#commitDelayMicros()} before {@code nowNanos} (a time from the configured clock).
     * Cheap when it does not commit. Returns whether it committed.
     */
    public boolean maybeCommit(final long nowNanos) throws IOException {
        if (uncommittedRecords == 0 || nowNanos - oldestUncommittedNanos < commitDelayNanos || batchOpen || diskFull != null) {
            return false;
        }
        checkUsable();
        commitNow();
        return true;
    }

    /**
     * After a {@link WalDiskFullException}: writes what waits in the buffer (creating the next segment
     * first if that failed) and commits it. Returns true if the writer is no longer disk full, false if
     * the file system still is; nothing is lost either way. Allowed while a samples batch is open.
     */
    public boolean resume() throws IOException {
        checkUsable();
        if (diskFull == null) {
            return true;
        }
        try {
            writeOut();
        } catch (final WalDiskFullException stillFull) {
            return false;
        }
        makeDurable(false);
        return true;
    }

    /** While records wait in the buffer because the file system was full, the error that said so; else null. */
    public WalDiskFullException diskFull() {
        return diskFull;
    }

    /** Commits now: every record appended becomes durable as the mode defines and is published. */
    public void commit() throws IOException {
        checkUsable();
        checkNoBatch();
        commitNow();
    }

    /** Writes and forces everything appended, whatever the mode, publishes it, and returns once published. */
    public void sync() throws IOException {
        checkUsable();
        checkNoBatch();
        writeOut();
        if (syncer == null) {
            forceOut();
        }
        makeDurable(true);
    }

    /**
     * Deletes the segments numbered below {@code segment} (up to the current one), oldest first, and
     * forces the directory; returns how many. For checkpoints: the records in those segments must be
     * stored elsewhere first, including the SERIES records of series still in use.
     */
    public int truncateBefore(final long segment) throws IOException {
        checkUsable();
        return output.deleteBefore(segment);
    }

    /** The background syncer, or null without one (OS_WRITE mode, or backgroundSync off); for tests. */
    BackgroundSyncer syncer() {
        return syncer;
    }

    /** Where other threads read and await the durable sequence and mark. */
    public DurablePosition durablePosition() {
        return durable;
    }

    /** The sequence number of the last record appended (durable or not); recovery's next minus one at first. */
    public long lastSequence() {
        return nextSequence - 1;
    }

    /** The segment being written. */
    public long segment() {
        return output.segment();
    }

    /**
     * The newest segment this writer is done with: its records were written out (and forced, in
     * {@link Durability#FSYNC} mode) before the writer moved on, and it is never written again; -1 if
     * none. Any thread may read it (volatile): a checkpoint thread passes it as {@code throughSegment}
     * to {@link WalCheckpoint#create}. It changes only at a segment roll, never on the append path.
     */
    public long lastCompletedSegment() {
        return output.completedSegment;
    }

    /** The shard this writer's segments belong to. */
    public int shard() {
        return shard;
    }

    /** Records appended by this writer. */
    public long recordsAppended() {
        return recordsAppended;
    }

    /** Samples appended by this writer. */
    public long samplesAppended() {
        return samplesAppended;
    }

    /** Bytes handed to the OS, segment headers not counted. */
    public long bytesWritten() {
        return output.bytesWritten();
    }

    /** Commits of at least one record. */
    public long commits() {
        return commits;
    }

    /** {@code fdatasync} calls on segment files (segment creation not counted), by this thread or the syncer. */
    public long forces() {
        return output.forces() + (syncer == null ? 0 : syncer.forces());
    }

    /** Segment files this writer created. */
    public long segmentsCreated() {
        return output.segmentsCreated();
    }

    /**
     * Ends an open batch, writes and forces everything (in both modes), closes the segment and frees
     * the buffer. After a failure it only frees. If the disk is still full, it frees and throws
     * {@link WalDiskFullException}: what was not written is lost, and none of it was acknowledged.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (failure == null && (syncer == null || syncer.failure() == null)) {
                if (batchOpen) {
                    endSamples();
                }
                writeOut();
                if (syncer == null) {
                    forceOut();
                }
                makeDurable(true);
            }
        } finally {
            closed = true;
            release();
            durable.closed();
        }
    }

    /** Stops the syncer, closes the segment file and frees the buffer. */
    private void release() {
        if (syncer != null) {
            syncer.stop();
        }
        output.close();
    }

    private void beginSamplesRecord(final long timestamp) throws IOException {
        checkUsable();
        final long frame = reserveFrame(Math.min(MIN_SAMPLES_PAYLOAD, maxRecordBytes));
        samples.begin(frame, Math.min(maxRecordBytes, output.segmentRemaining() - FrameLayout.HEADER_BYTES), timestamp);
        recordOpen = true;
    }

    private void sealSamplesRecord() throws IOException {
        final int payload = samples.seal();
        recordOpen = false;
        samplesAppended += samples.count();
        sealRecord(samples.frame(), payload);
    }

    /** Checksums the frame at {@code frame}, numbers it, and applies the record-count rule. */
    private long sealRecord(final long frame, final int payload) throws IOException {
        output.position = (int) output.frames.seal(frame, payload);
        final long sequence = nextSequence++;
        recordsAppended++;
        if (uncommittedRecords++ == 0) {
            oldestUncommittedNanos = nanoClock.getAsLong();
        }
        if (uncommittedRecords >= commitRecords && diskFull == null) {
            try {
                commitNow();
            } catch (final WalDiskFullException e) {
                // The record is appended (in the buffer); it is written and published by resume().
            }
        }
        return sequence;
    }

    /**
     * Makes room for a frame with at least {@code payload} bytes and returns its offset in the
     * buffer: rolls the segment if it cannot hold the frame, writes the buffer out if it cannot hold
     * the largest record.
     */
    private long reserveFrame(final int payload) throws IOException {
        if (!output.isOpen()) {
            writeOut(); // a roll was cut short by a full disk: create the next segment before measuring it
        }
        if (output.segmentRemaining() < FrameLayout.HEADER_BYTES + (long) payload) {
            rollSegment();
        }
        if (output.bufferRemaining() < FrameLayout.HEADER_BYTES + maxRecordBytes) {
            writeOut();
            if (!fsync) {
                makeDurable(false);
            }
        }
        return output.position;
    }

    private void rollSegment() throws IOException {
        // The old segment's records must be durable before its file is closed.
        writeOut();
        makeDurable(true);
        try {
            output.closeSegment();
        } catch (final IOException e) {
            throw failed(e);
        }
        try {
            output.createNext(nextSequence); // out of space, no segment is open and writeOut() retries
        } catch (final IOException e) {
            throw writeFailed(e);
        }
    }

    private void commitNow() throws IOException {
        writeOut();
        makeDurable(false);
    }

    /**
     * Makes every record written out so far durable as the mode says and publishes it: OS_WRITE
     * publishes at once; FSYNC forces and publishes here, or asks the syncer to and waits for it only
     * if {@code wait}.
     */
    private void makeDurable(final boolean wait) throws IOException {
        if (uncommittedRecords > 0) {
            commits++;
            uncommittedRecords = 0;
        }
        final long sequence = nextSequence - 1;
        if (syncer == null) {
            if (fsync) {
                forceOut();
            }
            durable.publish(sequence, appendedMark);
            return;
        }
        syncer.request(output.channel(), sequence, appendedMark);
        if (wait) {
            try {
                syncer.awaitCompleted(sequence, appendedMark);
            } catch (final IOException e) {
                throw failed(e);
            }
        }
    }

    /** Writes the buffer out, opening the next segment first if a roll was cut short; clears disk full. */
    private void writeOut() throws IOException {
        try {
            if (!output.isOpen()) {
                output.createNext(nextSequence);
            }
            output.write();
        } catch (final IOException e) {
            throw writeFailed(e);
        }
        diskFull = null;
    }

    /** Out of space: the writer becomes disk full and keeps its buffer; anything else fails it. */
    private IOException writeFailed(final IOException e) {
        if (failure == null && WalDiskFullException.isOutOfSpace(e)) {
            diskFull = e instanceof WalDiskFullException full ? full : new WalDiskFullException(directory, shard, e);
            return diskFull;
        }
        return failed(e);
    }

    private void forceOut() throws IOException {
        try {
            output.force();
        } catch (final IOException e) {
            throw failed(e);
        }
    }

    private IOException failed(final IOException e) {
        if (failure == null) {
            failure = e;
            durable.failed(e);
        }
        return e;
    }

    private void checkUsable() {
        if (failure == null && syncer != null && syncer.failure() != null) {
            failure = syncer.failure();
        }
        if (failure != null) {
            throw new IllegalStateException("WAL writer failed: directory=" + directory, failure);
        }
        if (closed) {
            throw new IllegalStateException("WAL writer closed: directory=" + directory);
        }
    }

    private void checkNoBatch() {
        if (batchOpen) {
            throw new IllegalStateException("a samples batch is open: call endSamples() first");
        }
    }
}
