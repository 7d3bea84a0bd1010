package io.tidemark.engine.db;

import io.tidemark.codecs.chunk.ChunkEncoder;
import io.tidemark.engine.head.SeriesCursor;
import io.tidemark.engine.util.Threads;
import io.tidemark.engine.wal.WalCheckpoint;
import io.tidemark.engine.wal.WalFiles;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.tiering.block.BlockFileSystem;
import io.tidemark.tiering.block.BlockReader;
import io.tidemark.tiering.block.BlockWriter;
import io.tidemark.tiering.block.BlockWriterOptions;
import io.tidemark.tiering.block.LabelOrder;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Seals head data into blocks: the background agent ({@code tidemark-sealer}) and {@link Tidemark#flush()}.
 *
 * <p><b>When.</b> A window of {@code chunkWindowMillis} (the block range, 2 h by default) is sealed
 * once the head's newest sample is past its end by half a window, or by the out-of-order window if
 * that is longer, so late samples have had their chance (Prometheus compacts its head at 1.5 block
 * ranges the same way). {@link #flush} seals everything the head holds, window by window, the last
 * one up to the newest sample.
 *
 * <p><b>How, for a range {@code [from, to)}.</b>
 * <ol>
 *   <li>Fence: every shard of the tenant is asked to refuse samples before {@code to} from now on,
 *       and the sealer waits until each has (its shard thread applies it between batches), so nothing
 *       can be added to the range while it is read.</li>
 *   <li>Write: every series with samples in the range, in label order, read from the head and
 *       re-encoded by the codecs' chunk encoder (each chunk in its smallest encoding) into a
 *       {@link BlockWriter}, which fsyncs and renames the block into place. Samples deleted by
 *       {@link Tidemark#deleteSeries} are left out.</li>
 *   <li>Publish: the block is opened and added to the tenant's blocks; then {@code sealedThrough}
 *       moves to {@code to}.</li>
 *   <li>Truncate: the shards are asked to drop what is before {@code to} from their heads. Readers
 *       read the head before the block list, so one that misses truncated head data finds the
 *       block (published before the truncation was asked for).</li>
 *   <li>Checkpoint, once after a run of seals: each shard's WAL is checkpointed through its last
 *       completed segment, keeping every series and the samples from the new boundary on
 *       ({@link WalCheckpoint}); a restart replays that and the later segments, and what replay finds
 *       before the newest block is refused as out of bounds.</li>
 * </ol>
 * A failure before the block is in place leaves the head as it was (only the fence stays) and is
 * retried at the next check; a crash leaves at worst a temporary block directory, deleted on open,
 * and the WAL still holds everything.
 *
 * <p><b>After sealing</b>, each check applies retention and runs the compactions that are due
 * ({@link BlockLifecycle}), sealing what has come due between two compactions.
 *
 * <p>Threads: one seal at a time (this object's lock); {@link #flush} runs on the caller's thread.
 */
final class Sealer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Sealer.class.getName());
    /** Samples per block chunk: a 2 h window at a 15 s interval is 480, so a series' window is one to a few chunks. */
    static final int CHUNK_SAMPLES = 480;
    private static final long FENCE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Tidemark database;
    private final TidemarkConfig config;
    private final NativeAllocator allocator;
    private final BlockWriterOptions options;
    private final SeriesCursor cursor = new SeriesCursor();
    private final long[] timestamps = new long[CHUNK_SAMPLES];
    private final double[] values = new double[CHUNK_SAMPLES];
    private final BlockLifecycle lifecycle;
    private final Thread thread;
    private volatile boolean closing;
    private long blocksWritten;
    private long sealFailures;
    private long checkpoints;

    Sealer(final Tidemark database, final TidemarkConfig config, final NativeAllocator allocator, final BlockFileSystem files) {
        this.options = BlockWriterOptions.defaults().withFiles(files);
        this.database = database;
        this.config = config;
        this.allocator = allocator;
        this.lifecycle = new BlockLifecycle(config, allocator, options);
        this.thread = config.sealCheckMillis() > 0 ? Thread.ofPlatform().name("tidemark-sealer").daemon().unstarted(this::run) : null;
    }

    void start() {
        if (thread != null) {
            thread.start();
        }
    }

    private void run() {
        while (!closing) {
            try {
                Thread.sleep(config.sealCheckMillis());
            } catch (final InterruptedException e) {
                return; // close
            }
            for (final Tenant tenant : database.tenants()) {
                if (closing) {
                    return;
                }
                try {
                    sealDue(tenant);
                } catch (final IOException | RuntimeException e) {
                    if (closing) {
                        return; // interrupted by close: the head keeps its data, the WAL has it all
                    }
                    synchronized (this) {
                        sealFailures++;
                    }
                    LOG.log(Level.ERROR, "sealing tenant " + tenant.name + " failed; the head keeps its data and sealing is retried", e);
                }
                try {
                    maintainBlocks(tenant);
                } catch (final IOException | RuntimeException e) {
                    if (closing) {
                        return;
                    }
                    LOG.log(Level.ERROR, "compaction or retention of tenant " + tenant.name + " failed; its blocks stay as they were"
                        + " and it is retried", e);
                }
            }
        }
    }

    /**
     * Retention and a compaction, again until the planner finds none, sealing what has come due
     * between two compactions so that a backlog of compactions holds neither the head nor retention
     * back. Returns the compactions run.
     */
    int maintainBlocks(final Tenant tenant) throws IOException {
        int compacted = 0;
        while (true) {
            lifecycle.applyRetention(tenant);
            if (closing || !lifecycle.compactOnce(tenant)) {
                return compacted;
            }
            compacted++;
            if (thread != null && Thread.currentThread() == thread) {
                sealDue(tenant);
            }
        }
    }

    /** What compaction and retention have done. */
    BlockCounters blockCounters() {
        return lifecycle.counters();
    }

    /** How far past a window's end the head must be before the window is sealed. */
    private long sealDelay() {
        return Math.max(config.chunkWindowMillis() / 2, config.outOfOrderWindowMillis());
    }

    /** Seals every window of {@code tenant} that is old enough; returns the blocks written. */
    synchronized int sealDue(final Tenant tenant) throws IOException {
        final long sealedBefore = tenant.sealedThrough;
        int written = 0;
        while (!closing) {
            final long from = firstUnsealed(tenant);
            if (from == Long.MAX_VALUE) {
                break;
            }
            final long end = windowEnd(from);
            if (headMaxTime(tenant) < end + sealDelay()) {
                break;
            }
            written += sealRange(tenant, from, end) ? 1 : 0;
        }
        checkpointIfSealed(tenant, sealedBefore);
        return written;
    }

    /**
     * Checkpoints the WALs once after a run of seals, with the boundary the run reached: a checkpoint
     * per window would keep, in the first one, samples that the later windows' blocks hold too (it
     * covers the same completed segments, so the later ones would find nothing new to do).
     */
    private void checkpointIfSealed(final Tenant tenant, final long sealedBefore) throws IOException {
        if (tenant.sealedThrough > sealedBefore) {
            final int purged = tenant.index.purgeRemoved(); // the series the shards removed as they truncated
            if (purged > 0) {
                LOG.log(Level.INFO, () -> "tenant " + tenant.name + ": " + purged + " series left the head and the index");
            }
            checkpoint(tenant, tenant.sealedThrough);
            lifecycle.retireDeletions(tenant);
        }
    }

    /**
     * Records a deletion ({@link Tidemark#deleteSeries}) under this object's lock and the block
     * lifecycle's, so that no seal or compaction runs meanwhile: each one after it applies it.
     */
    synchronized void delete(final Tenant tenant, final List<List<LabelMatcher>> selectors, final long minTime,
                             final long maxTime) throws IOException {
        lifecycle.delete(tenant, selectors, minTime, maxTime);
    }

    /** Seals everything {@code tenant}'s head holds now; returns the blocks written. */
    synchronized int flush(final Tenant tenant) throws IOException {
        final long sealedBefore = tenant.sealedThrough;
        final long max = headMaxTime(tenant);
        int written = 0;
        long from = firstUnsealed(tenant);
        while (from != Long.MAX_VALUE && from <= max) {
            final long end = Math.min(windowEnd(from), max + 1);
            written += sealRange(tenant, from, end) ? 1 : 0;
            from = end;
        }
        checkpointIfSealed(tenant, sealedBefore);
        return written;
    }

    /** The oldest time not yet sealed that the head may hold data at; Long.MAX_VALUE if none. */
    private static long firstUnsealed(final Tenant tenant) {
        long oldest = Long.MAX_VALUE;
        for (final var head : tenant.heads) {
            oldest = Math.min(oldest, head.minTime());
        }
        return oldest == Long.MAX_VALUE ? oldest : Math.max(oldest, tenant.sealedThrough);
    }

    private static long headMaxTime(final Tenant tenant) {
        long max = Long.MIN_VALUE;
        for (final var head : tenant.heads) {
            max = Math.max(max, head.maxTime());
        }
        return max;
    }

    private long windowEnd(final long time) {
        final long window = Math.floorDiv(time, config.chunkWindowMillis());
        return window >= Long.MAX_VALUE / config.chunkWindowMillis() - 1 ? Long.MAX_VALUE : (window + 1) * config.chunkWindowMillis();
    }

    /** Seals {@code [from, to)} of {@code tenant} as described above; returns whether a block was written. */
    private boolean sealRange(final Tenant tenant, final long from, final long to) throws IOException {
        tenant.refuseRequested = Math.max(tenant.refuseRequested, to);
        awaitShards(tenant, tenant.refuseApplied, to, "refuse samples before");
        final Path written = writeBlock(tenant, from, to);
        if (written != null) {
            tenant.addBlock(BlockReader.open(allocator, written));
            blocksWritten++;
        }
        tenant.sealedThrough = to;
        tenant.truncateRequested = Math.max(tenant.truncateRequested, to);
        awaitShards(tenant, tenant.truncateApplied, to, "truncate the head before");
        LOG.log(Level.INFO, () -> "tenant " + tenant.name + ": sealed [" + from + ", " + to + ")"
            + (written == null ? ", no samples" : " into " + written));
        return written != null;
    }

    /**
     * Checkpoints every shard's WAL through its last completed segment, keeping the samples from
     * {@code minTime} on: what is older is in blocks now. The segment being written stays as it is.
     */
    private void checkpoint(final Tenant tenant, final long minTime) throws IOException {
        for (int shard = 0; shard < tenant.wals.length; shard++) {
            final long through = tenant.wals[shard].lastCompletedSegment();
            if (through < 0) {
                continue;
            }
            final WalCheckpoint.Result result = WalCheckpoint.create(Tenant.walDirectory(config.dataDirectory(), tenant.name, shard),
                shard, through, minTime, id -> !tenant.index.isRemoved(id), allocator, WalFiles.SYSTEM);
            if (result.created()) {
                checkpoints++;
                final int s = shard;
                LOG.log(Level.INFO, () -> "tenant " + tenant.name + " shard " + s + ": WAL checkpoint " + result.checkpoint()
                    + " kept " + result.seriesKept() + " series and " + result.samplesKept() + " samples, dropped "
                    + result.seriesDropped() + " removed series, " + result.samplesDropped() + " samples and "
                    + result.segmentsDeleted() + " segments");
            }
        }
    }

    private void awaitShards(final Tenant tenant, final AtomicLongArray applied, final long boundary, final String what) {
        final long deadline = System.nanoTime() + FENCE_TIMEOUT_NANOS;
        for (int shard = 0; shard < applied.length(); shard++) {
            while (applied.get(shard) < boundary) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("tenant " + tenant.name + " shard " + shard + " did not " + what + " "
                        + boundary + " within " + TimeUnit.NANOSECONDS.toSeconds(FENCE_TIMEOUT_NANOS) + " s: is it stopped?");
                }
                try {
                    Thread.sleep(1);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while sealing tenant " + tenant.name, e);
                }
            }
        }
    }

    /** Writes the block of {@code [from, to)}; returns its directory, or null if the range holds no sample. */
    private Path writeBlock(final Tenant tenant, final long from, final long to) throws IOException {
        final int[] ids = tenant.index.select(List.of());
        final LabelSet[] labels = new LabelSet[ids.length];
        final String[][] pairs = new String[ids.length][];
        final Integer[] order = new Integer[ids.length];
        for (int i = 0; i < ids.length; i++) {
            labels[i] = tenant.index.labels(ids[i]);
            pairs[i] = labels[i].namesAndValues();
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> LabelOrder.compareLabelSets(pairs[a], pairs[b]));
        final int shards = tenant.heads.length;
        final Deletions deletions = tenant.deletions; // stable: deletions are made under this object's lock
        int series = 0;
        try (BlockWriter writer = BlockWriter.create(allocator, Tenant.blockDirectory(config.dataDirectory(), tenant.name), options);
             ChunkEncoder encoder = new ChunkEncoder(allocator, CHUNK_SAMPLES);
             Allocation scratch = allocator.allocate(MemoryTag.BLOCKS, ChunkEncoder.maxBytes(CHUNK_SAMPLES))) {
            final MemorySegment out = scratch.segment();
            for (final int index : order) {
                final int id = ids[index];
                if (cursor.reset(tenant.heads[id % shards], id / shards, from, to - 1) == 0) {
                    continue;
                }
                final long[] deleted = deletions.isEmpty() ? null : deletions.deleted(pairs[index]);
                boolean started = false;
                int n = 0;
                int range = 0;
                while (cursor.next()) {
                    final long t = cursor.timestamp();
                    if (deleted != null) {
                        while (range < deleted.length && deleted[range + 1] < t) {
                            range += 2;
                        }
                        if (range < deleted.length && deleted[range] <= t) {
                            continue; // deleted (tombstone): left out of the block
                        }
                    }
                    if (!started) {
                        writer.startSeries(pairs[index]);
                        series++;
                        started = true;
                    }
                    timestamps[n] = t;
                    values[n++] = cursor.value();
                    if (n == CHUNK_SAMPLES) {
                        addChunk(writer, encoder, out, n);
                        n = 0;
                    }
                }
                if (n > 0) {
                    addChunk(writer, encoder, out, n);
                }
            }
            return series == 0 ? null : writer.finish();
        }
    }

    private void addChunk(final BlockWriter writer, final ChunkEncoder encoder, final MemorySegment out, final int n) throws IOException {
        final int length = encoder.encode(timestamps, values, n, out, 0, out.byteSize());
        if (length < 0) {
            throw new IllegalStateException("a chunk of " + n + " samples did not fit in " + out.byteSize() + " bytes");
        }
        writer.addChunk(timestamps[0], timestamps[n - 1], out, 0, length);
    }

    /** Blocks written so far. */
    synchronized long blocksWritten() {
        return blocksWritten;
    }

    /** WAL checkpoints made after seals. */
    synchronized long checkpoints() {
        return checkpoints;
    }

    /** Background seals that failed (each is retried). */
    synchronized long sealFailures() {
        return sealFailures;
    }

    /** Stops the background agent, waiting for a seal or compaction in progress to finish. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            lifecycle.close();
        }
    }

    private void stop() {
        closing = true;
        if (thread != null && thread.isAlive()) {
            thread.interrupt();
            Threads.joinUninterruptibly(thread);
        }
    }
}
