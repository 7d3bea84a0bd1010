package io.tidemark.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Buffers samples of one thread in columns (handles, timestamps, values: primitive arrays, so {@link #add} allocates
 * nothing once they have grown to the batch size) and sends them as WRITE frames. Not thread-safe: one writer per
 * thread, from {@link TidemarkClient#writer()}; many writers share the client's connection.
 *
 * <p>Sending: a flush splits the buffered samples into WRITEs that fit the frame limit and the credits, sends the
 * REGISTER of any series the connection does not know yet just before the WRITE that uses it (without waiting:
 * the server handles a connection's frames in order), and blocks while the credits or in-flight WRITEs are used up,
 * up to the request timeout. Three ways to learn the outcome:
 * <ul>
 *   <li>{@link #flushAndWait} blocks until every WRITE is acknowledged and returns the {@link WriteResult}. If any
 *       fails ({@link TidemarkException}, e.g. {@code OVERLOADED} or {@code CONNECTION_LOST}), it throws and the
 *       samples stay in the writer: call it again to send them again whole (nothing is stored twice: a sample the
 *       first try stored comes back as an identical duplicate if it is still its series' newest, else refused as
 *       {@code OUT_OF_ORDER}, meaning already there), or {@link #clear()} to drop them;</li>
 *   <li>{@link #flushAsync} returns a future of the same;</li>
 *   <li>{@link #flush} returns at once with the last request id; the outcome of every such flush, refusals and
 *       failures included, is gathered until {@link #awaitAcks} returns it.</li>
 * </ul>
 * When a flush cannot send everything (no connection or no credits within the request timeout), it throws and the
 * samples not sent stay in the writer.
 */
public final class SeriesWriter {
    private static final int INITIAL_CAPACITY = 1024;

    private final ReconnectingLink link;
    private final SeriesRegistry registry;
    private final FlushTracker background = new FlushTracker();
    private FlushTracker waiting = new FlushTracker();
    private int[] handles = new int[INITIAL_CAPACITY];
    private long[] timestamps = new long[INITIAL_CAPACITY];
    private double[] values = new double[INITIAL_CAPACITY];
    private int size;

    SeriesWriter(final ReconnectingLink link) {
        this.link = link;
        this.registry = link.registry();
        background.reset(true);
    }

    /**
     * The series with these labels ({@code name, value, name, value, ...}): sorted by name, labels with an empty value
     * dropped, and checked as the server would (non-empty names, valid UTF-8, a {@code __name__}, no name twice, at
     * most 64 labels), so it throws {@link IllegalArgumentException} rather than have the server refuse. Allocates;
     * keep the result. Throws {@link IllegalStateException} past the server's {@code maxSeriesHandles}.
     */
    public Series series(final String... labelPairs) {
        final Connection connection = link.current();
        final int maxHandles = connection == null || connection.welcome() == null ? Integer.MAX_VALUE
            : connection.welcome().maxSeriesHandles();
        return registry.intern(LabelSets.normalize(labelPairs), maxHandles);
    }

    /** Buffers one sample (milliseconds, value bit pattern kept). Allocates nothing unless the columns must grow. */
    public void add(final Series series, final long timestampMillis, final double value) {
        if (series.registry() != registry) {
            throw new IllegalArgumentException("series " + series + " belongs to another client");
        }
        if (size == handles.length) {
            grow();
        }
        handles[size] = series.handle();
        timestamps[size] = timestampMillis;
        values[size] = value;
        size++;
    }

    /** Samples buffered and not yet sent. */
    public int size() {
        return size;
    }

    /** Drops the buffered samples. */
    public void clear() {
        size = 0;
    }

    /** {@link #flush(Durability)} with the configured durability. */
    public long flush() {
        return flush(link.config().durability());
    }

    /**
     * Sends the buffered samples without waiting for their acknowledgement; returns the id of the last WRITE sent, or
     * 0 if nothing was buffered. {@link #awaitAcks} reports what became of them.
     */
    public long flush(final Durability durability) {
        if (size == 0) {
            return 0;
        }
        send(durability, background, deadline(link.config().requestTimeout()), false, true);
        return background.lastId();
    }

    /**
     * Waits until every WRITE sent by {@link #flush} since the last call is answered, and returns their combined
     * result, refusals and {@link WriteResult#failures()} included. {@link TidemarkException#TIMEOUT} if some are not
     * answered in time (they stay counted for the next call).
     */
    public WriteResult awaitAcks(final Duration timeout) {
        awaitTracker(background, deadline(timeout));
        final WriteResult result = background.result();
        background.reset(true);
        return result;
    }

    /** {@link #flushAndWait(Durability, Duration)} with the configured durability and request timeout. */
    public WriteResult flushAndWait() {
        return flushAndWait(link.config().durability(), link.config().requestTimeout());
    }

    /**
     * Sends the buffered samples and waits until every WRITE is acknowledged (at most {@code timeout} in all). Returns
     * what was stored and refused; throws the first failure, keeping the samples for a retry.
     */
    public WriteResult flushAndWait(final Durability durability, final Duration timeout) {
        final FlushTracker tracker = waiting;
        tracker.reset(false);
        if (size == 0) {
            tracker.seal();
            return tracker.result();
        }
        final long deadline = deadline(timeout);
        try {
            send(durability, tracker, deadline, true, false);
            tracker.seal();
            awaitTracker(tracker, deadline);
        } catch (final TidemarkException e) {
            tracker.seal();
            waiting = new FlushTracker(); // answers still due go to the abandoned tracker, not to the next flush
            throw e;
        }
        final TidemarkException failure = tracker.failure();
        if (failure != null) {
            throw failure;
        }
        size = 0;
        return tracker.result();
    }

    /**
     * Sends the buffered samples and returns a future of their {@link WriteResult}, completed exceptionally with the
     * first {@link TidemarkException} if a WRITE fails. The samples sent leave the writer. One allocation per call.
     */
    public CompletableFuture<WriteResult> flushAsync(final Durability durability) {
        final AsyncFlush flush = new AsyncFlush();
        try {
            if (size > 0) {
                send(durability, flush, deadline(link.config().requestTimeout()), false, true);
            }
        } catch (final TidemarkException e) {
            flush.aborted(e);
        } finally {
            flush.seal();
        }
        return flush.future();
    }

    private void send(final Durability durability, final FlushTracker tracker, final long deadline,
                      final boolean stopOnFailure, final boolean dropSent) {
        int at = 0;
        try {
            while (at < size && !(stopOnFailure && tracker.hasFailed())) {
                at += link.sendWrite(handles, timestamps, values, at, size - at, durability.wire(), tracker, deadline);
            }
        } finally {
            if (dropSent) {
                dropFirst(at);
            }
        }
    }

    private void awaitTracker(final FlushTracker tracker, final long deadline) {
        try {
            if (!tracker.await(deadline)) {
                throw new TidemarkException(TidemarkException.TIMEOUT, "WRITEs " + Arrays.toString(tracker.result()
                    .requestIds()) + " not acknowledged within the timeout");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(TidemarkException.TIMEOUT, "interrupted waiting for acknowledgements", e);
        }
    }

    private void dropFirst(final int count) {
        if (count >= size) {
            size = 0;
        } else if (count > 0) {
            System.arraycopy(handles, count, handles, 0, size - count);
            System.arraycopy(timestamps, count, timestamps, 0, size - count);
            System.arraycopy(values, count, values, 0, size - count);
            size -= count;
        }
    }

    private void grow() {
        final int capacity = handles.length * 2;
        handles = Arrays.copyOf(handles, capacity);
        timestamps = Arrays.copyOf(timestamps, capacity);
        values = Arrays.copyOf(values, capacity);
    }

    private static long deadline(final Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }
}
