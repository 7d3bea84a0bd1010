package io.tidemark.bench.jmh;

import io.tidemark.bench.index.NodeLabelSets;
import io.tidemark.index.SeriesIndex;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A {@link SeriesIndex} of {@link #series} node series, created in dataset order, and the canonical
 * label bytes of every series once more in a seeded random order, laid out in that order so that
 * reading the next lookup's input is sequential.
 */
@State(Scope.Thread)
public class SeriesIndexState {
    @Param({"1000000"})
    public int series;

    final NativeAllocator allocator = NativeAllocator.withLimit(16L << 30);
    SeriesIndex index;
    NodeLabelSets lookups;
    MemorySegment lookupBytes;
    int targets;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        try (NodeLabelSets sets = NodeLabelSets.generate(allocator, 1, series)) {
            index = new SeriesIndex(allocator);
            for (int i = 0; i < series; i++) {
                if (index.getOrCreate(sets.bytes(), sets.offset(i), sets.length(i)) != i) {
                    throw new IllegalStateException("series " + i + " got another id");
                }
            }
            lookups = sets.reordered(allocator, NodeLabelSets.permutation(series, 1));
        }
        lookupBytes = lookups.bytes();
        targets = NodeLabelSets.targetsFor(series);
    }

    /** The index of the next lookup, cycling through all of them. */
    int nextLookup() {
        final int i = next;
        next = i + 1 == series ? 0 : i + 1;
        return i;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        index.close();
        lookups.close();
        allocator.assertNoLeaks();
    }
}
