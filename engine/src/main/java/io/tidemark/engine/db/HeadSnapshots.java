package io.tidemark.engine.db;

import io.tidemark.engine.head.HeadShard;
import io.tidemark.engine.head.HeadSnapshot;
import io.tidemark.engine.util.Threads;
import io.tidemark.engine.wal.ParallelWalRecovery;
import io.tidemark.engine.wal.WalRecovery;
import io.tidemark.engine.wal.WalWriter;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.tiering.block.BlockFileSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The head snapshots of a tenant's shards ({@link HeadSnapshot}), in {@code tenants/<tenant>/head/shard-NNN.snapshot}:
 * written by a clean close after the WALs are closed, read by the next open instead of the WALs, one
 * thread per shard, and deleted once the open has succeeded.
 */
final class HeadSnapshots {
    private static final System.Logger LOG = System.getLogger(HeadSnapshots.class.getName());

    private HeadSnapshots() {
    }

    static Path file(final Path dataDirectory, final String tenant, final int shard) {
        return dataDirectory.resolve("tenants").resolve(tenant).resolve("head").resolve(String.format("shard-%03d.snapshot", shard));
    }

    /** What {@link #recover} did: per shard its WAL's recovery (replayed or resumed), and how many heads came from snapshots. */
    record Recovered(List<WalRecovery> wals, int restored) {
    }

    /**
     * Rebuilds the tenant's empty heads: from their snapshots where they fit the WALs (the WAL is then
     * not read), else by replaying the WAL, the shards in parallel. Each shard's series (id to canonical
     * labels) go into {@code series.get(shard)}.
     */
    static Recovered recover(final Path dataDirectory, final String tenant, final HeadShard[] heads,
                             final List<TreeMap<Integer, byte[]>> series, final List<ParallelWalRecovery.Shard> directories,
                             final NativeAllocator allocator) throws IOException {
        final int shards = heads.length;
        final HeadSnapshot.WalPosition[] restored = restore(dataDirectory, tenant, heads, series);
        final List<ParallelWalRecovery.Shard> replayed = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            if (restored[shard] == null) {
                replayed.add(directories.get(shard));
            }
        }
        final List<WalRecovery> recovered = new ArrayList<>(ParallelWalRecovery.recoverAll(replayed,
            shard -> new HeadReplay(heads[shard], series.get(shard), shards), allocator, shards));
        int count = 0;
        for (int shard = 0; shard < shards; shard++) {
            if (restored[shard] != null) {
                count++;
                recovered.add(shard, WalRecovery.resumed(directories.get(shard).directory(), shard, restored[shard].nextSegment(),
                    restored[shard].nextSequence()));
            }
        }
        return new Recovered(List.copyOf(recovered), count);
    }

    /**
     * Restores each empty head from its snapshot where one fits its WAL, putting the shard's series into
     * {@code series.get(shard)}; returns, per shard, the WAL position to go on from, or null where the
     * WAL must be replayed.
     */
    private static HeadSnapshot.WalPosition[] restore(final Path dataDirectory, final String tenant, final HeadShard[] heads,
                                              final List<? extends Map<Integer, byte[]>> series) throws IOException {
        final HeadSnapshot.WalPosition[] positions = new HeadSnapshot.WalPosition[heads.length];
        if (!Files.isDirectory(file(dataDirectory, tenant, 0).getParent())) {
            return positions; // a new tenant, or one never closed cleanly
        }
        final Thread[] threads = new Thread[heads.length];
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int shard = 0; shard < heads.length; shard++) {
            final int s = shard;
            threads[shard] = Thread.ofPlatform().name("head-snapshot-" + tenant + "-" + shard).start(() -> {
                try {
                    final long started = System.nanoTime();
                    final HeadSnapshot.Result result = HeadSnapshot.read(heads[s], file(dataDirectory, tenant, s),
                        HeadSnapshot.fingerprint(Tenant.walDirectory(dataDirectory, tenant, s)), series.get(s));
                    positions[s] = result.position();
                    if (result.outcome() != HeadSnapshot.Outcome.ABSENT) {
                        LOG.log(Level.INFO, () -> "tenant " + tenant + " shard " + s + ": head snapshot "
                            + result.outcome().name().toLowerCase() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
                    }
                } catch (final IOException | RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        for (final Thread thread : threads) {
            Threads.joinUninterruptibly(thread);
        }
        final Throwable first = failure.get();
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first instanceof Error error) {
            throw error;
        }
        return positions;
    }

    /** Deletes every tenant's snapshots (tests that exercise WAL replay after a clean close). */
    static void deleteAll(final Path dataDirectory) throws IOException {
        try (java.util.stream.Stream<Path> tenants = Files.list(dataDirectory.resolve("tenants"))) {
            for (final Path tenant : tenants.toList()) {
                BlockFileSystem.DEFAULT.deleteTree(tenant.resolve("head"));
            }
        }
    }

    /** Deletes the tenant's snapshots once they are read: the WAL is written from now on. */
    static void delete(final Path dataDirectory, final String tenant, final int shards) throws IOException {
        for (int shard = 0; shard < shards; shard++) {
            Files.deleteIfExists(file(dataDirectory, tenant, shard));
        }
    }

    /**
     * Writes each shard's snapshot, after its WAL writer is closed; a failure is logged and leaves that
     * shard to be replayed on the next open.
     */
    static void write(final Path dataDirectory, final Tenant tenant) {
        final int shards = tenant.heads.length;
        final int idLimit = tenant.index.registry().idLimit();
        for (int shard = 0; shard < shards; shard++) {
            final Path file = file(dataDirectory, tenant.name, shard);
            try {
                final long started = System.nanoTime();
                final int[] ids = logged(tenant, shard, idLimit);
                final WalWriter wal = tenant.wals[shard];
                final HeadSnapshot.Series series = new HeadSnapshot.Series() {
                    @Override
                    public int count() {
                        return ids.length;
                    }

                    @Override
                    public int id(final int i) {
                        return ids[i];
                    }

                    @Override
                    public MemorySegment labels(final int i) {
                        return tenant.index.labelBytes(ids[i]);
                    }
                };
                if (HeadSnapshot.write(tenant.heads[shard], file, HeadSnapshot.fingerprint(Tenant.walDirectory(dataDirectory, tenant.name, shard)),
                    new HeadSnapshot.WalPosition(wal.segment() + 1, wal.lastSequence() + 1), series)) {
                    final long millis = (System.nanoTime() - started) / 1_000_000;
                    final long bytes = Files.size(file);
                    LOG.log(Level.INFO, () -> "wrote head snapshot " + file + ": " + bytes + " bytes in " + millis + " ms");
                }
            } catch (final IOException | UncheckedIOException | IllegalStateException e) {
                LOG.log(Level.WARNING, "could not write head snapshot " + file + "; the WAL will be replayed on open", e);
            }
        }
    }

    /** The ids of the shard's series whose SERIES record is in its WAL: those a replay would restore. */
    private static int[] logged(final Tenant tenant, final int shard, final int idLimit) {
        final int shards = tenant.heads.length;
        int[] ids = new int[Math.max(16, idLimit / shards + 1)];
        int count = 0;
        for (int id = shard; id < idLimit; id += shards) {
            if (tenant.isLogged(shard, id / shards)) {
                ids[count++] = id;
            }
        }
        return Arrays.copyOf(ids, count);
    }
}
