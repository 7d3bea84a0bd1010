package io.tidemark.engine.wal;

import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Recovers the WALs of several shards in parallel, one task per shard (a shard's segments are
 * replayed in order on one thread). Each shard gets its own visitor, so visitors need no locks
 * unless they share state across shards.
 */
public final class ParallelWalRecovery {
    private ParallelWalRecovery() {
    }

    /**
     * A shard and its WAL directory.
     *
     * @param shard     the shard number written in its segment headers
     * @param directory the shard's WAL directory
     */
    public record Shard(int shard, Path directory) {
    }

    /**
     * Recovers every shard on at most {@code threads} threads of a pool made for the purpose and shut
     * down before returning. Returns the results in the order of {@code shards}.
     */
    public static List<WalRecovery> recoverAll(final List<Shard> shards, final IntFunction<WalVisitor> visitors,
                                               final NativeAllocator allocator, final int threads) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive: threads=" + threads);
        }
        final AtomicInteger names = new AtomicInteger();
        final ExecutorService executor = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, shards.size())), task -> {
            final Thread thread = new Thread(task, "wal-recovery-" + names.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
        try {
            return recoverAll(shards, visitors, allocator, executor);
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * Recovers every shard as tasks of {@code executor}, which bounds the parallelism. Waits for all;
     * if any failed, throws the first failure (in shard order) with the others suppressed.
     */
    public static List<WalRecovery> recoverAll(final List<Shard> shards, final IntFunction<WalVisitor> visitors,
                                               final NativeAllocator allocator, final ExecutorService executor)
        throws IOException {
        final List<Future<WalRecovery>> futures = new ArrayList<>(shards.size());
        for (final Shard shard : shards) {
            final WalVisitor visitor = visitors.apply(shard.shard());
            final Callable<WalRecovery> task = () -> WalRecovery.recover(shard.directory(), shard.shard(), visitor, allocator);
            futures.add(executor.submit(task));
        }
        final List<WalRecovery> results = new ArrayList<>(shards.size());
        Throwable failure = null;
        for (final Future<WalRecovery> future : futures) {
            try {
                results.add(future.get());
            } catch (final ExecutionException e) {
                failure = firstOf(failure, e.getCause());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = firstOf(failure, e);
                futures.forEach(pending -> pending.cancel(true));
            }
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new IOException("WAL recovery interrupted", failure);
        }
        return results;
    }

    private static Throwable firstOf(final Throwable first, final Throwable next) {
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }
}
