package io.tidemark.ingest;

import org.agrona.concurrent.IdleStrategy;

/**
 * The {@link IngestConfig.Idle#BACKOFF} strategy: spin 100 times, yield 10 times, then park up to 1 ms at a time, but
 * through {@link IngestShard#parkUnlessPublished}, which a producer's publish cuts short. Agrona's
 * {@code BackoffIdleStrategy} parks for growing intervals that nothing can interrupt, so a batch arriving after a
 * quiet spell waited up to the longest park (1 ms) before the shard saw it.
 */
final class WakeableIdleStrategy implements IdleStrategy {
    static final int SPINS = 100;
    static final int YIELDS = 10;
    static final long MAX_PARK_NANOS = 1_000_000;

    private int idleCalls;

    /** One idle step of {@code shard}'s thread (null: no shard to check, park briefly). */
    void idle(final IngestShard shard) {
        final int calls = ++idleCalls;
        if (calls <= SPINS) {
            Thread.onSpinWait();
        } else if (calls <= SPINS + YIELDS) {
            Thread.yield();
        } else if (shard != null) {
            shard.parkUnlessPublished(MAX_PARK_NANOS);
        } else {
            java.util.concurrent.locks.LockSupport.parkNanos(MAX_PARK_NANOS);
        }
    }

    @Override
    public void idle(final int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    /** Without a shard to check, spins and yields, then parks briefly (for callers outside a shard). */
    @Override
    public void idle() {
        idle(null);
    }

    @Override
    public void reset() {
        idleCalls = 0;
    }

    @Override
    public String alias() {
        return "wakeable-backoff";
    }
}
