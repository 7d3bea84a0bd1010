package io.tidemark.engine.wal;

import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@link WalWriter} in {@link Durability#FSYNC} mode with a background syncer that has no
 * thread, on {@link ForceRecordingFiles}: one jcstress actor plays the shard thread (append, mark,
 * commit, then read the durable position as {@code ShardWorker.onIdle} does), another plays the
 * syncer thread ({@link #syncUntilAcknowledged}, a bounded loop of {@link BackgroundSyncer#syncOnce()}).
 *
 * <p>A writer serves many jcstress states in turn ({@link RecycledWalWriters}), so everything a
 * scenario reads is relative to where its state began: {@link #begin()} takes the last sequence,
 * the last mark and the force count, and record {@code k} of the state is sequence base + k, mark
 * {@code k} is mark base + k.
 *
 * <p>Thread-safety: the shard methods from one thread at a time, {@link #syncUntilAcknowledged} from
 * one thread at a time, the readers from any thread. The state's construction and its arbiter come
 * before and after both actors (jcstress orders them).
 */
final class SteppedWal {
    /** The shard the writers claim; their files are never created, so they share one directory. */
    private static final int SHARD = 0;
    /** Most syncer steps of one actor: a few hundred microseconds of polling when the shard actor is late. */
    private static final int MAX_SYNC_STEPS = 1 << 12;
    private static final int[] SERIES = {1};
    private static final long[] TIMESTAMPS = {1_700_000_000_000L};
    private static final double[] VALUES = {1.0};
    /** One small buffer and record; segments large enough never to roll before the writer retires. */
    private static final WalConfig CONFIG = WalConfig.defaults().withDurability(Durability.FSYNC).withBackgroundSync(true)
        .withSizes(256L << 20, 4096, WalConfig.MIN_RECORD_BYTES).withGroupCommit(1024, TimeUnit.HOURS.toMicros(1));
    private static final WalVisitor NO_RECORDS = new WalVisitor() {
        @Override
        public void series(final SeriesRecordView series) {
            throw new IllegalStateException("a WAL directory of the jcstress scenarios holds no records");
        }

        @Override
        public void samples(final SamplesRecordView samples) {
            throw new IllegalStateException("a WAL directory of the jcstress scenarios holds no records");
        }
    };

    private final ForceRecordingFiles files;
    private final WalWriter writer;
    private final BackgroundSyncer syncer;
    private final DurablePosition durable;
    private long lastMark = -1;
    private long baseSequence;
    private long baseMark;
    private long baseForces;

    private SteppedWal(final ForceRecordingFiles files, final WalWriter writer) {
        this.files = files;
        this.writer = writer;
        this.syncer = writer.syncer();
        this.durable = writer.durablePosition();
    }

    /** Opens a writer on {@code directory}, which holds no segment files and never will. */
    static SteppedWal open(final Path directory, final NativeAllocator allocator) throws IOException {
        final ForceRecordingFiles files = new ForceRecordingFiles();
        final WalRecovery recovery = WalRecovery.recover(directory, SHARD, NO_RECORDS, allocator, files);
        final WalWriter writer = WalWriter.openWithUnstartedSyncer(recovery, CONFIG.withFiles(files), allocator);
        files.attach(writer);
        return new SteppedWal(files, writer);
    }

    /** Starts a state: what is durable now is the base of its relative numbers. Call when {@link #settle()} said quiet. */
    void begin() {
        baseSequence = writer.lastSequence();
        baseMark = lastMark;
        baseForces = files.forces();
    }

    /** Shard thread: appends one record (the state's next sequence) and marks it as the state's mark {@code k}. */
    void appendAndMark(final int k) throws IOException {
        writer.appendSamples(SERIES, TIMESTAMPS, VALUES, 0, 1);
        mark(k);
    }

    /** Shard thread: gives the state's mark {@code k} with no new record. */
    void mark(final int k) {
        lastMark = baseMark + k;
        writer.mark(lastMark);
    }

    /** Shard thread: commits, handing the records to the syncer. */
    void commit() throws IOException {
        writer.commit();
    }

    /**
     * Syncer thread: steps the syncer, as its thread's loop would, until the state's sequence
     * {@code sequence} and mark {@code mark} are acknowledged, or for at most {@link #MAX_SYNC_STEPS}
     * steps (the shard actor may have thrown, or been descheduled). Stepping until then, rather than
     * once, lets the request meet a syncer that is already polling, so the force overlaps what the
     * shard actor does next instead of having run before its commit.
     */
    void syncUntilAcknowledged(final int sequence, final int mark) {
        for (int steps = 0; steps < MAX_SYNC_STEPS && (acknowledgedSequence() < sequence || acknowledgedMark() < mark); steps++) {
            syncer.syncOnce();
        }
    }

    /**
     * Arbiter: runs the syncer until a step finds nothing new to publish. A step publishes the latest
     * request whole, so two steps suffice; the bound only keeps a broken syncer from looping.
     */
    void drain() {
        for (int steps = 0; steps < 4; steps++) {
            if (syncer.syncOnce() != BackgroundSyncer.Step.SYNCED) {
                return;
            }
        }
    }

    /** The acknowledged sequence, relative to the state's base. */
    int acknowledgedSequence() {
        return (int) (durable.sequence() - baseSequence);
    }

    /** The acknowledged mark, relative to the state's base. */
    int acknowledgedMark() {
        return (int) (durable.mark() - baseMark);
    }

    /** The highest sequence a returned force covered, relative to the state's base. */
    int forcedSequence() {
        return (int) (files.forcedSequence() - baseSequence);
    }

    /** Forces since the state began. */
    int forces() {
        return (int) (files.forces() - baseForces);
    }

    /** Bytes the writer has written in all its states. */
    long bytesWritten() {
        return writer.bytesWritten();
    }

    /**
     * Arbiter: commits what the actors left, runs the syncer until it is idle, and says whether
     * everything appended is now forced and acknowledged with the last mark, so the next state can
     * start from here. False after any error: the writer is then only fit for {@link #close()}.
     */
    boolean settle() {
        try {
            writer.commit();
            drain();
        } catch (final IOException | RuntimeException e) {
            return false;
        }
        final long last = writer.lastSequence();
        return syncer.syncOnce() == BackgroundSyncer.Step.IDLE && durable.sequence() == last && durable.mark() == lastMark
            && files.forcedSequence() == last;
    }

    /** Frees the writer's buffer; after {@link #settle()} it finds nothing left to wait for. */
    void close() {
        try {
            writer.close();
        } catch (final IOException | RuntimeException ignored) {
            // A writer that failed or was left unsettled: close() has freed its buffer all the same.
        }
    }
}
