package io.tidemark.bench.remotewrite;

import io.tidemark.client.ClientConfig;
import io.tidemark.client.Durability;
import io.tidemark.client.Series;
import io.tidemark.client.SeriesWriter;
import io.tidemark.client.TidemarkClient;
import io.tidemark.client.WriteResult;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The binary-protocol load: {@code connections} workers, each with its own {@link TidemarkClient} (one connection)
 * and {@link SeriesWriter}, own the series {@code s} with {@code s mod connections == worker} and write rounds of one
 * sample per series, flushing every {@code batch} samples without waiting (pipelined; the credits hold them back),
 * optionally paced to a total rate. Values follow {@link RemoteWriteLoad#next}, as the remote-write load's do.
 */
final class TcpLoad {
    /** What a run did. */
    record Result(long samplesAcknowledged, long samplesRefused, long writesFailed, String firstFailure, double seconds,
                  Histogram ackLatencyNanos, long lastRound, Histogram pingNanos) {
    }

    private final String[][] labels;
    private final double[] last;

    TcpLoad(final String[][] labels) {
        this.labels = labels;
        this.last = new double[labels.length];
    }

    /**
     * Writes rounds {@code firstRound, firstRound + 1, ...} ({@code startMillis + round * intervalMillis}) for {@code seconds},
     * at most {@code samplesPerSecond} in all (0: as fast as it goes); waits for every acknowledgement.
     */
    Result run(final int port, final String tenant, final int connections, final int batch, final Durability durability,
               final long startMillis, final long intervalMillis, final long firstRound, final double seconds,
               final double samplesPerSecond)
        throws InterruptedException {
        final Histogram latency = new Histogram(60_000_000_000L, 3);
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong lastRound = new AtomicLong(firstRound);
        final AtomicReference<String> firstFailure = new AtomicReference<>();
        final Thread[] workers = new Thread[connections];
        final CountDownLatch ready = new CountDownLatch(connections);
        final CountDownLatch go = new CountDownLatch(1);
        final long[] clock = new long[2]; // started, deadline: set before go opens
        final double perWorkerRate = samplesPerSecond / connections;
        for (int w = 0; w < connections; w++) {
            final int worker = w;
            workers[w] = Thread.ofPlatform().name("tcp-load-" + w).start(() -> {
                try (TidemarkClient client = TidemarkClient.connect(ClientConfig.builder().host("127.0.0.1").port(port)
                    .tenant(tenant).clientName("bench-" + worker).requestTimeout(Duration.ofSeconds(30)).build())) {
                    final SeriesWriter writer = client.writer();
                    final int mine = (labels.length - worker + connections - 1) / connections;
                    final Series[] series = new Series[mine];
                    for (int i = 0; i < mine; i++) {
                        series[i] = writer.series(labels[worker + i * connections]);
                    }
                    // The run's first round goes before the clock starts: it registers the series on this connection.
                    for (int i = 0; i < mine; i++) {
                        final int s = worker + i * connections;
                        last[s] = RemoteWriteLoad.next(s, firstRound, last[s]);
                        writer.add(series[i], startMillis + firstRound * intervalMillis, last[s]);
                    }
                    writer.flushAndWait(Durability.APPLIED, Duration.ofSeconds(60));
                    ready.countDown();
                    go.await();
                    final long started = clock[0];
                    final long deadline = clock[1];
                    long sent = 0;
                    long round = firstRound + 1;
                    outer:
                    for (; ; round++) {
                        final long timestamp = startMillis + round * intervalMillis;
                        for (int i = 0; i < mine; i++) {
                            final int s = worker + i * connections;
                            final double value = RemoteWriteLoad.next(s, round, last[s]);
                            last[s] = value;
                            writer.add(series[i], timestamp, value);
                            if (writer.size() >= batch) {
                                sent += writer.size();
                                if (perWorkerRate > 0) {
                                    final long due = started + (long) (sent / perWorkerRate * 1e9);
                                    while (System.nanoTime() < due) {
                                        LockSupport.parkNanos(due - System.nanoTime());
                                    }
                                }
                                writer.flush(durability);
                                if (System.nanoTime() > deadline) {
                                    break outer;
                                }
                            }
                        }
                    }
                    writer.flush(durability);
                    final WriteResult result = writer.awaitAcks(Duration.ofSeconds(60));
                    if (!result.failures().isEmpty()) {
                        firstFailure.compareAndSet(null, String.valueOf(result.failures().get(0)));
                    }
                    acknowledged.addAndGet(client.metrics().samplesAcknowledged());
                    refused.addAndGet(client.metrics().samplesRefused());
                    failed.addAndGet(client.metrics().writesFailed());
                    synchronized (latency) {
                        latency.add(client.metrics().ackLatencyHistogram());
                    }
                    lastRound.accumulateAndGet(round, Math::max);
                } catch (final RuntimeException | InterruptedException e) {
                    firstFailure.compareAndSet(null, e.toString());
                    ready.countDown();
                }
            });
        }
        // Paced runs also ping over a connection of their own every millisecond: a PING is answered by the event loop
        // alone, so its round trip tells the server's and the machine's share of a write's latency from the shards'.
        final Histogram pings = new Histogram(60_000_000_000L, 3);
        final java.util.concurrent.atomic.AtomicBoolean pinging = new java.util.concurrent.atomic.AtomicBoolean(samplesPerSecond > 0);
        final Thread pinger = Thread.ofPlatform().name("tcp-ping").start(() -> {
            if (!pinging.get()) {
                return;
            }
            try (TidemarkClient client = TidemarkClient.connect(ClientConfig.builder().host("127.0.0.1").port(port)
                .tenant(tenant).clientName("bench-ping").requestTimeout(Duration.ofSeconds(30)).build())) {
                go.await();
                while (pinging.get()) {
                    pings.recordValue(Math.min(client.ping(Duration.ofSeconds(30)), 60_000_000_000L));
                    LockSupport.parkNanos(1_000_000);
                }
            } catch (final RuntimeException | InterruptedException e) {
                firstFailure.compareAndSet(null, "ping: " + e);
            }
        });
        ready.await();
        System.gc(); // the set-up's garbage (series, label strings) is not collected in the middle of the run
        final long started = System.nanoTime();
        clock[0] = started;
        clock[1] = started + (long) (seconds * 1e9);
        go.countDown();
        for (final Thread worker : workers) {
            worker.join();
        }
        pinging.set(false);
        pinger.join();
        final double elapsed = (System.nanoTime() - started) / 1e9;
        return new Result(acknowledged.get(), refused.get(), failed.get(), firstFailure.get(), elapsed, latency, lastRound.get(),
            pings);
    }
}
