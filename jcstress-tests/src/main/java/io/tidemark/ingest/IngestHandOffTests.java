package io.tidemark.ingest;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * The hand-off from producer to shard: a batch published into a shard's ring is seen whole by the
 * shard thread, never half-filled or mixed with the slot's previous contents. The scenarios drive
 * an unstarted {@link IngestShard} directly: one actor publishes, the other runs the shard's duty
 * cycle ({@link IngestShard#doWork()}) as the shard thread would. They live in the ingest package
 * (in this test jar) to reach those package-private methods.
 *
 * <p>The scenario classes are not final because the jcstress annotation processor refuses final
 * {@link State} classes.
 */
public final class IngestHandOffTests {
    /** Samples per batch in the scenarios. */
    static final int SAMPLES = 3;
    private static final IngestConfig CONFIG =
        new IngestConfig(1, 2, SAMPLES, IngestConfig.BackPressure.REFUSE, 0, IngestConfig.Idle.BUSY_SPIN);

    private IngestHandOffTests() {
    }

    /** Records what the shard saw: -1 if nothing, 1 if every field of the batch was as published, 0 if not. */
    static class Observer implements ShardHandler {
        int seen = -1;
        long sequence = -2;

        @Override
        public void onStart(final IngestShard shard) {
        }

        @Override
        public void onBatch(final SampleBatch batch, final long batchSequence, final boolean endOfBatch) {
            boolean whole = batch.count() == SAMPLES && batch.tenant() == 7;
            for (int i = 0; i < SAMPLES && whole; i++) {
                whole = batch.series(i) == 100 + i && batch.timestamp(i) == 1_000L * (i + 1)
                    && Double.doubleToRawLongBits(batch.value(i)) == 0x7ff0000000000002L + i;
            }
            seen = whole ? 1 : 0;
            sequence = batchSequence;
        }
    }

    static void publishOne(final IngestShard shard) {
        final int[] series = {100, 101, 102};
        final long[] timestamps = {1_000, 2_000, 3_000};
        final double[] values = {Double.longBitsToDouble(0x7ff0000000000002L), Double.longBitsToDouble(0x7ff0000000000003L),
            Double.longBitsToDouble(0x7ff0000000000004L)};
        shard.publish(7, series, timestamps, values, SAMPLES, CONFIG, null, 0);
    }

    /** A published batch is seen whole or not at all. */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = Expect.ACCEPTABLE, desc = "the shard polled before the publish")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "the shard saw the whole batch")
    @Outcome(id = ".*", expect = Expect.FORBIDDEN, desc = "the shard saw a batch that was not whole, or failed")
    @State
    public static class PublishedBatchIsSeenWhole {
        private final Observer observer = new Observer();
        private final IngestShard shard = new IngestShard(0, CONFIG, observer, "jcstress-shard", new ProgressSignal());

        @Actor
        public void producer() {
            publishOne(shard);
        }

        @Actor
        public void shardThread(final II_Result r) {
            try {
                final int work = shard.doWork();
                r.r1 = observer.seen;
                r.r2 = work;
            } catch (final Exception e) {
                r.r1 = -3;
                r.r2 = -3;
            }
            if (r.r2 == 0) {
                r.r2 = -1;
            }
        }
    }

    /** The shard's applied watermark never passes a batch it has not applied; a second slot reuse keeps the data whole. */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = Expect.ACCEPTABLE, desc = "nothing published yet when the shard polled")
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "the shard applied the first batch and the watermark says so")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "the shard applied both batches and the watermark says so")
    @Outcome(id = ".*", expect = Expect.FORBIDDEN, desc = "the watermark disagrees with what was applied")
    @State
    public static class AppliedWatermarkFollowsTheShard {
        private final Observer observer = new Observer();
        private final IngestShard shard = new IngestShard(0, CONFIG, observer, "jcstress-shard", new ProgressSignal());

        @Actor
        public void producer() {
            publishOne(shard);
            publishOne(shard);
        }

        @Actor
        public void shardThread(final JJ_Result r) {
            try {
                shard.doWork();
            } catch (final Exception e) {
                r.r1 = -3;
                return;
            }
            r.r1 = observer.seen == 0 ? -4 : observer.sequence == -2 ? -1 : observer.sequence;
            r.r2 = shard.appliedSequence();
        }
    }
}
