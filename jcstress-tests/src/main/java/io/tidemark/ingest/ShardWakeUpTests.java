package io.tidemark.ingest;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The wakeable idle's handshake ({@link IngestShard#parkUnlessPublished}): an idle shard says it is about to park and
 * then looks at the ring; a producer publishes and then looks for a parked shard to unpark. Whatever the
 * interleaving, a shard that decides to park (it saw nothing published) is seen by the producer, so no batch waits
 * for a park to run out.
 */
public final class ShardWakeUpTests {
    private static final IngestConfig CONFIG =
        new IngestConfig(1, 2, IngestHandOffTests.SAMPLES, IngestConfig.BackPressure.REFUSE, 0, IngestConfig.Idle.BACKOFF);

    private ShardWakeUpTests() {
    }

    /** r1: the shard decided to park (1) or saw a batch claimed (0); r2: the producer saw the parked shard (1) or not. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "the shard saw the publish coming and does not park")
    @Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "both saw each other; the shard does not park")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "the shard parks and the producer wakes it")
    @Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "the shard parks and nobody wakes it")
    @State
    public static class ParkingShardIsSeenByTheProducer {
        private final IngestShard shard = new IngestShard(0, CONFIG, new IngestHandOffTests.Observer(), "jcstress-shard",
            new ProgressSignal());

        @Actor
        public void shard(final II_Result r) {
            r.r1 = shard.prepareToPark() ? 1 : 0;
        }

        @Actor
        public void producer(final II_Result r) {
            IngestHandOffTests.publishOne(shard);
            r.r2 = shard.parkedThread() != null ? 1 : 0;
        }
    }
}
