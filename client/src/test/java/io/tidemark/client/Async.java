package io.tidemark.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Runs a blocking call on its own thread (the common pool may have a single thread on a small machine). */
final class Async {
    private Async() {
    }

    static <T> CompletableFuture<T> call(final Supplier<T> call) {
        final CompletableFuture<T> future = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("test-call").start(() -> {
            try {
                future.complete(call.get());
            } catch (final Throwable t) {
                future.completeExceptionally(t);
            }
        });
        return future;
    }
}
