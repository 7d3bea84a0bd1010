package io.tidemark.engine.db;

import io.tidemark.engine.head.HeadShard;
import io.tidemark.engine.query.BlockSelection;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.tiering.block.BlockCompactor;
import io.tidemark.tiering.block.BlockDirectory;
import io.tidemark.tiering.block.BlockFileSystem;
import io.tidemark.tiering.block.BlockId;
import io.tidemark.tiering.block.BlockMeta;
import io.tidemark.tiering.block.BlockReader;
import io.tidemark.tiering.block.BlockSeries;
import io.tidemark.tiering.block.BlockWriterOptions;
import io.tidemark.tiering.block.CompactionPlanner;
import io.tidemark.tiering.block.RetentionPolicy;
import io.tidemark.tiering.block.SeriesDeletions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Compaction and retention of a tenant's blocks, on the sealer's thread under its lock, so one
 * block operation runs at a time and only this thread writes {@link Tenant#blocks}.
 *
 * <p><b>Compaction</b> ({@link #compactOnce}): the {@link CompactionPlanner} picks blocks; the
 * {@link BlockCompactor} merges them into a new block (written to {@code <id>.tmp}, fsynced,
 * renamed, its {@code parents} file naming the inputs) while writers and readers go on; then
 * {@link #replace} publishes it.
 *
 * <p>A failed compaction (a full disk, a damaged input) leaves the inputs as they were and its
 * temporary directory deleted; compaction is then not tried again for 1 s, doubling with each
 * failure in a row up to 5 min, so a full disk is not hammered with rewrites.
 *
 * <p><b>Deletions</b> ({@link #delete}): a deletion of series (tombstone) is pending in the blocks
 * that hold its samples; compaction leaves deleted samples out of what it writes, and when no merge is
 * due a block with pending deletions is rewritten on its own (a block left with no sample is removed).
 * After each seal, compaction and retention the deletions the data no longer needs are retired.
 *
 * <p><b>Retention</b> ({@link #applyRetention}): the {@link RetentionPolicy} picks whole blocks,
 * which {@link #replace} takes out.
 *
 * <p><b>Replacing</b>: the list without the old blocks (and with the new one) is published in one
 * volatile write, so a reader sees either the old blocks or the new one. Then each old block's
 * directory is deleted (renamed to {@code <id>.deleting} first: a crash leaves no half block; for a
 * compaction, the new block's {@code parents} file has the same effect on open). Last, the list's
 * reference to each old block is released: queries that took it keep it open and mapped until they
 * finish ({@link SharedBlock}), which the file system allows once the files are unlinked (POSIX).
 */
final class BlockLifecycle implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BlockLifecycle.class.getName());
    /** First wait after a failed compaction; it doubles with each failure in a row. */
    static final long FIRST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Longest wait after failed compactions (a full disk should not be hammered with rewrites). */
    static final long LONGEST_RETRY_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final TidemarkConfig config;
    private final NativeAllocator allocator;
    private final BlockFileSystem files;
    private final CompactionPlanner planner;
    private final RetentionPolicy retention;
    private final BlockCompactor compactor;
    private long compactions;
    private long blocksCompacted;
    private long bytesCompacted;
    private long bytesWritten;
    private long compactionFailures;
    private long retentionBlocks;
    private long retentionBytes;
    private boolean closed;
    private int failuresInARow;
    private long retryAtNanos;

    BlockLifecycle(final TidemarkConfig config, final NativeAllocator allocator, final BlockWriterOptions options) {
        this.config = config;
        this.allocator = allocator;
        this.files = options.files();
        this.planner = new CompactionPlanner(config.compactionRangesMillis());
        this.retention = new RetentionPolicy(config.retentionMillis(), config.retentionBytes());
        this.compactor = new BlockCompactor(allocator, options, Sealer.CHUNK_SAMPLES);
    }

    /** Deletes the blocks of {@code tenant} that retention no longer keeps; returns how many. */
    synchronized int applyRetention(final Tenant tenant) throws IOException {
        if (closed || !retention.enabled()) {
            return 0;
        }
        final Map<BlockMeta, SharedBlock> byMeta = byMeta(tenant.blocks);
        final List<BlockMeta> expired = retention.expired(List.copyOf(byMeta.keySet()));
        if (expired.isEmpty()) {
            return 0;
        }
        final List<SharedBlock> removed = new ArrayList<>(expired.size());
        long bytes = 0;
        for (final BlockMeta meta : expired) {
            removed.add(byMeta.get(meta));
            bytes += meta.bytesOnDisk();
        }
        replace(tenant, removed, null);
        retireDeletions(tenant);
        retentionBlocks += removed.size();
        retentionBytes += bytes;
        final long deleted = bytes;
        LOG.log(Level.INFO, () -> "tenant " + tenant.name + ": retention deleted " + removed.size() + " blocks, " + deleted + " bytes");
        return removed.size();
    }

    /** Runs the next compaction the planner finds for {@code tenant}; returns whether there was one. */
    synchronized boolean compactOnce(final Tenant tenant) throws IOException {
        if (closed) {
            return false; // the database is closing: its blocks stay as they are
        }
        if (failuresInARow > 0 && System.nanoTime() - retryAtNanos < 0) {
            return false; // backing off after a failure
        }
        final Map<BlockMeta, SharedBlock> byMeta = byMeta(tenant.blocks);
        List<BlockMeta> plan = planner.plan(List.copyOf(byMeta.keySet()));
        if (plan.isEmpty()) {
            // nothing to merge: rewrite on its own a block that still holds deleted samples
            final List<BlockMeta> byTime = new ArrayList<>(byMeta.keySet());
            byTime.sort(java.util.Comparator.comparingLong(BlockMeta::minTime).thenComparing(BlockMeta::id));
            final BlockMeta pending = tenant.deletions.firstPending(byTime);
            if (pending == null) {
                return false;
            }
            plan = List.of(pending);
        }
        final List<BlockId> planIds = new ArrayList<>(plan.size());
        for (final BlockMeta meta : plan) {
            planIds.add(meta.id());
        }
        final SeriesDeletions deletions = tenant.deletions.pendingIn(planIds);
        final List<SharedBlock> inputs = new ArrayList<>(plan.size());
        final List<BlockReader> readers = new ArrayList<>(plan.size());
        long inputBytes = 0;
        for (final BlockMeta meta : plan) {
            inputs.add(byMeta.get(meta));
            readers.add(byMeta.get(meta).reader);
            inputBytes += meta.bytesOnDisk();
        }
        final long started = System.nanoTime();
        final BlockReader merged;
        try {
            // the inputs are ours to read: only this thread takes blocks out of the list
            final Path root = Tenant.blockDirectory(config.dataDirectory(), tenant.name);
            final Path written = compactor.compact(root, readers, deletions);
            try {
                merged = written == null ? null : BlockReader.open(allocator, written);
            } catch (final IOException | RuntimeException e) {
                // unpublished, it must not supersede its parents on the next open: a retry writes another
                BlockDirectory.deleteBlock(files, root, BlockId.parse(written.getFileName().toString()));
                throw e;
            }
        } catch (final IOException | RuntimeException e) {
            compactionFailures++;
            retryAtNanos = System.nanoTime() + Math.min(LONGEST_RETRY_NANOS, FIRST_RETRY_NANOS << Math.min(failuresInARow, 20));
            failuresInARow++;
            throw e;
        }
        failuresInARow = 0;
        replace(tenant, inputs, merged);
        retireDeletions(tenant);
        compactions++;
        blocksCompacted += inputs.size();
        bytesCompacted += inputBytes;
        final long micros = (System.nanoTime() - started) / 1_000;
        if (merged == null) {
            LOG.log(Level.INFO, () -> "tenant " + tenant.name + ": removed " + inputs.size() + " blocks whose samples were all deleted, in "
                + micros + " us");
            return true;
        }
        bytesWritten += merged.meta().bytesOnDisk();
        final long samples = merged.meta().sampleCount();
        LOG.log(Level.INFO, () -> "tenant " + tenant.name + ": compacted " + inputs.size() + " blocks into " + merged.meta().id()
            + " [" + merged.meta().minTime() + ", " + merged.meta().maxTime() + "], " + samples + " samples in " + micros + " us"
            + (deletions == SeriesDeletions.NONE ? "" : ", deleted samples left out"));
        return true;
    }

    /**
     * Publishes {@code added} without {@code removed} in one volatile write, deletes the removed
     * blocks' directories, and releases the list's reference to each.
     */
    private void replace(final Tenant tenant, final List<SharedBlock> removed, final BlockReader added) {
        tenant.replaceBlocks(removed, added);
        final Path root = Tenant.blockDirectory(config.dataDirectory(), tenant.name);
        for (final SharedBlock block : removed) {
            try {
                BlockDirectory.deleteBlock(files, root, block.reader.meta().id());
            } catch (final IOException e) {
                // out of the list already; a compacted block's parents go on the next open, an expired block is expired again
                LOG.log(Level.WARNING, "tenant " + tenant.name + ": could not delete block " + block.reader.meta().id(), e);
            }
            block.release();
        }
    }

    /**
     * Records deletions for {@code tenant} (see {@link Tidemark#deleteSeries}); the caller holds the
     * sealer's lock, so the block list only changes under this one. Each selector becomes one
     * {@link Deletion}, pending in the blocks where it selects series that overlap the range, with its
     * max time capped at the newest sample the tenant holds; a selector that selects nothing adds none.
     */
    synchronized void delete(final Tenant tenant, final List<List<LabelMatcher>> selectors, final long minTime,
                             final long maxTime) throws IOException {
        if (closed) {
            throw new IllegalStateException("the database is closing");
        }
        long newest = Long.MIN_VALUE;
        for (final HeadShard head : tenant.heads) {
            newest = Math.max(newest, head.maxTime());
        }
        final SharedBlock[] blocks = tenant.blocks;
        for (final SharedBlock block : blocks) {
            newest = Math.max(newest, block.reader.meta().maxTime());
        }
        final long max = Math.min(maxTime, newest);
        if (minTime > max) {
            return; // nothing the tenant holds is in the range
        }
        final List<Deletion> added = new ArrayList<>();
        final BlockSeries scratch = new BlockSeries();
        for (final List<LabelMatcher> selector : selectors) {
            final Set<BlockId> pending = new HashSet<>();
            for (final SharedBlock block : blocks) {
                final BlockMeta meta = block.reader.meta();
                if (meta.minTime() <= max && meta.maxTime() >= minTime
                    && BlockSelection.select(block.reader, selector, scratch).length > 0) {
                    pending.add(meta.id());
                }
            }
            if (!pending.isEmpty() || tenant.index.select(selector).length > 0) {
                added.add(new Deletion(selector, minTime, max, pending));
            }
        }
        if (added.isEmpty()) {
            return;
        }
        synchronized (tenant.deletionsLock) {
            final Deletions next = tenant.deletions.with(added);
            DeletionsFile.write(files, DeletionsFile.path(config.dataDirectory(), tenant.name), next);
            tenant.deletions = next;
        }
        LOG.log(Level.INFO, () -> "tenant " + tenant.name + ": deleted [" + minTime + ", " + max + "] of " + added.size()
            + " selectors " + selectors);
    }

    /**
     * Drops the deletions that {@code tenant}'s data no longer needs ({@link Deletions#retire}) and
     * rewrites its file; on failure they stay (applying them again is harmless) and the next seal,
     * compaction or retention tries again.
     */
    void retireDeletions(final Tenant tenant) {
        synchronized (tenant.deletionsLock) {
            final Deletions current = tenant.deletions;
            if (current.isEmpty()) {
                return;
            }
            final Set<BlockId> published = new HashSet<>();
            for (final SharedBlock block : tenant.blocks) {
                published.add(block.reader.meta().id());
            }
            final Deletions next = current.retire(published, tenant.sealedThrough);
            if (next == current) {
                return;
            }
            try {
                DeletionsFile.write(files, DeletionsFile.path(config.dataDirectory(), tenant.name), next);
                tenant.deletions = next;
            } catch (final IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "tenant " + tenant.name + ": could not retire applied deletions; they stay until the next try", e);
            }
        }
    }

    private static Map<BlockMeta, SharedBlock> byMeta(final SharedBlock[] blocks) {
        final Map<BlockMeta, SharedBlock> byMeta = new HashMap<>();
        for (final SharedBlock block : blocks) {
            byMeta.put(block.reader.meta(), block);
        }
        return byMeta;
    }

    synchronized BlockCounters counters() {
        return new BlockCounters(compactions, blocksCompacted, bytesCompacted, bytesWritten, compactionFailures, retentionBlocks,
            retentionBytes);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            compactor.close();
        }
    }
}
