package io.tidemark.engine.wal;

import java.io.IOException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Group commit in {@link Durability#FSYNC} mode: nothing is acknowledged before its fsync. A real
 * {@link WalWriter} whose {@link BackgroundSyncer} has no thread ({@link SteppedWal}) runs on
 * {@link ForceRecordingFiles}, which records the highest sequence a force covered only once the
 * force has returned. One actor is the shard thread: it appends, marks and commits, and then reads
 * the writer's {@link DurablePosition} as the acknowledger does ({@code ShardWorker.onIdle} reads
 * the mark on the shard thread and passes it on to {@code IngestShard.markDurable}, which
 * {@code Appender.awaitDurable} waits on), followed by the forced sequence. The other actor is the
 * syncer thread, running {@link BackgroundSyncer#syncOnce()} in a loop, as the thread does, until
 * the state's last commit is acknowledged (bounded, in case the shard actor is late). Since the
 * forced sequence only grows and is read last, an acknowledged sequence or mark above it is an
 * acknowledgement the device had not confirmed.
 *
 * <p>Numbers are relative to where the state began: record {@code k} of a state is sequence
 * {@code k} in the results, its mark {@code k} is mark {@code k}; {@link #THREW} means an actor's
 * call threw. Two actors, not a separate reader thread: jcstress cannot schedule a three-actor test
 * on a two-CPU machine and skips it without a word, and the shard thread is where the WAL's
 * acknowledgement is read anyway.
 *
 * <p>Each scenario was shown to fail (FORBIDDEN outcomes counted in quick mode,
 * {@code java -jar jcstress-tests/target/tidemark-jcstress.jar -m quick -t WalGroupCommitTests})
 * with the code deliberately broken as its javadoc says, and to pass again once restored. The
 * sanity run of {@code ./tidemark test} takes about 56 samples per scenario: enough to catch a
 * syncer that publishes before it forces and a mark published while its record is in flight, not
 * the rarer interleavings the other two breaks need (in quick mode they showed in a few hundred
 * and in about fifty thousand of some millions of samples).
 *
 * <p>The scenario classes are not final because the jcstress annotation processor refuses final
 * {@link State} classes.
 */
public final class WalGroupCommitTests {
    /** Result code: an actor's call threw. */
    static final int THREW = -9;

    private WalGroupCommitTests() {
    }

    /**
     * One record with a mark, committed, then a later mark on the same record, while the syncer
     * steps. The record's sequence and either mark are acknowledged only after the force that covers
     * the record has returned. Shown to fail when {@link BackgroundSyncer#syncOnce()} publishes before
     * it forces, and when {@link WalWriter#mark(long)} publishes a mark at once although its records
     * are still in flight (its {@code completedSequence() == nextSequence - 1} test dropped).
     */
    @JCStressTest
    @Outcome(id = "0, 0, [01]", expect = Expect.ACCEPTABLE,
        desc = "nothing acknowledged yet when the shard read: the force was running, or not started")
    @Outcome(id = "[01], [0-2], 1", expect = Expect.ACCEPTABLE,
        desc = "acknowledged (the record, its mark or the later mark) only after the force returned")
    @Outcome(id = "1, [0-2], 0", expect = Expect.FORBIDDEN, desc = "the record was acknowledged before its fsync returned")
    @Outcome(id = "0, [12], 0", expect = Expect.FORBIDDEN, desc = "a mark was acknowledged before its record's fsync returned")
    @Outcome(expect = Expect.FORBIDDEN, desc = "an actor threw, or a value out of range")
    @State
    public static class AcknowledgedOnlyAfterItsForce {
        private static final RecycledWalWriters WRITERS = new RecycledWalWriters();

        private final SteppedWal wal = WRITERS.take();

        @Actor
        public void shardThread(final III_Result result) {
            try {
                wal.appendAndMark(1);
                wal.commit();
                wal.mark(2);
            } catch (final IOException | RuntimeException e) {
                result.r1 = THREW;
                return;
            }
            result.r1 = wal.acknowledgedSequence();
            result.r2 = wal.acknowledgedMark();
            result.r3 = wal.forcedSequence();
        }

        @Actor
        public void syncerThread() {
            wal.syncUntilAcknowledged(1, 2);
        }

        @Arbiter
        public void recycle() {
            WRITERS.giveBack(wal);
        }
    }

    /**
     * Two commits, each of one record with its mark, while the syncer steps: a commit made while a
     * force runs waits for the next force, commits that piled up are covered by one force, and the
     * acknowledged sequence never moves backwards. Results: the acknowledged and the forced sequence
     * as the shard read them after its commits, the same two read again by the arbiter after both
     * actors, and the forces the syncer made (1 with both records acknowledged is group commit at
     * work). Shown to fail when {@link BackgroundSyncer#syncOnce()} publishes the request it finds
     * after the force (reads the request again once the force returned) instead of the one the force
     * began with: a commit that landed during the force is then acknowledged and never forced.
     */
    @JCStressTest
    @Outcome(id = {"1, 0, .*", "2, [01], .*"}, expect = Expect.FORBIDDEN,
        desc = "the shard saw a record acknowledged before the fsync that covers it returned")
    @Outcome(id = {"[0-2], [0-2], 1, 0, [0-2]", "[0-2], [0-2], 2, [01], [0-2]"}, expect = Expect.FORBIDDEN,
        desc = "after both actors, a record is acknowledged that no returned fsync covers")
    @Outcome(id = {"1, [0-2], 0, .*", "2, [0-2], [01], .*"}, expect = Expect.FORBIDDEN,
        desc = "the acknowledged sequence moved backwards between the shard's read and the arbiter's")
    @Outcome(id = "[0-2], [0-2], 2, 2, 1", expect = Expect.ACCEPTABLE,
        desc = "group commit: one force covered both commits")
    @Outcome(id = "[0-2], [0-2], 2, 2, 2", expect = Expect.ACCEPTABLE,
        desc = "the second commit came during the first force and waited for a second one")
    @Outcome(id = "[0-2], [0-2], [01], [0-2], [01]", expect = Expect.ACCEPTABLE,
        desc = "the syncer stopped polling before the second commit came (the shard actor was late)")
    @Outcome(expect = Expect.FORBIDDEN, desc = "an actor threw, or a value out of range")
    @State
    public static class CommitsDuringAForceWaitForTheNextForce {
        private static final RecycledWalWriters WRITERS = new RecycledWalWriters();

        private final SteppedWal wal = WRITERS.take();

        @Actor
        public void shardThread(final IIIII_Result result) {
            try {
                wal.appendAndMark(1);
                wal.commit();
                wal.appendAndMark(2);
                wal.commit();
            } catch (final IOException | RuntimeException e) {
                result.r1 = THREW;
                return;
            }
            result.r1 = wal.acknowledgedSequence();
            result.r2 = wal.forcedSequence();
        }

        @Actor
        public void syncerThread(final IIIII_Result result) {
            wal.syncUntilAcknowledged(2, 2);
            result.r5 = wal.forces();
        }

        @Arbiter
        public void readAgainAndRecycle(final IIIII_Result result) {
            result.r3 = wal.acknowledgedSequence();
            result.r4 = wal.forcedSequence();
            WRITERS.giveBack(wal);
        }
    }

    /**
     * Both threads publish: the syncer the requests it forced, the shard thread a mark given while
     * none of its records is in flight. One record with mark 1 is committed, then a burst of marks 2
     * to {@value AcknowledgedMarkNeverMovesBackwards#LAST_MARK} follows on the same record while the
     * syncer steps: marks given during the force are requested, the first ones after it are
     * published by the shard thread at once, and the syncer may then publish an older requested mark
     * after a newer one. Results: the acknowledged mark and the forced sequence as the shard read
     * them after its last mark, the acknowledged mark read again by the arbiter after both actors,
     * and once more after the arbiter ran the syncer dry, when it must be the last mark given. Shown
     * to fail when {@link DurablePosition#publish} stores its values (a release store, as before the
     * syncer existed) instead of raising them.
     */
    @JCStressTest
    @Outcome(id = "[1-6], 0, [0-6], [0-6]", expect = Expect.FORBIDDEN,
        desc = "a mark was acknowledged before its record's fsync returned")
    @Outcome(id = {"1, 1, 0, [0-6]", "2, 1, [01], [0-6]", "3, 1, [0-2], [0-6]", "4, 1, [0-3], [0-6]", "5, 1, [0-4], [0-6]",
        "6, 1, [0-5], [0-6]"}, expect = Expect.FORBIDDEN,
        desc = "the acknowledged mark moved backwards between the shard's read and the arbiter's")
    @Outcome(id = "[0-6], [01], [0-6], [0-5]", expect = Expect.FORBIDDEN,
        desc = "the last mark was lost: with the syncer idle, the acknowledged mark is not the last one given")
    @Outcome(id = "0, [01], [0-6], 6", expect = Expect.ACCEPTABLE,
        desc = "no mark acknowledged yet when the shard read; the last one in the end")
    @Outcome(id = "[1-6], 1, [1-6], 6", expect = Expect.ACCEPTABLE,
        desc = "marks acknowledged after the force, never moving backwards, the last one in the end")
    @Outcome(expect = Expect.FORBIDDEN, desc = "an actor threw, or a value out of range")
    @State
    public static class AcknowledgedMarkNeverMovesBackwards {
        /** The last of a burst of marks on one record, some of which meet the end of the force. */
        static final int LAST_MARK = 6;
        private static final RecycledWalWriters WRITERS = new RecycledWalWriters();

        private final SteppedWal wal = WRITERS.take();

        @Actor
        public void shardThread(final IIII_Result result) {
            try {
                wal.appendAndMark(1);
                wal.commit();
                for (int mark = 2; mark <= LAST_MARK; mark++) {
                    wal.mark(mark);
                }
            } catch (final IOException | RuntimeException e) {
                result.r1 = THREW;
                return;
            }
            result.r1 = wal.acknowledgedMark();
            result.r2 = wal.forcedSequence();
        }

        @Actor
        public void syncerThread() {
            wal.syncUntilAcknowledged(1, LAST_MARK);
        }

        @Arbiter
        public void readAgainAndRecycle(final IIII_Result result) {
            result.r3 = wal.acknowledgedMark();
            wal.drain();
            result.r4 = wal.acknowledgedMark();
            WRITERS.giveBack(wal);
        }
    }
}
