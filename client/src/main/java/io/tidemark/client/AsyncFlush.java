package io.tidemark.client;

import java.util.concurrent.CompletableFuture;

/**
 * The tracker of one {@link SeriesWriter#flushAsync}: completes its future once every WRITE is answered, with the
 * {@link WriteResult}, or exceptionally with the first failure. The future completes on the connection's reader thread
 * (or on the sending thread if everything was answered before the flush returned), so dependent stages that block
 * should use the {@code *Async} variants.
 */
final class AsyncFlush extends FlushTracker {
    private final CompletableFuture<WriteResult> future = new CompletableFuture<>();

    AsyncFlush() {
        reset(false);
    }

    CompletableFuture<WriteResult> future() {
        return future;
    }

    @Override
    void completed() {
        final TidemarkException failure = failure();
        if (failure != null) {
            future.completeExceptionally(failure);
        } else {
            future.complete(result());
        }
    }
}
