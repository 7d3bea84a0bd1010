package io.tidemark.index.postings;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.NativeAllocator;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A guard, not a measurement: a warm query that resets its iterators and operations and then
 * intersects, unions and subtracts pre-built off-heap lists must not allocate on the Java heap.
 * Rounds continue, up to a bound, until one warm round allocates nothing (a JIT event may allocate
 * once; an allocation in the code allocates in every round).
 */
class PostingsZeroAllocationTest {

    @Test
    void shouldNotAllocateWhenRunningWarmQueriesOverPrebuiltLists() {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (PostingsMemory memory = new PostingsMemory(allocator, 16, 256);
             PostingsList small = new PostingsList(memory);
             PostingsList large = new PostingsList(memory);
             PostingsList odd = new PostingsList(memory)) {
            for (int i = 0; i < 100_000; i++) {
                large.append(i);
                odd.append(2 * i + 1);
                if (i % 997 == 0) {
                    small.append(i);
                }
            }
            final PostingsListIterator smallIterator = new PostingsListIterator();
            final PostingsListIterator largeIterator = new PostingsListIterator();
            final PostingsListIterator oddIterator = new PostingsListIterator();
            final PostingsListIterator excludeIterator = new PostingsListIterator();
            final Intersection intersection = new Intersection(smallIterator, largeIterator, oddIterator);
            final Union union = new Union(smallIterator, oddIterator);
            final Difference difference = new Difference(largeIterator, excludeIterator);
            final long id = Thread.currentThread().threadId();
            long leastWarm = Long.MAX_VALUE;
            long checksum = 0;
            for (int warm = 0; warm < 30 && leastWarm != 0; warm++) {
                final long before = threads.getThreadAllocatedBytes(id);
                for (int query = 0; query < 200; query++) {
                    smallIterator.reset(small);
                    largeIterator.reset(large);
                    oddIterator.reset(odd);
                    checksum += Postings.count(intersection.reset());
                    smallIterator.reset(small);
                    oddIterator.reset(odd);
                    checksum += Postings.count(union.reset());
                    largeIterator.reset(large);
                    excludeIterator.reset(odd);
                    checksum += Postings.count(difference.reset());
                }
                final long allocated = threads.getThreadAllocatedBytes(id) - before;
                System.out.println("PostingsZeroAllocationTest round=" + warm + " allocatedBytes=" + allocated);
                if (warm >= 2) {
                    leastWarm = Math.min(leastWarm, allocated);
                }
            }
            assertThat(checksum).isPositive();
            assertThat(leastWarm).as("bytes allocated by the least allocating round of 200 warm queries").isZero();
        }
        allocator.assertNoLeaks();
    }
}
