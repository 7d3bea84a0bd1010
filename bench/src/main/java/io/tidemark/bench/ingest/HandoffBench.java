package io.tidemark.bench.ingest;

import io.tidemark.bench.BenchOptions;
import io.tidemark.ingest.Appender;
import io.tidemark.ingest.Ingest;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.ingest.IngestShard;
import io.tidemark.ingest.SampleBatch;
import io.tidemark.ingest.ShardHandler;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code ./tidemark bench handoff}: the floor under {@code bench ingest}'s publish→applied tail. The same ring, shard
 * thread, idle strategy, latency histogram and paced producer as the database uses, but the shard's handler does no
 * database work: it only keeps its core busy for {@code --cost-ns} per batch (reading the clock), then marks the batch
 * applied. Whatever tail this shows is what the machine, the JVM and the hand-off give any handler of that duration;
 * the head and the WAL can only add to it.
 *
 * <p>Options: {@code --cost-ns} (10000: about what a 100-sample batch costs the real shard with 10,000 series),
 * {@code --batch} (100), {@code --rate} samples/s (1000000), {@code --seconds} per round (5), {@code --rounds} (4;
 * the first warms the JIT), {@code --idle backoff|yield|busy_spin|sleep} (busy_spin). One shard, one producer.
 *
 * <p>Prints the machine's own hiccups first ({@code ingest=machine_hiccups}), then per round
 * {@code ingest=latency what=handoff_applied} with p50/p99/p99.9/max in µs.
 */
public final class HandoffBench {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private HandoffBench() {
    }

    /** Runs the bench with the given options. */
    public static void run(final BenchOptions options) throws InterruptedException {
        final long cost = Long.parseLong(options.text("cost-ns", "10000"));
        final int batch = options.integer("batch", 100);
        final long rate = Long.parseLong(options.text("rate", "1000000"));
        final double seconds = Double.parseDouble(options.text("seconds", "5"));
        final int rounds = options.integer("rounds", 4);
        final IngestConfig.Idle idle = IngestConfig.Idle.valueOf(options.text("idle", "busy_spin").toUpperCase(Locale.ROOT));
        if (cost < 0 || batch < 1 || batch > 256 || rate < 1 || seconds <= 0 || rounds < 1) {
            throw new IllegalArgumentException("bench handoff: --cost-ns >= 0, --batch 1..256, --rate >= 1, --seconds > 0, "
                + "--rounds >= 1");
        }
        IngestBench.hiccups(2 * SECOND);
        final IngestConfig config = new IngestConfig(1, 1024, 256, IngestConfig.BackPressure.BLOCK, 60 * SECOND, idle);
        final Ingest ingest = new Ingest(config, shard -> new BusyHandler(cost));
        try {
            final Appender appender = ingest.appender(0);
            final IngestShard shard = ingest.shard(0);
            final long nanosPerSample = Math.max(1, SECOND / rate);
            long time = 0;
            for (int round = 0; round < rounds; round++) {
                shard.drainLatencies(new Histogram(3), new Histogram(3));
                final long samples = (long) (rate * seconds);
                long written = 0;
                final long start = System.nanoTime();
                while (written < samples) {
                    for (int k = 0; k < batch; k++) {
                        appender.append(k, time, k);
                    }
                    time++;
                    written += batch;
                    appender.commit();
                    IngestBench.Producer.pace(start + written * nanosPerSample);
                }
                if (!appender.awaitApplied(10 * SECOND)) {
                    throw new IllegalStateException("bench handoff: the shard did not apply the round within 10 s");
                }
                final Histogram applied = new Histogram(3);
                shard.drainLatencies(applied, new Histogram(3));
                System.out.printf(Locale.ROOT, "ingest=handoff round=%d cost_ns=%d batch=%d rate=%d idle=%s%n", round, cost,
                    batch, rate, idle.name().toLowerCase(Locale.ROOT));
                IngestBench.print("handoff_applied", applied);
            }
        } finally {
            ingest.close();
        }
    }

    /** A handler that spends a fixed time per batch and keeps nothing. */
    private static final class BusyHandler implements ShardHandler {
        private final long cost;
        private IngestShard shard;

        BusyHandler(final long cost) {
            this.cost = cost;
        }

        @Override
        public void onStart(final IngestShard owner) {
            this.shard = owner;
        }

        @Override
        public void onBatch(final SampleBatch batch, final long sequence, final boolean endOfBatch) {
            final long until = System.nanoTime() + cost;
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
            shard.markDurable(sequence);
        }
    }
}
