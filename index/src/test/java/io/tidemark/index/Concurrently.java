package io.tidemark.index;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Runs a body on several platform threads released together, and collects what they threw. */
public final class Concurrently {
    /** What each thread runs, given its index. */
    @FunctionalInterface
    public interface Body {
        /** Runs on thread {@code thread}; anything thrown is collected. */
        void run(int thread) throws Exception;
    }

    private Concurrently() {
    }

    /** Runs {@code body} on {@code threads} threads at once; returns their failures (empty if none). */
    public static List<Throwable> run(final int threads, final Body body) throws InterruptedException {
        final List<Throwable> failures = new ArrayList<>();
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int thread = t;
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    body.run(thread);
                } catch (final Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        start.countDown();
        for (final Thread thread : started) {
            thread.join();
        }
        return failures;
    }
}
