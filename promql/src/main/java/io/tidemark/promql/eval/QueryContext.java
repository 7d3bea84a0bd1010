package io.tidemark.promql.eval;

import io.tidemark.engine.query.Queryable;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.promql.ast.Expr;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What all evaluators of one query share: the data, the settings, the query's own time range (for {@code @ start()}
 * and {@code @ end()}), the deadline, the cancellation flag and the count of samples held.
 *
 * <p>Threads: the query's thread owns the context; workers of a parallel range function ({@link ParallelChunks})
 * call only {@link #check()}, {@link #hold(long)} and {@link #release(long)}, which are thread-safe (the count is an
 * atomic sum, so the limit holds exactly whichever thread loads). {@link #buffer} and the annotations belong to the
 * query's thread.
 */
final class QueryContext {
    final Queryable data;
    final EngineOptions options;
    final long queryStart;
    final long queryEnd;
    final long deadlineNanos;
    final QueryHandle handle;
    final SampleBuffer buffer = new SampleBuffer(1024);
    private final String query;
    private final Annotations annotations;
    private final AtomicLong samples = new AtomicLong();

    QueryContext(final Queryable data, final EngineOptions options, final long queryStart, final long queryEnd,
                 final QueryHandle handle, final String query, final Annotations annotations) {
        this.query = query;
        this.annotations = annotations;
        this.data = data;
        this.options = options;
        this.queryStart = queryStart;
        this.queryEnd = queryEnd;
        this.deadlineNanos = System.nanoTime() + options.timeout().toNanos();
        this.handle = handle;
    }

    /** Throws if the query was cancelled or ran out of time. */
    void check() {
        if (handle != null && handle.isCancelled()) {
            throw new QueryException(QueryException.Kind.CANCELED, "query was canceled in expression evaluation");
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new QueryException(QueryException.Kind.TIMEOUT, "query timed out in expression evaluation");
        }
    }

    /** Raises the warning {@code message} about {@code at}; a no-op when the caller asked for no annotations. */
    void warn(final String message, final Expr at) {
        if (annotations != null) {
            annotations.warn(message + " (" + at.positionRange().startLineColumn(query) + ")");
        }
    }

    /** Raises the info {@code message} about {@code at}; a no-op when the caller asked for no annotations. */
    void info(final String message, final Expr at) {
        if (annotations != null) {
            annotations.info(message + " (" + at.positionRange().startLineColumn(query) + ")");
        }
    }

    /** Counts {@code n} more samples held, failing past the limit. */
    void hold(final long n) {
        if (samples.addAndGet(n) > options.maxSamples()) {
            throw new QueryException(QueryException.Kind.TOO_MANY_SAMPLES,
                "query processing would load too many samples into memory in query execution");
        }
    }

    /** Releases {@code n} samples no longer held. */
    void release(final long n) {
        samples.addAndGet(-n);
    }
}
