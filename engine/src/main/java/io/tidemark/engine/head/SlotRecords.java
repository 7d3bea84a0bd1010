package io.tidemark.engine.head;

import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fixed-size off-heap records, one per local slot, in pages of {@value #SLOTS_PER_PAGE} records taken
 * from the allocator under {@link MemoryTag#HEAD_CHUNKS} when first needed. Pages never move, so a
 * reader holding a slot's address reads it while the writer writes; a page is initialised before it
 * is published (a volatile write of the page table). Writer: one thread; readers: any.
 */
final class SlotRecords implements AutoCloseable {
    static final int SLOTS_PER_PAGE = 1024;

    private final NativeAllocator allocator;
    private final int recordBytes;
    private final Consumer<MemorySegment> initialiser;
    private final List<Allocation> allocations = new ArrayList<>();
    private volatile MemorySegment[] pages = new MemorySegment[0];

    /** {@code initialiser} sets every record of a fresh page to its empty state. */
    SlotRecords(final NativeAllocator allocator, final int recordBytes, final Consumer<MemorySegment> initialiser) {
        this.allocator = allocator;
        this.recordBytes = recordBytes;
        this.initialiser = initialiser;
    }

    /** The page holding {@code slot}; null if it was never needed. Any thread. */
    MemorySegment page(final int slot) {
        final MemorySegment[] current = pages;
        final int page = slot / SLOTS_PER_PAGE;
        return page < current.length ? current[page] : null;
    }

    /** Byte offset of {@code slot}'s record within its {@link #page(int)}. */
    long offset(final int slot) {
        return (long) (slot % SLOTS_PER_PAGE) * recordBytes;
    }

    /** The page of {@code slot}, allocated and initialised if needed. Writer only. */
    MemorySegment ensure(final int slot) {
        final int page = slot / SLOTS_PER_PAGE;
        MemorySegment[] current = pages;
        if (page < current.length && current[page] != null) {
            return current[page];
        }
        final Allocation allocation = allocator.allocate(MemoryTag.HEAD_CHUNKS, (long) SLOTS_PER_PAGE * recordBytes);
        allocations.add(allocation);
        final MemorySegment segment = allocation.segment();
        initialiser.accept(segment);
        current = Arrays.copyOf(current, Math.max(current.length, page + 1));
        current[page] = segment;
        pages = current; // volatile write publishes the initialised page
        return segment;
    }

    /** One past the highest slot any page covers: slots at or above it were never used. Any thread. */
    int slotLimit() {
        return pages.length * SLOTS_PER_PAGE;
    }

    /** Off-heap bytes of the pages allocated. */
    long nativeBytes() {
        return (long) allocations.size() * SLOTS_PER_PAGE * recordBytes;
    }

    @Override
    public void close() {
        for (final Allocation allocation : allocations) {
            allocation.close();
        }
        allocations.clear();
        pages = new MemorySegment[0];
    }
}
