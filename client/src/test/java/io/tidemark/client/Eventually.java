package io.tidemark.client;

import java.util.function.BooleanSupplier;

/** Waits for a condition in tests, failing with a message after a bound. */
final class Eventually {
    private Eventually() {
    }

    static void within(final long millis, final String what, final BooleanSupplier condition)
        throws InterruptedException {
        final long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            Thread.sleep(5);
        }
    }
}
