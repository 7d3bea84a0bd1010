package io.tidemark.engine.db;

import io.tidemark.engine.head.HeadShard;
import io.tidemark.engine.head.SeriesCursor;
import io.tidemark.engine.query.Queryable;
import io.tidemark.engine.query.TenantQueryable;
import io.tidemark.engine.wal.ParallelWalRecovery;
import io.tidemark.engine.wal.WalRecovery;
import io.tidemark.engine.wal.WalWriter;
import io.tidemark.index.CardinalityStats;
import io.tidemark.index.SeriesIndex;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.Ingest;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.tiering.block.BlockDirectory;
import io.tidemark.tiering.block.BlockFileSystem;
import io.tidemark.tiering.block.BlockId;
import io.tidemark.tiering.block.BlockReader;
import io.tidemark.tiering.block.SeriesDeletions;
import io.tidemark.tiering.cache.DecodedChunkCache;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The embeddable database: tenants, each with a series index, a head and a WAL per shard, fed by the
 * ingest rings. {@link #open} replays every tenant's WAL, in parallel across shards, before it takes
 * writes; {@link #close()} drains the rings, syncs every WAL and frees all memory.
 *
 * <p>Writing: {@link #appender(String)} gives a producer thread its own {@link TenantAppender}.
 * Reading: {@link #select} turns matchers into series ids and {@link #read} loads a series' samples
 * in a time range through a reusable {@link SeriesCursor}, while writes go on.
 *
 * <p>Disk full: while a WAL cannot write for want of space, its shard refuses writes with
 * {@link DiskFullException}, keeps what it had taken and acknowledges none of it before it is written,
 * and takes writes again by itself once the WAL can write ({@code docs/format/wal.md}, "Disk full").
 *
 * <p>One process at a time: open takes an exclusive lock on {@code LOCK} in the data directory, so a
 * second database on the same directory is refused rather than allowed to interleave WAL writes.
 *
 * <p>A tenant is created by its first appender (its directories appear then); reads of an unknown
 * tenant find nothing and create nothing. Tenants never see each other's data. Thread-safe.
 */
public final class Tidemark implements AutoCloseable {
    private final TidemarkConfig config;
    private final NativeAllocator allocator;
    private final int shards;
    private final Object tenantsLock = new Object();
    /** Written under {@link #tenantsLock}; read without it. */
    private final Map<String, Tenant> byName = new ConcurrentHashMap<>();
    private volatile Tenant[] tenants = new Tenant[0];
    private final Ingest ingest;
    private final MemoryReserve reserve;
    private final Sealer sealer;
    /** Decoded block chunks, all tenants; null without a budget. */
    private final DecodedChunkCache chunkCache;
    /** A number per open block, the chunk cache's key; removed with the block. */
    private final Map<BlockReader, Integer> blockNumbers = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger nextBlockNumber = new java.util.concurrent.atomic.AtomicInteger();
    private final List<WalRecovery> recoveries;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private boolean closed;
    private long corruptBlocks;
    private long headsRestored;

    private Tidemark(final TidemarkConfig config, final BlockFileSystem blockFiles) throws IOException {
        this.config = config;
        this.allocator = NativeAllocator.withLimit(config.nativeMemoryLimit());
        this.chunkCache = config.chunkCacheBytes() == 0 ? null
            : new DecodedChunkCache(allocator, config.chunkCacheBytes(), Math.max(1, Integer.highestOneBit(config.ingest().shards() * 4)));
        this.shards = config.ingest().shards();
        Files.createDirectories(config.dataDirectory().resolve("tenants"));
        this.lockChannel = FileChannel.open(config.dataDirectory().resolve("LOCK"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = lockChannel.tryLock();
        } catch (final OverlappingFileLockException heldHere) {
            acquired = null; // this JVM already has the directory open
        } catch (final IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        if (acquired == null) {
            lockChannel.close();
            throw new IllegalStateException("data directory " + config.dataDirectory()
                + " is in use by another database (it holds a lock on " + config.dataDirectory().resolve("LOCK") + ")");
        }
        this.lock = acquired;
        final List<WalRecovery> recovered = new ArrayList<>();
        try (Stream<Path> existing = Files.list(config.dataDirectory().resolve("tenants"))) {
            for (final Path directory : existing.sorted().toList()) {
                recovered.addAll(recoverTenant(Tenant.checkName(directory.getFileName().toString())));
            }
        } catch (final IOException | RuntimeException | Error failure) {
            releaseTenants(false);
            lock.release();
            lockChannel.close();
            throw failure;
        }
        this.recoveries = List.copyOf(recovered);
        this.ingest = new Ingest(config.ingest(), shard -> new ShardWorker(shard, shards, this));
        this.reserve = new MemoryReserve(this::tenants);
        reserve.start();
        this.sealer = new Sealer(this, config, allocator, blockFiles);
        sealer.start();
    }

    /** Opens (or creates) the database in {@code config.dataDirectory()}, replaying what its WALs hold. */
    public static Tidemark open(final TidemarkConfig config) throws IOException {
        return new Tidemark(config, BlockFileSystem.DEFAULT);
    }

    /** Opens with other file operations for sealing, compaction and retention: tests inject failures through it. */
    static Tidemark open(final TidemarkConfig config, final BlockFileSystem blockFiles) throws IOException {
        return new Tidemark(config, blockFiles);
    }

    /** What replay found, per tenant and shard, in the order they were opened. */
    public List<WalRecovery> recoveries() {
        return recoveries;
    }

    /** The tenant numbered {@code number}; any thread. */
    Tenant tenant(final int number) {
        return tenants[number];
    }

    Tenant[] tenants() {
        return tenants;
    }

    /** The tenant named {@code name}, or null if it has never been written to; lock-free. */
    private Tenant existing(final String name) {
        return byName.get(Tenant.checkName(name));
    }

    /** The tenant named {@code name}, created with its directories if new. */
    Tenant tenant(final String name) {
        final Tenant known = existing(name);
        if (known != null) {
            return known;
        }
        synchronized (tenantsLock) {
            if (closed) {
                throw new IllegalStateException("database is closed");
            }
            final Tenant existing = byName.get(name);
            if (existing != null) {
                return existing;
            }
            try {
                recoverTenant(name);
            } catch (final IOException e) {
                throw new java.io.UncheckedIOException("cannot create tenant " + name, e);
            }
            return byName.get(name);
        }
    }

    /** Replays one tenant's WALs (none for a new tenant), restores its index, and opens its writers. */
    private List<WalRecovery> recoverTenant(final String name) throws IOException {
        final SeriesIndex index = new SeriesIndex(allocator, config.index(), shards);
        final HeadShard[] heads = new HeadShard[shards];
        final WalWriter[] wals = new WalWriter[shards];
        final List<TreeMap<Integer, byte[]>> series = new ArrayList<>();
        final List<ParallelWalRecovery.Shard> directories = new ArrayList<>();
        final List<BlockReader> blocks = new ArrayList<>();
        try {
            final long sealedThrough = openBlocks(name, blocks);
            for (int shard = 0; shard < shards; shard++) {
                heads[shard] = new HeadShard(allocator, config.regionBytes(), config.maxSamplesPerChunk(),
                    config.chunkWindowMillis(), config.maxHeadPages(), config.outOfOrderWindowMillis());
                heads[shard].refuseBefore(sealedThrough); // what the blocks hold is not replayed into the head
                series.add(new TreeMap<>());
                final Path directory = Tenant.walDirectory(config.dataDirectory(), name, shard);
                Files.createDirectories(directory);
                directories.add(new ParallelWalRecovery.Shard(shard, directory));
            }
            final HeadSnapshots.Recovered recovery = HeadSnapshots.recover(config.dataDirectory(), name, heads, series, directories,
                allocator);
            final List<WalRecovery> recovered = recovery.wals();
            headsRestored += recovery.restored();
            HeadReplay.restoreIndex(index, series, name);
            for (int shard = 0; shard < shards; shard++) {
                wals[shard] = WalWriter.open(recovered.get(shard), config.wal(), allocator);
            }
            final Tenant tenant = new Tenant(name, byName.size(), index, heads, wals);
            tenant.blockClosed = this::forgetBlock;
            for (final BlockReader block : blocks) {
                tenant.addBlock(block);
            }
            tenant.sealedThrough = sealedThrough;
            tenant.refuseRequested = sealedThrough;
            for (int shard = 0; shard < shards; shard++) {
                tenant.refuseApplied.set(shard, sealedThrough);
                tenant.truncateApplied.set(shard, sealedThrough);
            }
            tenant.truncateRequested = sealedThrough;
            tenant.deletions = DeletionsFile.open(DeletionsFile.path(config.dataDirectory(), name), blocks, sealedThrough);
            tenant.adoptRecovered(series);
            final Tenant[] grown = Arrays.copyOf(tenants, tenants.length + 1);
            grown[tenant.number] = tenant;
            tenants = grown; // volatile write: shard threads see the whole tenant
            byName.put(name, tenant); // after: an appender found here publishes a number the shards know
            HeadSnapshots.delete(config.dataDirectory(), name, shards);
            return recovered;
        } catch (final IOException | RuntimeException | Error failure) {
            for (final WalWriter wal : wals) {
                if (wal != null) {
                    wal.close();
                }
            }
            for (final HeadShard head : heads) {
                if (head != null) {
                    head.close();
                }
            }
            index.close();
            for (final BlockReader block : blocks) {
                block.close();
            }
            throw failure;
        }
    }

    /**
     * Opens the tenant's blocks into {@code into}; returns the time before which they hold every
     * sample (one past the newest block's max time; Long.MIN_VALUE without blocks). A block that is
     * damaged is logged with its file and offset and left out; the others stay readable.
     */
    private long openBlocks(final String name, final List<BlockReader> into) throws IOException {
        final BlockDirectory directory = BlockDirectory.open(Tenant.blockDirectory(config.dataDirectory(), name));
        long sealedThrough = Long.MIN_VALUE;
        for (final BlockId id : directory.blocks()) {
            final BlockReader block;
            try {
                block = BlockReader.open(allocator, directory.blockPath(id));
            } catch (final io.tidemark.codecs.block.CorruptBlockException | java.nio.file.NoSuchFileException e) {
                System.getLogger(Tidemark.class.getName()).log(System.Logger.Level.ERROR,
                    "tenant " + name + ": block " + id + " is damaged and left out: " + e.getMessage());
                corruptBlocks++;
                continue;
            }
            into.add(block);
            sealedThrough = Math.max(sealedThrough, block.meta().maxTime() + 1);
        }
        return sealedThrough;
    }

    private Tenant known(final String name) {
        final Tenant target = existing(name);
        if (target == null) {
            throw new IllegalArgumentException("no such tenant: " + name);
        }
        return target;
    }

    /** A new appender for one producer thread, writing to {@code tenant}. */
    public TenantAppender appender(final String tenant) {
        final Tenant target = tenant(tenant);
        return new TenantAppender(target.index, ingest.appender(target.number), target.name, config.maxSeriesPerTenant(),
            target.seriesLimitRefusals);
    }

    /** The ids of {@code tenant}'s series that {@code matchers} select, ascending (Prometheus semantics). */
    public int[] select(final String tenant, final List<LabelMatcher> matchers) {
        final Tenant target = existing(tenant);
        return target == null ? new int[0] : target.index.select(matchers);
    }

    /** The labels of series {@code id} of {@code tenant}. */
    public LabelSet labels(final String tenant, final int id) {
        return known(tenant).index.labels(id);
    }

    /**
     * Loads series {@code id}'s samples with {@code minTime <= t <= maxTime} from the head into
     * {@code cursor}; returns how many. The head only: {@link #queryable} reads blocks too.
     */
    public int read(final String tenant, final int id, final long minTime, final long maxTime, final SeriesCursor cursor) {
        return cursor.reset(known(tenant).heads[id % shards], id / shards, minTime, maxTime);
    }

    /** The label names of {@code tenant}'s head series that {@code matchers} select (all when empty), sorted; no blocks. */
    public List<String> labelNames(final String tenant, final List<LabelMatcher> matchers) {
        final Tenant target = existing(tenant);
        return target == null ? List.of() : target.index.labelNames(matchers);
    }

    /**
     * Label names ({@code name} null) or values of label {@code name} of {@code tenant}'s series that {@code matchers} select
     * (all when empty) whose head may hold samples in [minTime, maxTime] ({@link SeriesCursor#mayHold}), sorted; no blocks.
     */
    public List<String> headLabels(final String tenant, final String name, final List<LabelMatcher> matchers, final long minTime, final long maxTime) {
        final Tenant target = existing(tenant);
        final IntPredicate inRange = id -> SeriesCursor.mayHold(target.heads[id % shards], id / shards, minTime, maxTime);
        return target == null ? List.of() : name == null ? target.index.labelNames(matchers, inRange)
            : target.index.labelValues(name, matchers, inRange);
    }

    /** The values of label {@code name} among {@code tenant}'s head series that {@code matchers} select, sorted; no blocks. */
    public List<String> labelValues(final String tenant, final String name, final List<LabelMatcher> matchers) {
        final Tenant target = existing(tenant);
        return target == null ? List.of() : target.index.labelValues(name, matchers);
    }

    /**
     * {@code tenant}'s series counts for {@code /api/v1/status/tsdb}: the top {@code limit} entries of each
     * table (all zero and empty for an unknown tenant). Counts the head's index, as Prometheus counts its head:
     * a series leaves it at the truncation that takes its last sample out of the head.
     */
    public CardinalityStats cardinality(final String tenant, final int limit) {
        final Tenant target = existing(tenant);
        return target == null ? new CardinalityStats(0, 0, List.of(), List.of(), List.of(), List.of())
            : target.index.cardinality(limit);
    }

    /** A read view of {@code tenant} for query engines; an unknown tenant reads as empty. */
    public Queryable queryable(final String tenant) {
        return new TenantQueryable(this, tenant);
    }

    /**
     * Deletes, durably, the samples with {@code minTime <= t <= maxTime} of {@code tenant}'s series that
     * any of {@code selectors} selects (the admin API's {@code delete_series}); samples newer than any
     * the tenant holds now are not deleted. Semantics and storage: {@code docs/format/deletions.md}.
     *
     * @throws IllegalArgumentException if a selector has no matcher that fails on the empty string, or
     *                                  {@code minTime > maxTime}
     */
    public void deleteSeries(final String tenant, final List<List<LabelMatcher>> selectors, final long minTime,
                             final long maxTime) throws IOException {
        Deletion.check(selectors, minTime, maxTime);
        final Tenant target = existing(tenant);
        if (target != null && !selectors.isEmpty()) {
            sealer.delete(target, selectors, minTime, maxTime);
        }
    }

    /**
     * {@code tenant}'s deletions not yet applied to all its data, to filter reads with; {@link SeriesDeletions#NONE}
     * when there are none. Read it before the data it filters (see {@link TenantQueryable}).
     */
    public SeriesDeletions deletions(final String tenant) {
        final Tenant target = existing(tenant);
        return target == null || target.deletions.isEmpty() ? SeriesDeletions.NONE : target.deletions;
    }

    /** Samples {@code tenant}'s heads refused: out of order, and duplicate timestamps with another value. */
    public long[] refused(final String tenant) {
        final Tenant target = existing(tenant);
        return target == null ? new long[] {0, 0} : new long[] {Arrays.stream(target.heads).mapToLong(HeadShard::outOfOrder).sum(),
            Arrays.stream(target.heads).mapToLong(HeadShard::duplicates).sum()};
    }

    /** Adds every shard's publish→applied and publish→durable latencies (ns) recorded since the last call. */
    public void drainLatencies(final Histogram applied, final Histogram durable) {
        for (int shard = 0; shard < shards; shard++) {
            ingest.shard(shard).drainLatencies(applied, durable);
        }
    }

    /**
     * Seals everything the heads hold now into blocks, every tenant, and truncates the heads: samples
     * older than the newest one of a tenant are refused from then on (out of bounds). Returns the blocks
     * written. Blocks until done; one seal runs at a time.
     */
    public int flush() throws IOException {
        int written = 0;
        for (final Tenant tenant : tenants) {
            written += sealer.flush(tenant);
        }
        return written;
    }

    /**
     * {@code tenant}'s published blocks, ordered by min time; empty for an unknown tenant. A snapshot
     * for inspection ({@link BlockReader#meta()}): compaction and retention may close any of them at
     * any moment, so read their index or chunks only through {@link #acquireBlocks}.
     */
    public List<BlockReader> blocks(final String tenant) {
        final Tenant target = existing(tenant);
        return target == null ? List.of() : Arrays.stream(target.blocks).map(block -> block.reader).toList();
    }

    /**
     * {@code tenant}'s published blocks, each kept open until the snapshot is closed, even if
     * compaction or retention replaces it meanwhile; empty for an unknown tenant. Lock-free.
     */
    public BlockSnapshot acquireBlocks(final String tenant) {
        final Tenant target = existing(tenant);
        return target == null ? BlockSnapshot.empty() : target.acquireBlocks();
    }

    /**
     * Applies retention and runs every compaction that is due, all tenants, on the caller's thread
     * (the background agent does the same after each seal check); returns the compactions run.
     * One compaction or retention pass runs at a time.
     */
    public int compact() throws IOException {
        int compacted = 0;
        for (final Tenant tenant : tenants) {
            compacted += sealer.maintainBlocks(tenant);
        }
        return compacted;
    }

    /** What compaction and retention have done since open, all tenants. */
    public BlockCounters blockCounters() {
        return sealer.blockCounters();
    }

    /** The cache of decoded block chunks, or null when its budget is 0. */
    public DecodedChunkCache chunkCache() {
        return chunkCache;
    }

    /** The chunk cache's number for an open block of this database. */
    public int blockNumber(final BlockReader block) {
        return blockNumbers.computeIfAbsent(block, b -> nextBlockNumber.getAndIncrement());
    }

    /** Forgets a block that is being closed: its cached chunks go. */
    void forgetBlock(final BlockReader block) {
        final Integer number = blockNumbers.remove(block);
        if (number != null && chunkCache != null) {
            chunkCache.invalidateBlock(number);
        }
    }

    /**
     * The time before which {@code tenant}'s blocks hold every sample (Long.MIN_VALUE when nothing is
     * sealed). It moves only after the block that covers it is in {@link #blocks}, so a reader that
     * reads it, then the head from it on, then the block list, misses nothing.
     */
    public long sealedThrough(final String tenant) {
        final Tenant target = existing(tenant);
        return target == null ? Long.MIN_VALUE : target.sealedThrough;
    }

    /** Blocks written by sealing since open. */
    public long blocksWritten() {
        return sealer.blocksWritten();
    }

    /**
     * The WAL of each shard of {@code tenant} as operators see it: bytes on disk, segments, the
     * checkpoint and when it was made. Empty for an unknown tenant. Any thread: reads file names, sizes
     * and checkpoint headers only.
     */
    public List<io.tidemark.engine.wal.WalStatus> walStatus(final String tenant) throws IOException {
        final List<io.tidemark.engine.wal.WalStatus> status = new ArrayList<>(shards);
        for (int shard = 0; existing(tenant) != null && shard < shards; shard++) {
            status.add(io.tidemark.engine.wal.WalStatus.read(Tenant.walDirectory(config.dataDirectory(), tenant, shard)));
        }
        return status;
    }

    /** WAL checkpoints made after seals since open. */
    public long checkpoints() {
        return sealer.checkpoints();
    }

    /** A snapshot of the database's counters for its self-metrics; any thread. */
    public TidemarkStats stats() throws IOException {
        return TidemarkStats.collect(this, ingest, sealer);
    }

    /** Shard heads rebuilt from a head snapshot on open (the others were replayed from the WAL). */
    public long headsRestored() {
        return headsRestored;
    }

    /** Blocks found damaged on open and left out. */
    public long corruptBlocks() {
        return corruptBlocks;
    }

    /** Samples refused as older than what is sealed, all shards of {@code tenant}. */
    public long outOfBounds(final String tenant) {
        final Tenant target = existing(tenant);
        return target == null ? 0 : Arrays.stream(target.heads).mapToLong(HeadShard::outOfBounds).sum();
    }

    /** Off-heap bytes in use, all tenants and parts. */
    public long nativeBytesInUse() {
        return allocator.totalBytesInUse();
    }

    /** Times the reserve thread took head chunk memory (a slab, a closed-chunk block) ahead of need so far. */
    public long slabsTakenAhead() {
        return reserve.slabsAhead();
    }

    /** Off-heap bytes in use by tag (index, head chunks, WAL buffers, ...), all tenants; a snapshot. */
    public Map<MemoryTag, Long> nativeBytesByTag() {
        return allocator.bytesInUseByTag();
    }

    /**
     * Stops taking writes, applies and syncs everything accepted, and frees all memory. An interrupt
     * does not cut the wait short (memory cannot be freed under running shard threads); it is kept
     * for the caller.
     */
    @Override
    public void close() throws IOException {
        synchronized (tenantsLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        sealer.close(); // a seal in progress finishes first: it waits on the shard threads
        boolean interrupted = false;
        boolean drained = false;
        try {
            while (true) {
                try {
                    ingest.close(); // memory is freed below only once every shard thread has stopped
                    drained = true; // every published sample is in the heads and the WALs: they can be snapshotted
                    break;
                } catch (final InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            try {
                reserve.close(); // before the heads it grows are freed
                releaseTenants(drained);
            } finally {
                lock.release();
                lockChannel.close();
            }
        }
    }

    /** Closes the tenants' WALs, then (on a clean close, {@code snapshot}) writes head snapshots, and frees everything. */
    private void releaseTenants(final boolean snapshot) throws IOException {
        IOException failure = null;
        for (final Tenant tenant : byName.values()) {
            boolean walsClosed = true;
            for (final WalWriter wal : tenant.wals) {
                try {
                    wal.close();
                } catch (final IOException e) {
                    failure = failure == null ? e : failure;
                    walsClosed = false;
                }
            }
            if (snapshot && walsClosed) {
                HeadSnapshots.write(config.dataDirectory(), tenant);
            }
            for (final HeadShard head : tenant.heads) {
                head.close();
            }
            tenant.index.close();
            for (final SharedBlock block : tenant.blocks) {
                block.release(); // a query still holding it closes it when done
            }
            tenant.blocks = new SharedBlock[0];
        }
        byName.clear();
        tenants = new Tenant[0];
        if (chunkCache != null) {
            chunkCache.close();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
