package io.tidemark.index;

import static io.tidemark.index.matchers.LabelMatcher.Type.EQUAL;
import static io.tidemark.index.matchers.LabelMatcher.Type.REGEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.memory.NativeMemoryLimitException;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SeriesIndexTest {
    private final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
    private final SeriesIndex index = new SeriesIndex(allocator);

    @AfterEach
    void close() {
        index.close();
        allocator.assertNoLeaks();
    }

    private static LabelSet node(final int target, final String metric, final String mode) {
        return LabelSet.of("__name__", metric, "instance", "host-" + target + ":9100", "job", "node", "mode", mode);
    }

    private static LabelMatcher eq(final String name, final String value) {
        return LabelMatcher.of(EQUAL, name, value);
    }

    @Test
    void shouldRemoveSeriesSoThatNoReaderFindsThemAndRecreateThemUnderNewIds() {
        final int idle = index.getOrCreate(node(1, "cpu", "idle"));
        final int user = index.getOrCreate(node(1, "cpu", "user"));
        final int other = index.getOrCreate(node(2, "cpu", "idle"));
        assertThat(index.seriesWithMetricName("cpu")).isEqualTo(3);

        assertThat(index.remove(new int[] {idle, idle})).isEqualTo(1);
        assertThat(index.remove(new int[] {idle})).isZero();
        assertThat(index.find(node(1, "cpu", "idle"))).isEqualTo(SeriesIndex.NOT_FOUND);
        assertThat(index.select(List.of(eq("__name__", "cpu")))).containsExactly(user, other);
        assertThat(index.select(List.of(eq("mode", "idle")))).containsExactly(other);
        assertThat(index.labels(idle)).isEqualTo(node(1, "cpu", "idle"));
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.seriesWithMetricName("cpu")).isEqualTo(2);

        final int again = index.getOrCreate(node(1, "cpu", "idle"));
        assertThat(again).isNotEqualTo(idle).isGreaterThan(other);
        assertThat(index.find(node(1, "cpu", "idle"))).isEqualTo(again);
        assertThat(index.select(List.of(eq("instance", "host-1:9100")))).containsExactly(user, again);

        index.remove(new int[] {user, other, again});
        assertThat(index.size()).isZero();
        assertThat(index.select(List.of(LabelMatcher.of(REGEX, "__name__", ".+")))).isEmpty();
        assertThat(index.labelNames(List.of())).isEmpty();
        assertThat(index.labelValues("instance", List.of())).isEmpty();
        assertThat(index.reclaimRemoved()).isZero();
        assertThatThrownBy(() -> index.remove(new int[] {99})).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no such series");
    }

    @Test
    void shouldHideMarkedSeriesAtOnceAndTakeThemOutOfThePostingsOnPurge() {
        final int shards = 2;
        try (SeriesIndex sharded = new SeriesIndex(allocator, SeriesIndex.Options.DEFAULT, shards)) {
            final int idle = sharded.getOrCreate(node(1, "cpu", "idle"));
            final int user = sharded.getOrCreate(node(1, "cpu", "user"));
            final int other = sharded.getOrCreate(node(2, "cpu", "idle"));
            assertThat(sharded.markRemoved(new int[] {idle, other, 77}, 2)).isEqualTo(2);
            assertThat(sharded.markRemoved(new int[] {idle}, 1)).as("already marked").isZero();
            assertThatThrownBy(() -> sharded.markRemoved(new int[] {user, 99}, 2)).isInstanceOf(IllegalArgumentException.class);
            assertThat(sharded.isRemoved(user)).as("nothing marked when an id is bad").isFalse();

            assertThat(sharded.size()).isEqualTo(1);
            assertThat(sharded.find(node(1, "cpu", "idle"))).isEqualTo(SeriesIndex.NOT_FOUND);
            assertThat(sharded.select(List.of(eq("__name__", "cpu")))).containsExactly(user);
            assertThat(sharded.labelValues("instance", List.of())).containsExactly("host-1:9100");
            assertThat(sharded.seriesWithMetricName("cpu")).as("list lengths wait for the purge").isEqualTo(3);

            assertThat(sharded.purgeRemoved()).isEqualTo(2);
            assertThat(sharded.purgeRemoved()).isZero();
            assertThat(sharded.seriesWithMetricName("cpu")).isEqualTo(1);
            assertThat(sharded.select(List.of(eq("mode", "idle")))).isEmpty();

            final int again = sharded.getOrCreate(node(1, "cpu", "idle"));
            assertThat(again % shards).as("on the removed series' shard").isEqualTo(idle % shards);
            assertThat(sharded.select(List.of(eq("mode", "idle")))).containsExactly(again);
            assertThat(sharded.labels(idle)).isEqualTo(sharded.labels(again));
        }
    }

    @Test
    void shouldCountCardinalityAsPrometheusShowsIt() {
        for (int target = 0; target < 3; target++) {
            for (final String mode : List.of("idle", "user", "system")) {
                index.getOrCreate(node(target, "node_cpu_seconds_total", mode));
            }
            index.getOrCreate(LabelSet.of("__name__", "up", "instance", "host-" + target + ":9100", "job", "node"));
        }
        final CardinalityStats stats = index.cardinality(2);
        assertThat(stats.numSeries()).isEqualTo(12);
        // __name__: 2 values, instance: 3, job: 1, mode: 3.
        assertThat(stats.numLabelPairs()).isEqualTo(9);
        assertThat(stats.seriesCountByMetricName()).containsExactly(
            new CardinalityStats.Entry("node_cpu_seconds_total", 9), new CardinalityStats.Entry("up", 3));
        assertThat(stats.labelValueCountByLabelName()).containsExactly(
            new CardinalityStats.Entry("instance", 3), new CardinalityStats.Entry("mode", 3));
        assertThat(stats.seriesCountByLabelValuePair()).containsExactly(
            new CardinalityStats.Entry("job=node", 12), new CardinalityStats.Entry("__name__=node_cpu_seconds_total", 9));
        // instance: 12 series x 11 bytes; __name__: 9 x 22 + 3 x 2.
        assertThat(stats.memoryInBytesByLabelName()).containsExactly(
            new CardinalityStats.Entry("__name__", 204), new CardinalityStats.Entry("instance", 132));
        assertThatThrownBy(() -> index.cardinality(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldFindExistingSeriesWithoutAllocating() {
        final int n = 10_000;
        final MemorySegment[] encoded = new MemorySegment[n];
        for (int i = 0; i < n; i++) {
            encoded[i] = node(i, "cpu", "idle").encode();
            index.getOrCreate(encoded[i], 0, (int) encoded[i].byteSize());
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = -1;
        for (int round = 0; round < 10 && allocated != 0; round++) {
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().threadId());
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += index.find(encoded[i], 0, (int) encoded[i].byteSize());
                sum += index.getOrCreate(encoded[i], 0, (int) encoded[i].byteSize());
            }
            allocated = threads.getThreadAllocatedBytes(Thread.currentThread().threadId()) - before;
            assertThat(sum).isEqualTo((long) n * (n - 1));
            System.out.println("SeriesIndexTest round=" + round + " allocatedBytes=" + allocated);
        }
        assertThat(allocated).isZero();
    }

    @Test
    void shouldLeaveNothingVisibleOfASeriesThatRanOutOfMemory() {
        final NativeAllocator small = NativeAllocator.withLimit(1L << 30);
        // Room for the symbol and record blocks and one postings slab: the lists of many values exhaust it.
        small.setLimit(MemoryTag.INDEX, 3L << 16);
        try (SeriesIndex tight = new SeriesIndex(small, new SeriesIndex.Options(1 << 16, 1, 64))) {
            int created = 0;
            Throwable failure = null;
            for (int i = 0; i < 100_000 && failure == null; i++) {
                try {
                    tight.getOrCreate(LabelSet.of("__name__", "m", "id", Integer.toString(i)));
                    created++;
                } catch (final NativeMemoryLimitException e) {
                    failure = e;
                }
            }
            assertThat(failure).as("the limit must be reached while postings are appended")
                .hasStackTraceContaining("indexNewSeries");
            assertThat(tight.size()).isEqualTo(created);
            assertThat(tight.seriesWithMetricName("m")).isEqualTo(created);
            assertThat(tight.select(List.of(eq("__name__", "m")))).hasSize(created);
            assertThat(tight.find(LabelSet.of("__name__", "m", "id", Integer.toString(created)))).isEqualTo(SeriesIndex.NOT_FOUND);
            assertThat(tight.labelValues("id", List.of())).hasSize(created);
        }
        small.assertNoLeaks();
    }

    @Test
    void shouldNeverShowReadersAHalfBuiltOrWrongSeriesWhileWritersCreateAndRemove() throws InterruptedException {
        final int targets = 300;
        final AtomicBoolean done = new AtomicBoolean();
        final List<Throwable> failures = Concurrently.run(4, thread -> {
            if (thread == 0) {
                try {
                    for (int round = 0; round < 5; round++) {
                        final int[] ids = new int[targets];
                        for (int target = 0; target < targets; target++) {
                            ids[target] = index.getOrCreate(node(target, "cpu", "r" + round));
                        }
                        index.remove(java.util.Arrays.copyOf(ids, targets / 2));
                    }
                } finally {
                    done.set(true);
                }
                return;
            }
            final LabelMatcher cpu = eq("__name__", "cpu");
            while (!done.get()) {
                final int target = (thread * 7919 + (int) System.nanoTime()) % targets;
                final LabelMatcher instance = eq("instance", "host-" + Math.abs(target) + ":9100");
                for (final int id : index.select(List.of(cpu, instance))) {
                    final LabelSet labels = index.labels(id);
                    if (!labels.get("instance").equals("host-" + Math.abs(target) + ":9100") || !labels.get("__name__").equals("cpu")) {
                        throw new AssertionError("series " + id + " selected with labels " + labels);
                    }
                    if (index.find(labels) != id && index.find(labels) != SeriesIndex.NOT_FOUND) {
                        throw new AssertionError("series " + id + " found under another id");
                    }
                }
                for (final String value : index.labelValues("mode", List.of(cpu))) {
                    if (!value.startsWith("r")) {
                        throw new AssertionError("unexpected mode " + value);
                    }
                }
            }
        });
        assertThat(failures).isEmpty();
        assertThat(index.size()).isEqualTo(5 * targets / 2);
        assertThat(index.reclaimRemoved()).isZero();
    }

    @Test
    void shouldRestoreSeriesUnderTheirOldIdsAndReserveTheGaps() {
        final MemorySegment a = node(1, "cpu", "idle").encode();
        final MemorySegment b = node(2, "cpu", "idle").encode();
        assertThat(index.restore(3, a, 0, (int) a.byteSize())).isEqualTo(3);
        assertThat(index.restore(7, b, 0, (int) b.byteSize())).isEqualTo(7);
        assertThat(index.find(node(1, "cpu", "idle"))).isEqualTo(3);
        assertThat(index.find(node(2, "cpu", "idle"))).isEqualTo(7);
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.select(List.of(eq("__name__", "cpu")))).containsExactly(3, 7);
        assertThatThrownBy(() -> index.labels(5)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("reserved on restore");
        assertThatThrownBy(() -> index.restore(6, a, 0, (int) a.byteSize())).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("increasing order");
        assertThat(index.getOrCreate(node(3, "cpu", "idle"))).isEqualTo(8);
        assertThat(index.remove(new int[] {5})).isZero(); // a reserved id is already removed
    }

    @Test
    void shouldFindAllAtOnceAsOneByOneWithoutAllocating() {
        final int n = 5_000;
        final MemorySegment bytes = java.lang.foreign.Arena.ofAuto().allocate(200L * n);
        final long[] offsets = new long[n];
        final int[] lengths = new int[n];
        long at = 0;
        for (int i = 0; i < n; i++) {
            final LabelSet labels = node(i, "cpu", i % 3 == 0 ? "idle" : "user");
            if (i % 2 == 0) {
                index.getOrCreate(labels);
            }
            offsets[i] = at;
            lengths[i] = labels.encode(bytes, at);
            at += lengths[i];
        }
        final int[] found = new int[32];
        final int[] scratch = new int[2 * 32 + 1];
        for (int from = 0; from + 32 <= n; from += 32) {
            index.findAll(bytes, java.util.Arrays.copyOfRange(offsets, from, from + 32),
                java.util.Arrays.copyOfRange(lengths, from, from + 32), 32, found, scratch);
            for (int i = 0; i < 32; i++) {
                assertThat(found[i]).isEqualTo(index.find(bytes, offsets[from + i], lengths[from + i]));
                assertThat(found[i] == SeriesIndex.NOT_FOUND).isEqualTo((from + i) % 2 == 1);
            }
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = -1;
        final long[] batchOffsets = java.util.Arrays.copyOf(offsets, 32);
        final int[] batchLengths = java.util.Arrays.copyOf(lengths, 32);
        for (int round = 0; round < 10; round++) {
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().threadId());
            for (int k = 0; k < 10_000; k++) {
                index.findAll(bytes, batchOffsets, batchLengths, 32, found, scratch);
            }
            allocated = threads.getThreadAllocatedBytes(Thread.currentThread().threadId()) - before;
            if (allocated == 0) {
                break;
            }
        }
        assertThat(allocated).isZero();
    }
}
