package io.tidemark.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class IngestTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static IngestConfig config(final int shards, final int ringSize, final int batch,
                                       final IngestConfig.BackPressure backPressure, final long timeoutNanos) {
        return new IngestConfig(shards, ringSize, batch, backPressure, timeoutNanos, IngestConfig.Idle.BACKOFF);
    }

    /** Records every sample it applies; marks durable at once unless told to hold. */
    private static class Recording implements ShardHandler {
        final List<long[]> samples = new ArrayList<>();
        final CountDownLatch gate;
        volatile boolean holdDurable;
        volatile boolean closed;
        volatile long threadId;
        IngestShard shard;
        long lastSequence = -1;
        boolean sequencesInOrder = true;

        Recording(final CountDownLatch gate) {
            this.gate = gate;
        }

        @Override
        public void onStart(final IngestShard owner) {
            shard = owner;
            threadId = Thread.currentThread().threadId();
        }

        @Override
        public void onBatch(final SampleBatch batch, final long sequence, final boolean endOfBatch) {
            try {
                gate.await();
            } catch (final InterruptedException e) {
                throw new IllegalStateException(e);
            }
            sequencesInOrder &= sequence == lastSequence + 1;
            lastSequence = sequence;
            for (int i = 0; i < batch.count(); i++) {
                synchronized (samples) {
                    samples.add(new long[] {batch.tenant(), batch.series(i), batch.timestamp(i),
                        Double.doubleToRawLongBits(batch.value(i))});
                }
            }
            if (!holdDurable) {
                shard.markDurable(sequence);
            }
        }

        @Override
        public void onClose() {
            closed = true;
        }
    }

    /** Refuses writes while applying the batch at time 2, and takes them again once {@link #accept} is set. */
    private static final class Refusing extends Recording {
        static final IllegalStateException REASON = new IllegalStateException("log full", null);
        volatile boolean accept;

        Refusing(final CountDownLatch gate) {
            super(gate);
        }

        @Override
        public void onBatch(final SampleBatch batch, final long sequence, final boolean endOfBatch) {
            super.onBatch(batch, sequence, endOfBatch);
            if (batch.timestamp(0) == 2) {
                shard.refuseWrites(REASON);
            }
        }

        @Override
        public int onIdle(final long nowNanos) {
            if (accept && shard.refusal() != null) {
                shard.acceptWrites();
                return 1;
            }
            return 0;
        }
    }

    @Test
    void shouldRefusePublishesAndHoldTheRingWhileTheHandlerRefusesWrites() throws Exception {
        final CountDownLatch gate = new CountDownLatch(1);
        final Refusing handler = new Refusing(gate);
        final Ingest ingest = new Ingest(config(1, 8, 4, IngestConfig.BackPressure.BLOCK, 10 * SECOND), i -> handler);
        final Appender appender = ingest.appender(0);
        for (int t = 1; t <= 3; t++) {
            appender.append(0, t, t);
            appender.commit(); // all three are in the ring before the shard applies the first
        }
        gate.countDown();
        final IngestShard shard = ingest.shard(0);
        while (shard.refusal() == null) {
            Thread.onSpinWait();
        }
        appender.append(0, 4, 4);
        assertThatThrownBy(appender::commit).isSameAs(Refusing.REASON);
        assertThat(appender.buffered()).as("a refused batch stays buffered").isEqualTo(1);
        LockSupportSleep.sleepMillis(100);
        assertThat(shard.appliedSequence()).as("the batch after the refusing one waits in the ring").isEqualTo(1);
        assertThat(handler.samples).hasSize(2);

        handler.accept = true;
        while (shard.refusal() != null) {
            Thread.onSpinWait();
        }
        appender.commit();
        assertThat(appender.awaitApplied(10 * SECOND)).isTrue();
        ingest.close();
        assertThat(handler.samples).extracting(sample -> sample[2]).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void shouldDeliverEverySampleOnceToTheShardThatOwnsItsSeriesInOrder() throws Exception {
        final int shards = 3;
        final List<Recording> handlers = new ArrayList<>();
        final CountDownLatch open = new CountDownLatch(0);
        final Ingest ingest = new Ingest(config(shards, 8, 16, IngestConfig.BackPressure.BLOCK, 10 * SECOND), i -> {
            final Recording handler = new Recording(open);
            handlers.add(handler);
            return handler;
        });
        final int producers = 4;
        final int perProducer = 20_000;
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            final int producer = p;
            threads.add(Thread.ofPlatform().start(() -> {
                final Appender appender = ingest.appender(producer);
                for (int i = 0; i < perProducer; i++) {
                    appender.append(producer * 1000 + i % 100, i, Double.longBitsToDouble(0x7ff0000000000002L + i % 2));
                    if (i % 777 == 0) {
                        appender.commit();
                    }
                }
                appender.commit();
                assertThat(appender.awaitApplied(10 * SECOND)).isTrue();
                assertThat(appender.awaitDurable(10 * SECOND)).isTrue();
            }));
        }
        for (final Thread thread : threads) {
            thread.join();
        }
        ingest.close();
        long total = 0;
        for (int shard = 0; shard < shards; shard++) {
            final Recording handler = handlers.get(shard);
            assertThat(handler.closed).isTrue();
            assertThat(handler.sequencesInOrder).isTrue();
            final long[] lastTimestamp = new long[producers * 1000];
            java.util.Arrays.fill(lastTimestamp, -1);
            for (final long[] sample : handler.samples) {
                assertThat(sample[1] % shards).isEqualTo(shard);
                assertThat(sample[0]).isEqualTo(sample[1] / 1000); // the producer's tenant
                assertThat(sample[2]).isGreaterThan(lastTimestamp[(int) sample[1]]);
                lastTimestamp[(int) sample[1]] = sample[2];
                assertThat(sample[3]).isEqualTo(0x7ff0000000000002L + sample[2] % 2);
            }
            total += handler.samples.size();
        }
        assertThat(total).isEqualTo((long) producers * perProducer);
    }

    @Test
    void shouldRefuseWhenTheRingIsFullAndLoseNothingItAccepted() throws Exception {
        final CountDownLatch gate = new CountDownLatch(1);
        final Recording handler = new Recording(gate);
        final Ingest ingest = new Ingest(config(1, 4, 2, IngestConfig.BackPressure.REFUSE, 0), i -> handler);
        final Appender appender = ingest.appender(0);
        long accepted = 0;
        RingFullException refused = null;
        for (int i = 0; i < 100 && refused == null; i++) {
            appender.append(0, i, i);
            try {
                appender.commit();
                accepted++;
            } catch (final RingFullException e) {
                refused = e;
            }
        }
        assertThat(refused).isNotNull().hasMessageContaining("shard 0 is full (4 batches)");
        // One batch in the handler's hands, four in the ring.
        assertThat(accepted).isBetween(4L, 5L);
        assertThat(appender.buffered()).isEqualTo(1);
        gate.countDown();
        while (ingest.shard(0).backlog() > 0) {
            Thread.onSpinWait(); // REFUSE does not wait: let the shard make room first
        }
        appender.commit();
        assertThat(appender.awaitApplied(10 * SECOND)).isTrue();
        ingest.close();
        assertThat(handler.samples).hasSize((int) accepted + 1);
    }

    @Test
    void shouldBlockUntilTheTimeoutThenRefuse() throws Exception {
        final CountDownLatch gate = new CountDownLatch(1);
        final Recording handler = new Recording(gate);
        final Ingest ingest = new Ingest(config(1, 2, 1, IngestConfig.BackPressure.BLOCK, TimeUnit.MILLISECONDS.toNanos(50)),
            i -> handler);
        final Appender appender = ingest.appender(0);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 10; i++) {
                appender.append(0, i, i);
                appender.commit();
            }
        }).isInstanceOf(RingFullException.class).hasMessageContaining("after waiting");
        final Thread releaser = Thread.ofPlatform().start(() -> {
            LockSupportSleep.sleepMillis(20);
            gate.countDown();
        });
        appender.commit(); // blocks until the handler runs again, well within the timeout
        releaser.join();
        assertThat(appender.awaitApplied(10 * SECOND)).isTrue();
        ingest.close();
    }

    @Test
    void shouldWaitForDurabilityAsTheHandlerMarksIt() throws Exception {
        final Recording handler = new Recording(new CountDownLatch(0));
        handler.holdDurable = true;
        final Ingest ingest = new Ingest(config(1, 8, 4, IngestConfig.BackPressure.BLOCK, SECOND), i -> handler);
        final Appender appender = ingest.appender(0);
        appender.append(0, 1, 1);
        appender.commit();
        assertThat(appender.awaitApplied(10 * SECOND)).isTrue();
        assertThat(appender.awaitDurable(TimeUnit.MILLISECONDS.toNanos(20))).isFalse();
        handler.holdDurable = false;
        appender.append(0, 2, 2);
        appender.commit();
        assertThat(appender.awaitDurable(10 * SECOND)).isTrue();
        assertThat(ingest.shard(0).durableSequence()).isEqualTo(1);
        final Histogram applied = new Histogram(3);
        final Histogram durable = new Histogram(3);
        // The handler marks batch 2 durable inside onBatch, so the producer can wake before the shard thread
        // records batch 2's applied latency just after onBatch returns: drain until both are there.
        final long deadline = System.nanoTime() + 10 * SECOND;
        do {
            ingest.shard(0).drainLatencies(applied, durable);
        } while ((applied.getTotalCount() < 2 || durable.getTotalCount() < 2) && System.nanoTime() < deadline);
        assertThat(applied.getTotalCount()).isEqualTo(2);
        assertThat(durable.getTotalCount()).isEqualTo(2);
        ingest.close();
    }

    @Test
    void shouldStopOnAHandlerFaultAndSaySo() throws Exception {
        final Ingest ingest = new Ingest(config(1, 8, 4, IngestConfig.BackPressure.BLOCK, SECOND), i -> new Recording(new CountDownLatch(0)) {
            @Override
            public void onBatch(final SampleBatch batch, final long sequence, final boolean endOfBatch) {
                throw new IllegalStateException("disk on fire");
            }
        });
        final Appender appender = ingest.appender(0);
        appender.append(0, 1, 1);
        appender.commit();
        assertThatThrownBy(() -> appender.awaitApplied(10 * SECOND)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("shard 0 has stopped").hasRootCauseMessage("disk on fire");
        ingest.close();
        assertThatThrownBy(() -> {
            appender.append(0, 2, 2);
            appender.commit();
        }).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldDrainOnCloseAndRefuseAfterwards() throws Exception {
        final Recording handler = new Recording(new CountDownLatch(0));
        final Ingest ingest = new Ingest(config(1, 1024, 64, IngestConfig.BackPressure.BLOCK, SECOND), i -> handler);
        final Appender appender = ingest.appender(0);
        for (int i = 0; i < 10_000; i++) {
            appender.append(0, i, i);
        }
        appender.commit();
        ingest.close();
        assertThat(handler.samples).hasSize(10_000);
        assertThatThrownBy(() -> {
            appender.append(0, 1, 1);
            appender.commit();
        }).isInstanceOf(IllegalStateException.class).hasMessage("ingest is closed");
    }

    @Test
    void shouldAllocateNothingPerSampleOnEitherSide() throws Exception {
        final AtomicLong applied = new AtomicLong();
        final AtomicLong shardThread = new AtomicLong();
        final Ingest ingest = new Ingest(config(1, 64, 256, IngestConfig.BackPressure.BLOCK, 10 * SECOND), i -> new ShardHandler() {
            private IngestShard shard;

            @Override
            public void onStart(final IngestShard owner) {
                shard = owner;
                shardThread.set(Thread.currentThread().threadId());
            }

            @Override
            public void onBatch(final SampleBatch batch, final long sequence, final boolean endOfBatch) {
                applied.addAndGet(batch.count());
                shard.markDurable(sequence);
            }

            @Override
            public int onIdle(final long nowNanos) {
                return 0;
            }

            @Override
            public void onClose() {
            }
        });
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final Appender appender = ingest.appender(0);
        while (shardThread.get() == 0) {
            Thread.onSpinWait();
        }
        long producerBytes = -1;
        long shardBytes = -1;
        for (int round = 0; round < 20 && (producerBytes != 0 || shardBytes > 0); round++) {
            final long producerBefore = threads.getThreadAllocatedBytes(Thread.currentThread().threadId());
            final long shardBefore = threads.getThreadAllocatedBytes(shardThread.get());
            for (int i = 0; i < 200_000; i++) {
                appender.append(i & 1023, i, i);
            }
            appender.commit();
            appender.awaitDurable(10 * SECOND);
            producerBytes = threads.getThreadAllocatedBytes(Thread.currentThread().threadId()) - producerBefore;
            shardBytes = threads.getThreadAllocatedBytes(shardThread.get()) - shardBefore;
            System.out.println("IngestTest round=" + round + " producerBytes=" + producerBytes + " shardBytes=" + shardBytes);
        }
        ingest.close();
        assertThat(producerBytes).isZero();
        assertThat(shardBytes).isLessThanOrEqualTo(0);
    }

    /** Sleeps without a checked exception. */
    private static final class LockSupportSleep {
        static void sleepMillis(final long millis) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
        }
    }
}
