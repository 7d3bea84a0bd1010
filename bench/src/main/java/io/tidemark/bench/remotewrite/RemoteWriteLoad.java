package io.tidemark.bench.remotewrite;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.xerial.snappy.Snappy;

/**
 * The remote-write load: {@code connections} workers, each with its own HTTP/1.1 connection, send
 * rounds of one sample per series (a scrape round) in requests of {@code seriesPerRequest} series,
 * as a Prometheus with that many shards does: worker {@code w} always sends the same slices of series
 * (slice {@code c} with {@code c mod connections == w}), round after round, so every series' samples
 * arrive in time order. Each request is encoded (protobuf by hand) and snappy-compressed when sent;
 * the generator runs on the same cores as the server, as it would beside a Prometheus.
 */
final class RemoteWriteLoad {
    static final long INTERVAL_MILLIS = 15_000;

    /**
     * What a run did: requests, samples accepted, latencies and seconds of the measured part (after the warm-up);
     * failed requests and {@code totalAccepted} (samples the target holds) of the whole run.
     */
    record Result(long requests, long samplesAccepted, long failedRequests, String firstFailure, double seconds, Histogram latencyMicros,
                  long totalAccepted) {
    }

    private final byte[] labels;
    private final int[] labelOffsets;
    private final int series;
    /** Per series, its last value; each series is only ever touched by the worker that owns its slice. */
    private final double[] last;

    /** Encodes each series' labels once, as the protobuf {@code Label} fields of a {@code TimeSeries}. */
    RemoteWriteLoad(final MemorySegment canonical, final long[] offsets, final int count) {
        final java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        labelOffsets = new int[count + 1];
        for (int i = 0; i < count; i++) {
            labelOffsets[i] = all.size();
            all.writeBytes(RemoteWriteRequests.labelFields(canonical, offsets[i]));
        }
        labelOffsets[count] = all.size();
        labels = all.toByteArray();
        series = count;
        last = new double[count];
    }

    int series() {
        return series;
    }

    /**
     * The next node-like value of series {@code s} at {@code round} from its previous one: {@code s mod 4}
     * is an integer counter with varying increments (bytes, packets), a counter of seconds with two
     * decimals, a gauge of bytes that changes in about a third of the scrapes, or a load-average-like
     * gauge with two decimals that wanders. Deterministic per (series, round).
     */
    static double next(final int s, final long round, final double previous) {
        final long random = mix(s * 0x9E3779B97F4A7C15L + round);
        final int small = (int) (random >>> 40) & 0xFFFF;
        return switch (s & 3) {
            case 0 -> previous + (small & 0x3FF) * ((s & 4) == 0 ? 1 : 1_500);
            case 1 -> Math.round(previous * 100 + (small % 1_500)) / 100.0;
            case 2 -> round == 0 || small % 3 == 0 ? (double) (((random & 0xFFFFF) + 1) * 4_096) : previous;
            default -> Math.max(0, Math.round(previous * 100 + (small % 41) - 20)) / 100.0;
        };
    }

    private static long mix(final long z0) {
        long z = (z0 ^ (z0 >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** Sends rounds starting at {@code startMillis} to {@code target} until {@code seconds} have passed or {@code rounds} are done. */
    Result run(final URI target, final int connections, final int seriesPerRequest, final long startMillis, final long rounds,
               final double seconds, final String tenant) throws InterruptedException {
        return run(target, connections, seriesPerRequest, startMillis, INTERVAL_MILLIS, rounds, 0, seconds, tenant, () -> { });
    }

    /** As above, rounds {@code intervalMillis} apart. */
    Result run(final URI target, final int connections, final int seriesPerRequest, final long startMillis,
               final long intervalMillis, final long rounds, final double seconds, final String tenant) throws InterruptedException {
        return run(target, connections, seriesPerRequest, startMillis, intervalMillis, rounds, 0, seconds, tenant, () -> { });
    }

    /**
     * As above, after a warm-up: the load runs {@code warmupSeconds} unmeasured (the target's JIT, caches and series
     * settle), then {@code measureStarts} runs (it reads the target's CPU, say) and {@code seconds} are measured. A
     * request counts in the measured part if it was sent in it.
     */
    Result run(final URI target, final int connections, final int seriesPerRequest, final long startMillis,
               final long intervalMillis, final long rounds, final double warmupSeconds, final double seconds, final String tenant,
               final Runnable measureStarts) throws InterruptedException {
        final int slices = (series + seriesPerRequest - 1) / seriesPerRequest;
        final AtomicLong requests = new AtomicLong();
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong total = new AtomicLong();
        final java.util.concurrent.atomic.AtomicReference<String> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
        final Histogram latency = new Histogram(60_000_000L, 3);
        final long measured = System.nanoTime() + (long) (warmupSeconds * 1e9);
        final long deadline = measured + (long) (seconds * 1e9);
        final Thread[] workers = new Thread[connections];
        for (int w = 0; w < connections; w++) {
            final int worker = w;
            workers[w] = Thread.ofPlatform().name("remote-write-" + w).start(() -> {
                final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
                final Histogram mine = new Histogram(60_000_000L, 3);
                byte[] raw = new byte[1 << 20];
                byte[] compressed = new byte[Snappy.maxCompressedLength(raw.length)];
                outer:
                for (long round = 0; round < rounds; round++) {
                    for (int slice = worker; slice < slices; slice += connections) {
                        if (System.nanoTime() > deadline) {
                            break outer;
                        }
                        final int from = slice * seriesPerRequest;
                        final int to = Math.min(series, from + seriesPerRequest);
                        final int needed = (labelOffsets[to] - labelOffsets[from]) + (to - from) * 40;
                        if (needed > raw.length) {
                            raw = new byte[needed * 2];
                            compressed = new byte[Snappy.maxCompressedLength(raw.length)];
                        }
                        final int length = encode(raw, from, to, startMillis + round * intervalMillis, round);
                        final int size;
                        try {
                            size = Snappy.compress(raw, 0, length, compressed, 0);
                        } catch (final IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        final HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve("/api/v1/write"))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(compressed, 0, size));
                        if (tenant != null) {
                            request.header("X-Scope-OrgID", tenant);
                        }
                        final long sent = System.nanoTime();
                        try {
                            final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                            final boolean counted = sent >= measured;
                            if (counted) {
                                mine.recordValue(Math.min(60_000_000L, (System.nanoTime() - sent) / 1_000));
                                requests.incrementAndGet();
                            }
                            if (response.statusCode() / 100 == 2) {
                                total.addAndGet(to - from);
                                if (counted) {
                                    accepted.addAndGet(to - from);
                                }
                            } else {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, response.statusCode() + " " + response.body().strip());
                            }
                        } catch (final IOException e) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, e.toString());
                        } catch (final InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break outer;
                        }
                    }
                }
                synchronized (latency) {
                    latency.add(mine);
                }
            });
        }
        final long wait = measured - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        measureStarts.run();
        for (final Thread worker : workers) {
            worker.join();
        }
        final double elapsed = (System.nanoTime() - measured) / 1e9;
        return new Result(requests.get(), accepted.get(), failed.get(), firstFailure.get(), elapsed, latency, total.get());
    }

    /** Writes the WriteRequest of series {@code [from, to)} at {@code timestamp} into {@code out}; returns its length. */
    private int encode(final byte[] out, final int from, final int to, final long timestamp, final long round) {
        int at = 0;
        for (int s = from; s < to; s++) {
            final int labelBytes = labelOffsets[s + 1] - labelOffsets[s];
            final int sampleBytes = 1 + 8 + 1 + varintSize(timestamp);
            final int seriesBytes = labelBytes + 1 + varintSize(sampleBytes) + sampleBytes;
            out[at++] = 1 << 3 | 2;
            at = putVarint(out, at, seriesBytes);
            System.arraycopy(labels, labelOffsets[s], out, at, labelBytes);
            at += labelBytes;
            out[at++] = 2 << 3 | 2;
            at = putVarint(out, at, sampleBytes);
            out[at++] = 1 << 3 | 1;
            last[s] = next(s, round, last[s]);
            final long bits = Double.doubleToRawLongBits(last[s]);
            for (int b = 0; b < 8; b++) {
                out[at++] = (byte) (bits >>> (8 * b));
            }
            out[at++] = 2 << 3;
            at = putVarint(out, at, timestamp);
        }
        return at;
    }

    private static int varintSize(final long value) {
        int size = 1;
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            size++;
            rest >>>= 7;
        }
        return size;
    }

    private static int putVarint(final byte[] out, final int offset, final long value) {
        int at = offset;
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out[at++] = (byte) ((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out[at++] = (byte) rest;
        return at;
    }
}
