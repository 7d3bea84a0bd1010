package io.tidemark.engine.db;

import io.tidemark.engine.head.HeadShard;
import io.tidemark.engine.util.Threads;
import io.tidemark.memory.NativeMemoryLimitException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The database's memory reserve thread: every {@link #PERIOD_NANOS} it lets each head shard take
 * chunk memory from the allocator ahead of need ({@link HeadShard#growAhead()}): slabs of open-chunk
 * pages and the next 1 MiB block of closed chunks, so that a shard thread does not stop in the middle
 * of a batch to allocate and zero them. Measured on the 2-core machine of docs/BENCHMARKS.md: a slab
 * taken by the shard thread itself held its batch for 250 to 650 µs, which alone put
 * publish→applied p99.9 far above its 50 µs target; a closed-chunk block is the same 1 MiB.
 *
 * <p>Nothing depends on this thread for correctness: if it falls behind, or the allocator's limit
 * refuses the slab, the shard thread takes the memory itself when it needs it (and reports the limit
 * then, as it always did).
 */
final class MemoryReserve implements AutoCloseable {
    /** How often the reserve is topped up: a full reserve (1 MiB) lasts about 30 ms at 22M samples/s. */
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Supplier<Tenant[]> tenants;
    private final Thread thread;
    private final AtomicLong slabsAhead = new AtomicLong();
    private volatile boolean stopping;

    MemoryReserve(final Supplier<Tenant[]> tenants) {
        this.tenants = tenants;
        this.thread = Thread.ofPlatform().name("tidemark-memory-reserve").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Slabs taken ahead of need so far. */
    long slabsAhead() {
        return slabsAhead.get();
    }

    /** One pass over every head shard; returns how many allocations it made ahead. Any thread. */
    int topUp() {
        int grown = 0;
        for (final Tenant tenant : tenants.get()) {
            for (final HeadShard head : tenant.heads) {
                try {
                    grown += head.growAhead();
                } catch (final NativeMemoryLimitException atLimit) {
                    // the shard thread meets the limit itself when it needs the memory, and says so there
                }
            }
        }
        slabsAhead.addAndGet(grown);
        return grown;
    }

    private void run() {
        while (!stopping) {
            topUp();
            LockSupport.parkNanos(this, PERIOD_NANOS);
        }
    }

    /** Stops the thread and waits for it; after this no head is touched. */
    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(thread);
        Threads.joinUninterruptibly(thread);
    }
}
