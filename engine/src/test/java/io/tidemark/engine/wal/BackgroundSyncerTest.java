package io.tidemark.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import org.junit.jupiter.api.Test;

/** One step of the syncer at a time, on an unstarted syncer: what a step forces and what it publishes. */
class BackgroundSyncerTest {
    private final DurablePosition durable = new DurablePosition(0, -1);
    private final StepFiles files = new StepFiles();
    private final BackgroundSyncer syncer = BackgroundSyncer.unstarted(files, durable, 0, -1);

    @Test
    void shouldPublishARequestOnlyAfterItsForceReturned() {
        assertThat(syncer.syncOnce()).as("nothing requested").isEqualTo(BackgroundSyncer.Step.IDLE);
        syncer.request(null, 3, 7);
        assertThat(syncer.syncOnce()).isEqualTo(BackgroundSyncer.Step.SYNCED);
        assertThat(files.sequenceSeenDuringForce).as("published while the force ran").isZero();
        assertThat(files.markSeenDuringForce).isEqualTo(-1);
        assertThat(durable.sequence()).isEqualTo(3);
        assertThat(durable.mark()).isEqualTo(7);
        assertThat(syncer.completedSequence()).isEqualTo(3);
        assertThat(syncer.forces()).isEqualTo(1);
        assertThat(syncer.syncOnce()).isEqualTo(BackgroundSyncer.Step.IDLE);
    }

    @Test
    void shouldLeaveACommitMadeDuringAForceToTheNextForce() {
        files.requestDuringFirstForce = true;
        syncer.request(null, 1, 1);
        assertThat(syncer.syncOnce()).isEqualTo(BackgroundSyncer.Step.SYNCED);
        assertThat(durable.sequence()).as("the force began before record 2 was requested").isEqualTo(1);
        assertThat(durable.mark()).isEqualTo(1);
        assertThat(syncer.syncOnce()).isEqualTo(BackgroundSyncer.Step.SYNCED);
        assertThat(durable.sequence()).isEqualTo(2);
        assertThat(durable.mark()).isEqualTo(2);
        assertThat(syncer.forces()).isEqualTo(2);
        assertThat(syncer.syncOnce()).isEqualTo(BackgroundSyncer.Step.IDLE);
    }

    @Test
    void shouldCoverCommitsThatPiledUpWithOneForce() {
        syncer.request(null, 1, 1);
        syncer.request(null, 2, 2);
        syncer.request(null, 3, 3);
        assertThat(syncer.syncOnce()).isEqualTo(BackgroundSyncer.Step.SYNCED);
        assertThat(durable.sequence()).isEqualTo(3);
        assertThat(syncer.forces()).isEqualTo(1);
    }

    @Test
    void shouldPublishANewMarkOnForcedRecordsWithoutForcingAgain() {
        syncer.request(null, 1, 1);
        syncer.syncOnce();
        syncer.request(null, 1, 2);
        assertThat(syncer.syncOnce()).isEqualTo(BackgroundSyncer.Step.SYNCED);
        assertThat(durable.mark()).isEqualTo(2);
        assertThat(syncer.forces()).isEqualTo(1);
    }

    @Test
    void shouldFinishForGoodWhenAForceFails() {
        files.failForces = true;
        syncer.request(null, 1, 1);
        assertThat(syncer.syncOnce()).isEqualTo(BackgroundSyncer.Step.FINISHED);
        assertThat(durable.isFailed()).isTrue();
        assertThat(durable.sequence()).isZero();
        assertThat(syncer.failure()).hasMessageContaining("injected");
        syncer.request(null, 2, 2);
        assertThat(syncer.syncOnce()).isEqualTo(BackgroundSyncer.Step.FINISHED);
        assertThat(files.forceCalls).as("no force after a failed one").isEqualTo(1);
        assertThatThrownBy(() -> syncer.awaitCompleted(2, 2)).isInstanceOf(IOException.class).hasMessageContaining("injected");
    }

    @Test
    void shouldFinishOnStopOnceEverythingIsPublished() {
        syncer.request(null, 1, 1);
        syncer.stop();
        assertThat(syncer.syncOnce()).as("the last request first").isEqualTo(BackgroundSyncer.Step.SYNCED);
        assertThat(syncer.syncOnce()).isEqualTo(BackgroundSyncer.Step.FINISHED);
        assertThat(durable.sequence()).isEqualTo(1);
    }

    @Test
    void shouldThrowRatherThanWaitForARequestNoThreadWillPublish() throws IOException {
        syncer.request(null, 1, 1);
        assertThatThrownBy(() -> syncer.awaitCompleted(1, 1)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("sequence=1");
        syncer.syncOnce();
        syncer.awaitCompleted(1, 1);
    }

    /** Counts forces, records what was published while one ran, and can request or fail inside one. */
    private final class StepFiles implements WalFiles {
        long sequenceSeenDuringForce = -2;
        long markSeenDuringForce = -2;
        int forceCalls;
        boolean requestDuringFirstForce;
        boolean failForces;

        @Override
        public void force(final FileChannel channel) throws IOException {
            forceCalls++;
            if (failForces) {
                throw new IOException("injected fsync failure");
            }
            sequenceSeenDuringForce = durable.sequence();
            markSeenDuringForce = durable.mark();
            if (requestDuringFirstForce && forceCalls == 1) {
                syncer.request(null, 2, 2); // the shard thread commits while the device works
            }
        }
    }
}
