package io.tidemark.engine.util;

/** Small helpers for the engine's own background threads. */
public final class Threads {
    private Threads() {
    }

    /**
     * Waits until {@code thread} has ended, even if the caller is interrupted meanwhile (memory the
     * thread touches is freed after this returns); the interrupt is kept for the caller.
     */
    public static void joinUninterruptibly(final Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (final InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
