package io.tidemark.promql.eval;

/** Lets another thread cancel a running query; the query checks it between series and expression nodes. */
public final class QueryHandle {
    private volatile boolean cancelled;

    /** Asks the query to stop; it fails with a {@link QueryException} of kind {@code CANCELED}. */
    public void cancel() {
        cancelled = true;
    }

    /** True once {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }
}
