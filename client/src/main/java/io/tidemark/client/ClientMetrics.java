package io.tidemark.client;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters of one {@link TidemarkClient}, readable from any thread while it runs: writes and samples in flight,
 * samples acknowledged (stored) and refused, writes failed, reconnections, and the acknowledgement latency from
 * sending a WRITE to reading its WRITE_ACK, in nanoseconds. Recording allocates nothing (counters and an HdrHistogram
 * {@link Recorder}); reading the latency folds what was recorded since the last read into a cumulative histogram.
 */
public final class ClientMetrics {
    private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final AtomicLong inFlightWrites = new AtomicLong();
    private final AtomicLong inFlightSamples = new AtomicLong();
    private final LongAdder writesSent = new LongAdder();
    private final LongAdder samplesSent = new LongAdder();
    private final LongAdder samplesAcknowledged = new LongAdder();
    private final LongAdder samplesRefused = new LongAdder();
    private final LongAdder writesFailed = new LongAdder();
    private final LongAdder samplesFailed = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final Recorder ackLatency = new Recorder(MAX_LATENCY_NANOS, 3);
    private final Histogram cumulative = new Histogram(MAX_LATENCY_NANOS, 3);
    private Histogram interval;

    /** WRITEs sent and not yet acknowledged or failed. */
    public long inFlightWrites() {
        return inFlightWrites.get();
    }

    /** Samples of the WRITEs in flight. */
    public long inFlightSamples() {
        return inFlightSamples.get();
    }

    /** WRITE frames sent. */
    public long writesSent() {
        return writesSent.sum();
    }

    /** Samples sent in WRITE frames. */
    public long samplesSent() {
        return samplesSent.sum();
    }

    /** Samples the server acknowledged as stored. */
    public long samplesAcknowledged() {
        return samplesAcknowledged.sum();
    }

    /** Samples the server acknowledged as refused. */
    public long samplesRefused() {
        return samplesRefused.sum();
    }

    /** WRITEs answered by an ERROR or lost with their connection. */
    public long writesFailed() {
        return writesFailed.sum();
    }

    /** Samples of the failed WRITEs. */
    public long samplesFailed() {
        return samplesFailed.sum();
    }

    /** Connections re-established after one broke. */
    public long reconnects() {
        return reconnects.sum();
    }

    /** Acknowledgements whose latency was recorded. */
    public synchronized long ackCount() {
        return drain().getTotalCount();
    }

    /** The acknowledgement latency at {@code percentile} (0 to 100), nanoseconds; 0 before the first ack. */
    public synchronized long ackLatencyNanos(final double percentile) {
        return drain().getValueAtPercentile(percentile);
    }

    /** Median acknowledgement latency, nanoseconds. */
    public long ackLatencyP50Nanos() {
        return ackLatencyNanos(50);
    }

    /** 99th percentile of the acknowledgement latency, nanoseconds. */
    public long ackLatencyP99Nanos() {
        return ackLatencyNanos(99);
    }

    /** 99.9th percentile of the acknowledgement latency, nanoseconds. */
    public long ackLatencyP999Nanos() {
        return ackLatencyNanos(99.9);
    }

    /** Longest acknowledgement latency, nanoseconds. */
    public synchronized long ackLatencyMaxNanos() {
        return drain().getMaxValue();
    }

    /** A copy of the acknowledgement latencies recorded so far (nanoseconds), for merging several clients'. */
    public synchronized Histogram ackLatencyHistogram() {
        return drain().copy();
    }

    private Histogram drain() {
        interval = ackLatency.getIntervalHistogram(interval);
        cumulative.add(interval);
        return cumulative;
    }

    void writeSent(final int samples) {
        inFlightWrites.incrementAndGet();
        inFlightSamples.addAndGet(samples);
        writesSent.increment();
        samplesSent.add(samples);
    }

    void writeAcknowledged(final int samples, final long stored, final long refused, final long latencyNanos) {
        inFlightWrites.decrementAndGet();
        inFlightSamples.addAndGet(-samples);
        samplesAcknowledged.add(stored);
        samplesRefused.add(refused);
        ackLatency.recordValue(Math.max(0, Math.min(latencyNanos, MAX_LATENCY_NANOS)));
    }

    void writeFailed(final int samples) {
        inFlightWrites.decrementAndGet();
        inFlightSamples.addAndGet(-samples);
        writesFailed.increment();
        samplesFailed.add(samples);
    }

    void reconnected() {
        reconnects.increment();
    }

    @Override
    public String toString() {
        return "ClientMetrics[inFlightWrites=" + inFlightWrites() + " inFlightSamples=" + inFlightSamples()
            + " acknowledged=" + samplesAcknowledged() + " refused=" + samplesRefused() + " writesFailed="
            + writesFailed() + " reconnects=" + reconnects() + " ackP99Nanos=" + ackLatencyP99Nanos() + "]";
    }
}
