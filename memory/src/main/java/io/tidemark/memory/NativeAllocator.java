package io.tidemark.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The one way Tidemark takes native memory. Every allocation names a {@link MemoryTag}; bytes in use
 * are counted per tag and in total, a total limit and optional per-tag limits refuse allocations
 * with {@link NativeMemoryLimitException} before the machine runs out, and {@link #assertNoLeaks()}
 * lists whatever was not freed.
 *
 * <p>Each allocation lives in its own shared {@link Arena}, so freeing one block is independent of
 * the others and a freed block cannot be read by accident. Allocation is not a hot-path operation:
 * hot paths take memory from a {@link PagePool} or reuse buffers they allocated once.
 *
 * <p>Thread-safety: all methods may be called from any thread.
 */
public final class NativeAllocator {
    /** No limit. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private static final boolean RECORD_SITES_BY_DEFAULT = Boolean.getBoolean("tidemark.memory.recordAllocationSites");

    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLongArray bytesByTag = new AtomicLongArray(MemoryTag.all().length);
    private final AtomicLongArray limitByTag = new AtomicLongArray(MemoryTag.all().length);
    private final Set<Allocation> live = ConcurrentHashMap.newKeySet();
    private final long totalLimit;
    private final boolean recordAllocationSites;

    private NativeAllocator(final long totalLimit, final boolean recordAllocationSites) {
        if (totalLimit <= 0) {
            throw new IllegalArgumentException("totalLimit must be positive: totalLimit=" + totalLimit);
        }
        this.totalLimit = totalLimit;
        this.recordAllocationSites = recordAllocationSites;
        for (int i = 0; i < limitByTag.length(); i++) {
            limitByTag.set(i, UNLIMITED);
        }
    }

    /** An allocator that refuses to hold more than {@code totalLimitBytes} at once. */
    public static NativeAllocator withLimit(final long totalLimitBytes) {
        return new NativeAllocator(totalLimitBytes, RECORD_SITES_BY_DEFAULT);
    }

    /** An allocator that records a stack trace per allocation, for leak reports in tests. */
    public static NativeAllocator recordingAllocationSites(final long totalLimitBytes) {
        return new NativeAllocator(totalLimitBytes, true);
    }

    /** Limits the bytes one tag may hold; {@link #UNLIMITED} removes the limit. */
    public void setLimit(final MemoryTag tag, final long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("limitBytes must be positive: tag=" + tag + " limitBytes=" + limitBytes);
        }
        limitByTag.set(tag.ordinal(), limitBytes);
    }

    /** Allocates {@code bytes} bytes aligned to 8, contents zeroed. */
    public Allocation allocate(final MemoryTag tag, final long bytes) {
        return allocate(tag, bytes, Long.BYTES);
    }

    /**
     * Allocates {@code bytes} bytes with the given alignment (a power of two), contents zeroed.
     *
     * @throws NativeMemoryLimitException if the tag's limit or the total limit would be exceeded
     */
    public Allocation allocate(final MemoryTag tag, final long bytes, final long alignment) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes must be positive: tag=" + tag + " bytes=" + bytes);
        }
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: alignment=" + alignment);
        }
        reserve(tag, bytes);
        Arena arena = null;
        try {
            arena = Arena.ofShared();
            final MemorySegment segment = arena.allocate(bytes, alignment);
            final Allocation allocation = new Allocation(this, tag, arena, segment,
                recordAllocationSites ? new Throwable("allocated here: tag=" + tag + " bytes=" + bytes) : null);
            live.add(allocation);
            return allocation;
        } catch (final Throwable t) {
            if (arena != null) {
                arena.close();
            }
            unreserve(tag, bytes);
            throw t;
        }
    }

    /** Counts {@code bytes} against the tag and the total, or throws if a limit would be exceeded. */
    void reserve(final MemoryTag tag, final long bytes) {
        final int index = tag.ordinal();
        final long tagLimit = limitByTag.get(index);
        long tagBytes;
        do {
            tagBytes = bytesByTag.get(index);
            if (tagBytes > tagLimit - bytes) {
                throw new NativeMemoryLimitException(tag, bytes, "tagBytesInUse=" + tagBytes + " tagLimit=" + tagLimit);
            }
        } while (!bytesByTag.compareAndSet(index, tagBytes, tagBytes + bytes));
        long total;
        do {
            total = totalBytes.get();
            if (total > totalLimit - bytes) {
                bytesByTag.addAndGet(index, -bytes);
                throw new NativeMemoryLimitException(tag, bytes, "totalBytesInUse=" + total + " totalLimit=" + totalLimit);
            }
        } while (!totalBytes.compareAndSet(total, total + bytes));
    }

    void unreserve(final MemoryTag tag, final long bytes) {
        bytesByTag.addAndGet(tag.ordinal(), -bytes);
        totalBytes.addAndGet(-bytes);
    }

    void released(final Allocation allocation) {
        live.remove(allocation);
        unreserve(allocation.tag(), allocation.bytes());
    }

    /** Bytes currently allocated under {@code tag}. */
    public long bytesInUse(final MemoryTag tag) {
        return bytesByTag.get(tag.ordinal());
    }

    /** Bytes currently allocated under all tags. */
    public long totalBytesInUse() {
        return totalBytes.get();
    }

    /** The total limit in bytes. */
    public long totalLimit() {
        return totalLimit;
    }

    /** Bytes in use per tag, tags with zero bytes left out; for reports and self-metrics. */
    public Map<MemoryTag, Long> bytesInUseByTag() {
        final Map<MemoryTag, Long> result = new EnumMap<>(MemoryTag.class);
        for (final MemoryTag tag : MemoryTag.all()) {
            final long bytes = bytesInUse(tag);
            if (bytes != 0) {
                result.put(tag, bytes);
            }
        }
        return result;
    }

    /**
     * Throws {@link IllegalStateException} naming every allocation that is still live, with its
     * allocation site as a suppressed exception when sites are recorded. For tests.
     */
    public void assertNoLeaks() {
        final List<Allocation> leaked = new ArrayList<>(live);
        if (leaked.isEmpty()) {
            return;
        }
        final IllegalStateException failure = new IllegalStateException(
            "native memory leaked: allocations=" + leaked.size() + " bytesByTag=" + bytesInUseByTag() + " first=" + leaked.getFirst());
        for (final Allocation allocation : leaked) {
            if (allocation.allocationSite() != null) {
                failure.addSuppressed(allocation.allocationSite());
            }
        }
        throw failure;
    }
}
