package io.tidemark.promql.eval;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the chunks {@code 0 .. chunks - 1} of one piece of query work on the query's thread and on a shared pool.
 * The query's thread and up to {@code parallelism - 1} pool tasks each claim the next unclaimed chunk until none is
 * left, so a busy pool never stalls a query: its own thread then runs every chunk. Each participating thread gets its
 * own worker state from {@link Task#newWorker()}; a chunk writes only its own results, which the caller merges in
 * chunk order after {@link #run} returns, so the output does not depend on which thread ran what.
 *
 * <p>Errors: the first failure stops the chunks not yet begun and those that poll {@link #stopped()}; once every
 * claimed chunk has finished, {@link #run} rethrows the failure of the lowest chunk that failed on its own (not
 * because another failed first), which is the error a sequential run over the same chunks meets first.
 *
 * <p>Pools: one {@link ForkJoinPool} of {@code parallelism - 1} daemon threads per parallelism setting, shared by
 * every engine and query of the process and never shut down; idle pool threads end after the pool's keep-alive.
 */
final class ParallelChunks {
    private static final ConcurrentHashMap<Integer, ForkJoinPool> POOLS = new ConcurrentHashMap<>();

    /** What a chunked piece of work does; {@code W} is the state a thread reuses across the chunks it runs. */
    interface Task<W> {
        /** Fresh state for one participating thread. */
        W newWorker();

        /** Runs chunk {@code chunk} with the state of the thread running it. */
        void run(W worker, int chunk, ParallelChunks control);
    }

    private final int chunks;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final CountDownLatch finished;
    /** Failure of each chunk, written by the thread that ran it before it counts down {@link #finished}. */
    private final Throwable[] failures;
    private volatile boolean stopped;

    private ParallelChunks(final int chunks) {
        this.chunks = chunks;
        this.finished = new CountDownLatch(chunks);
        this.failures = new Throwable[chunks];
    }

    /** True once a chunk failed: long chunks poll it between series and return early. */
    boolean stopped() {
        return stopped;
    }

    /**
     * Runs all {@code chunks} of {@code task} with up to {@code parallelism} threads (the caller's included) and
     * returns when all have finished; with one chunk or a parallelism of 1, on the caller's thread alone.
     */
    static <W> void run(final int parallelism, final int chunks, final Task<W> task) {
        final ParallelChunks control = new ParallelChunks(chunks);
        final int helpers = Math.min(parallelism, chunks) - 1;
        if (helpers > 0) {
            final ForkJoinPool pool = POOLS.computeIfAbsent(parallelism - 1, ParallelChunks::newPool);
            for (int i = 0; i < helpers; i++) {
                pool.execute(() -> control.drain(task));
            }
        }
        control.drain(task);
        control.awaitFinished();
        control.rethrowFirstFailure();
    }

    private static ForkJoinPool newPool(final int threads) {
        return new ForkJoinPool(threads, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
    }

    /** Claims and runs chunks until none is left. */
    private <W> void drain(final Task<W> task) {
        W worker = null;
        int chunk;
        while ((chunk = nextChunk.getAndIncrement()) < chunks) {
            try {
                if (!stopped) {
                    if (worker == null) {
                        worker = task.newWorker();
                    }
                    task.run(worker, chunk, this);
                }
            } catch (final Throwable t) {
                failures[chunk] = t;
                stopped = true;
            } finally {
                finished.countDown();
            }
        }
    }

    /** Waits for the chunks other threads claimed; an interrupt is kept for the caller but does not cut the wait. */
    private void awaitFinished() {
        boolean interrupted = false;
        while (true) {
            try {
                finished.await();
                break;
            } catch (final InterruptedException e) {
                interrupted = true;
                stopped = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void rethrowFirstFailure() {
        for (final Throwable failure : failures) {
            if (failure instanceof StoppedException) {
                continue;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException("chunk failed", failure);
            }
        }
        if (stopped) {
            throw new QueryException(QueryException.Kind.CANCELED, "query was canceled in expression evaluation");
        }
    }

    /**
     * Thrown by a chunk that stops because another failed ({@link #stopped()}): not a failure of its own, so never
     * the one rethrown. Stackless and shared: it carries no message of its own.
     */
    static final class StoppedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final StoppedException INSTANCE = new StoppedException();

        private StoppedException() {
            super("stopped after another chunk failed", null, false, false);
        }
    }
}
