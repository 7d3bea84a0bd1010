package io.tidemark.ingest;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * One shard: a multi-producer Disruptor ring of {@link SampleBatch} slots and the single thread
 * that drains it into a {@link ShardHandler}, Aeron-style: the thread polls the ring
 * ({@link EventPoller}), gives the handler its time-driven work, and idles by its
 * {@link IdleStrategy} only when neither had anything to do.
 *
 * <p>Watermarks: the applied sequence is the poller's sequence (every batch up to it was handed to
 * the handler and returned); the durable sequence is what the handler marks after its log is safe.
 * Both only grow; producers read them to wait for their own sequences.
 *
 * <p>Refusing writes: the handler may {@link #refuseWrites} for a while (its log cannot write, say).
 * Publishes then throw the reason it gave, and the thread stops taking batches from the ring: those
 * already published wait there, neither applied nor dropped, until {@link #acceptWrites()}; the
 * handler's idle work goes on (that is where it retries). A close while writes are refused does not
 * wait for them: batches still in the ring are dropped, and none of them was ever acknowledged.
 *
 * <p>Latency: publish to applied is recorded for every batch, publish to durable for every batch
 * that a {@link #markDurable} covers, both in nanoseconds, by the shard thread into
 * {@link SingleWriterRecorder}s that any thread can sample.
 */
public final class IngestShard {
    private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(10);
    /** While idle, the handler's idle work runs on one duty cycle in this many (and on every cycle that applied). */
    static final int IDLE_WORK_EVERY = 8;

    private final int index;
    /** Producers blocked in {@link #awaitProgress} wait on it. */
    private final Object waitLock = new Object();
    /** The signal shared by every shard of the ingest. */
    private final ProgressSignal progress;
    private volatile int waiters;
    private final RingBuffer<SampleBatch> ring;
    private final EventPoller<SampleBatch> poller;
    private final EventPoller.Handler<SampleBatch> onEvent = this::apply;
    private final ShardHandler handler;
    private final IdleStrategy idle;
    private final Sequence durable = new Sequence(-1);
    /** Publish times by sequence, for durable latency; shard thread only. */
    private final long[] publishNanos;
    private final int mask;
    /** Made when the thread starts (a shard driven by a test harness records none): 2 x 2 histograms of ~60 KB. */
    private SingleWriterRecorder appliedLatency;
    private SingleWriterRecorder durableLatency;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final String threadName;
    /** The last sequence handed to the handler; shard thread only (the poller's sequence lags until a poll ends). */
    private long lastApplied = -1;
    private volatile boolean closing;
    private volatile Throwable failure;
    /** Why publishes are refused, or null while they are taken. */
    private volatile RuntimeException refusal;

    /** A shard whose thread is not started; {@link #start()} starts it. */
    IngestShard(final int index, final IngestConfig config, final ShardHandler handler, final String threadName,
                final ProgressSignal progress) {
        this.index = index;
        this.progress = progress;
        final int capacity = config.batchCapacity();
        this.ring = RingBuffer.createMultiProducer(() -> new SampleBatch(capacity), config.ringSize());
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        this.handler = handler;
        this.idle = config.idle().newStrategy();
        this.publishNanos = new long[config.ringSize()];
        this.mask = config.ringSize() - 1;
        this.threadName = threadName;
    }

    /** Starts the shard thread; once. */
    synchronized void start() {
        appliedLatency = new SingleWriterRecorder(MAX_LATENCY_NANOS, 3);
        durableLatency = new SingleWriterRecorder(MAX_LATENCY_NANOS, 3);
        Thread.ofPlatform().name(threadName).daemon(false).start(this::run); // start() publishes the recorders
    }

    /** The shard thread while it is parked for want of batches, else null; producers unpark it. */
    private volatile Thread parkedThread;

    /**
     * Parks the shard thread up to {@code nanos} unless a batch was claimed since the ring was last drained. A producer
     * publishes, then reads {@link #parkedThread}; this thread sets it, then reads the cursor: one of the two sees the
     * other (both volatile), so a publish never waits for the park to run out.
     */
    void parkUnlessPublished(final long nanos) {
        if (prepareToPark()) {
            LockSupport.parkNanos(this, nanos);
        }
        parkedThread = null;
    }

    /** Says this thread is about to park, then returns true if nothing was claimed since the ring was drained. */
    boolean prepareToPark() {
        parkedThread = Thread.currentThread();
        return ring.getCursor() == poller.getSequence().get() && !closing;
    }

    /** The thread a publish would unpark now, or null (for the concurrency tests). */
    Thread parkedThread() {
        return parkedThread;
    }

    /** Unparks the shard thread if it is parked for want of batches (for work that arrives another way). */
    public void wake() {
        final Thread sleeper = parkedThread;
        if (sleeper != null) {
            LockSupport.unpark(sleeper);
        }
    }

    /** This shard's number. */
    public int index() {
        return index;
    }

    /** Every batch up to this sequence has been applied. */
    public long appliedSequence() {
        return poller.getSequence().get();
    }

    /** Every batch up to this sequence is durable. */
    public long durableSequence() {
        return durable.get();
    }

    /**
     * Blocks until the applied (or, if {@code durable}, the durable) sequence reaches {@code wanted}, the shard
     * fails, or about {@code maxNanos} pass (at least a millisecond's granularity); for producers that have spun a
     * while. The shard wakes waiters when its watermarks move, which costs it one volatile read when none waits.
     */
    public void awaitProgress(final boolean durable, final long wanted, final long maxNanos) {
        synchronized (waitLock) {
            waiters++; // volatile: a watermark moved after this is seen below, or the mover sees the waiter
            try {
                if ((durable ? durableSequence() : appliedSequence()) < wanted && failure == null) {
                    waitLock.wait(Math.max(1, maxNanos / 1_000_000));
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiters--;
            }
        }
    }

    /** Wakes the producers blocked in {@link #awaitProgress}; one volatile read when there are none. */
    private void wakeWaiters() {
        progress.signal();
        if (waiters > 0) {
            synchronized (waitLock) {
                waitLock.notifyAll();
            }
        }
    }

    /** Batches published and not yet applied. */
    public long backlog() {
        return ring.getCursor() - appliedSequence();
    }

    /** Slots in the ring. */
    public int ringSize() {
        return ring.getBufferSize();
    }

    /** What stopped the shard thread, or null while it runs or if it stopped cleanly. */
    public Throwable failure() {
        return failure;
    }

    /**
     * From now on publishes throw {@code reason} and the ring is not drained, until
     * {@link #acceptWrites()}. Shard thread only (from the handler); the batch being applied is the
     * last one taken. {@code reason} is thrown to every producer, so it must not be changed by them:
     * make it without suppression and stack trace ({@link RuntimeException}'s four-argument constructor).
     */
    public void refuseWrites(final RuntimeException reason) {
        refusal = reason;
    }

    /** Takes publishes and drains the ring again after {@link #refuseWrites}. Shard thread only. */
    public void acceptWrites() {
        refusal = null;
    }

    /** Why publishes are refused now, or null. */
    public RuntimeException refusal() {
        return refusal;
    }

    /**
     * Declares every batch up to {@code sequence} durable. Shard thread only (from the handler);
     * sequences at or below the current durable one are ignored, and none beyond the last batch
     * applied is taken.
     */
    public void markDurable(final long sequence) {
        final long previous = durable.get();
        final long upTo = Math.min(sequence, lastApplied);
        if (upTo <= previous) {
            return;
        }
        final long now = System.nanoTime();
        for (long s = Math.max(previous + 1, upTo - mask); durableLatency != null && s <= upTo; s++) {
            durableLatency.recordValue(Math.min(MAX_LATENCY_NANOS, Math.max(0, now - publishNanos[(int) (s & mask)])));
        }
        durable.set(upTo);
        wakeWaiters();
    }

    /** Adds the latencies recorded since the last call to the given histograms (nanoseconds). */
    public synchronized void drainLatencies(final Histogram applied, final Histogram durableHistogram) {
        if (appliedLatency == null) {
            return;
        }
        applied.add(appliedLatency.getIntervalHistogram());
        durableHistogram.add(durableLatency.getIntervalHistogram());
    }

    /**
     * Publishes {@code count} samples of {@code tenant} as one batch; producer side, any thread.
     *
     * @return the batch's sequence
     * @throws RingFullException if the ring stays full as configured
     * @throws IllegalStateException if the shard thread has failed
     * @throws RuntimeException      the handler's reason, while it {@link #refuseWrites refuses writes}
     */
    long publish(final int tenant, final int[] series, final long[] timestamps, final double[] values, final int count,
                 final IngestConfig config, final BatchListener refusals, final long tag) {
        final Throwable failed = failure;
        if (failed != null) {
            throw new IllegalStateException("ingest shard " + index + " has stopped", failed);
        }
        final RuntimeException refused = refusal;
        if (refused != null) {
            throw refused;
        }
        long sequence;
        try {
            sequence = ring.tryNext();
        } catch (final InsufficientCapacityException full) {
            sequence = waitForRoom(config);
        }
        final long now = System.nanoTime();
        ring.get(sequence).fill(tenant, series, timestamps, values, count, now, refusals, tag);
        ring.publish(sequence);
        final Thread sleeper = parkedThread;
        if (sleeper != null) {
            LockSupport.unpark(sleeper); // the shard parked before this publish: wake it now, not when its park runs out
        }
        return sequence;
    }

    private long waitForRoom(final IngestConfig config) {
        final long start = System.nanoTime();
        if (config.backPressure() == IngestConfig.BackPressure.BLOCK) {
            long pause = 1_000;
            while (System.nanoTime() - start < config.publishTimeoutNanos() && failure == null && refusal == null) {
                LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, 1_000_000);
                try {
                    return ring.tryNext();
                } catch (final InsufficientCapacityException stillFull) {
                    // wait more
                }
            }
        }
        final RuntimeException refused = refusal;
        if (refused != null) {
            throw refused;
        }
        throw new RingFullException(index, ring.getBufferSize(), System.nanoTime() - start);
    }

    private boolean apply(final SampleBatch batch, final long sequence, final boolean endOfBatch) {
        publishNanos[(int) (sequence & mask)] = batch.publishNanos();
        lastApplied = sequence; // the handler may mark this batch durable from within onBatch
        handler.onBatch(batch, sequence, endOfBatch);
        final BatchListener listener = batch.refusals();
        if (listener != null) {
            listener.applied(batch.tag());
        }
        final long now = System.nanoTime();
        if (appliedLatency != null) {
            appliedLatency.recordValue(Math.min(MAX_LATENCY_NANOS, Math.max(0, now - batch.publishNanos())));
        }
        return refusal == null; // the handler refused writes during this batch: take no more from the ring
    }

    /**
     * One duty cycle of the shard thread: applies every batch published so far, then gives the handler
     * its idle work. Returns 0 if neither had anything to do. Shard thread only (tests drive it directly).
     */
    int doWork() throws Exception {
        return doWork(true);
    }

    /** As {@link #doWork()}; without {@code idleWork}, the handler's idle work is left out unless a batch was applied. */
    private int doWork(final boolean idleWork) throws Exception {
        final EventPoller.PollState state = refusal == null ? poller.poll(onEvent) : EventPoller.PollState.IDLE;
        if (state == EventPoller.PollState.PROCESSING) {
            wakeWaiters();
        } else if (!idleWork) {
            return 0;
        }
        final int work = handler.onIdle(System.nanoTime());
        return (state == EventPoller.PollState.PROCESSING ? 1 : 0) + work;
    }

    /** True if the idle strategy only spins after {@code idleCycles} idle cycles in a row. */
    private boolean spinning(final int idleCycles) {
        return idle instanceof BusySpinIdleStrategy
            || idle instanceof WakeableIdleStrategy && idleCycles < WakeableIdleStrategy.SPINS;
    }

    private void run() {
        try {
            handler.onStart(this);
            int idleCycles = 0;
            while (true) {
                // While the thread spins on an empty ring, the handler's idle work (a time check, the log's watermarks)
                // runs on one cycle in IDLE_WORK_EVERY: a spin is a few nanoseconds, the idle work several hundred.
                // Before a yield, a sleep or a park it always runs.
                final int work = doWork(idleCycles % IDLE_WORK_EVERY == 0 || !spinning(idleCycles));
                idleCycles++;
                if (work > 0) {
                    idleCycles = 0;
                    idle.reset();
                } else if (closing && (ring.getCursor() == poller.getSequence().get() || refusal != null)) {
                    break;
                } else {
                    if (idle instanceof WakeableIdleStrategy wakeable) {
                        wakeable.idle(this); // parks only while nothing was published; a publish unparks
                    } else {
                        idle.idle();
                    }
                }
            }
        } catch (final Throwable t) {
            failure = t;
            System.getLogger(IngestShard.class.getName()).log(System.Logger.Level.ERROR,
                "ingest shard " + index + " stopped by a fault of its handler", t);
        } finally {
            try {
                handler.onClose();
            } finally {
                stopped.countDown();
            }
        }
    }

    /** Asks the thread to stop once the ring is drained, and waits for it. Producers must have stopped. */
    void closeAndDrain() throws InterruptedException {
        closing = true;
        stopped.await();
    }
}
