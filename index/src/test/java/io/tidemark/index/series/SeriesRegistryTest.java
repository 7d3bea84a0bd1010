package io.tidemark.index.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.index.Concurrently;
import io.tidemark.index.symbols.SymbolTable;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SeriesRegistryTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    private final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
    private final SymbolTable symbols = new SymbolTable(allocator);
    private final SeriesRegistry registry = new SeriesRegistry(allocator, symbols);

    @AfterEach
    void close() {
        registry.close();
        symbols.close();
        allocator.assertNoLeaks();
    }

    private static LabelSet node(final int i) {
        return LabelSet.of("__name__", "node_cpu_seconds_total", "instance", "10.0." + i / 256 + "." + i % 256 + ":9100",
            "job", "node", "cpu", Integer.toString(i % 4), "mode", i % 2 == 0 ? "idle" : "user");
    }

    @Test
    void shouldGiveTheSameLabelsTheSameIdAndReadThemBack() {
        final int n = 100_000;
        for (int i = 0; i < n; i++) {
            assertThat(registry.getOrCreate(node(i))).isEqualTo(i);
        }
        assertThat(registry.size()).isEqualTo(n);
        for (int i = 0; i < n; i += 101) {
            assertThat(registry.getOrCreate(node(i))).isEqualTo(i);
            assertThat(registry.find(node(i))).isEqualTo(i);
            assertThat(registry.labels(i)).isEqualTo(node(i));
        }
        assertThat(registry.find(LabelSet.of("__name__", "nope"))).isEqualTo(SeriesRegistry.NOT_FOUND);
    }

    @Test
    void shouldTreatEmptyValuesAsAbsentAndSortNames() {
        final int id = registry.getOrCreate(LabelSet.of("job", "api", "__name__", "up", "zone", ""));
        assertThat(registry.labels(id).toString()).isEqualTo("{__name__=\"up\", job=\"api\"}");
        assertThat(registry.find(LabelSet.of("__name__", "up", "job", "api"))).isEqualTo(id);
    }

    @Test
    void shouldRefuseMalformedCanonicalBytesWithAClearError() {
        final MemorySegment unsorted = bytes(2, "job", "a", "__name__", "up");
        assertThatThrownBy(() -> registry.getOrCreate(unsorted, 0, (int) unsorted.byteSize()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not sorted");
        final MemorySegment duplicate = bytes(2, "a", "1", "a", "2");
        assertThatThrownBy(() -> registry.getOrCreate(duplicate, 0, (int) duplicate.byteSize()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unique");
        final MemorySegment emptyValue = bytes(1, "a", "");
        assertThatThrownBy(() -> registry.getOrCreate(emptyValue, 0, (int) emptyValue.byteSize()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty label value");
        final MemorySegment good = bytes(1, "a", "1");
        assertThatThrownBy(() -> registry.getOrCreate(good, 0, (int) good.byteSize() - 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        final MemorySegment trailing = MemorySegment.ofArray(new byte[(int) good.byteSize() + 1]);
        MemorySegment.copy(good, 0, trailing, 0, good.byteSize());
        assertThatThrownBy(() -> registry.getOrCreate(trailing, 0, (int) trailing.byteSize()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after its last label");
        assertThat(registry.size()).isZero();
    }

    /** Hand-built canonical bytes, so malformed sets can be made. */
    private static MemorySegment bytes(final int count, final String... parts) {
        final MemorySegment out = MemorySegment.ofArray(new byte[4096]);
        long position = 0;
        out.set(LabelSetLayout.U16, position, (short) count);
        position += 2;
        for (final String part : parts) {
            final byte[] utf8 = part.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.set(LabelSetLayout.U16, position, (short) utf8.length);
            MemorySegment.copy(utf8, 0, out, java.lang.foreign.ValueLayout.JAVA_BYTE, position + 2, utf8.length);
            position += 2 + utf8.length;
        }
        return out.asSlice(0, position);
    }

    @Test
    void shouldNeverFailOrReadOutsideOnRandomBytesInFind() {
        System.out.println("SeriesRegistryTest seed=" + SEED);
        for (int i = 0; i < 1000; i++) {
            registry.getOrCreate(node(i));
        }
        final SplittableRandom random = new SplittableRandom(SEED);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment real = node(7).encode();
            for (int round = 0; round < 20_000; round++) {
                final int length = (int) real.byteSize();
                final MemorySegment damaged = arena.allocate(length);
                MemorySegment.copy(real, 0, damaged, 0, length);
                damaged.set(java.lang.foreign.ValueLayout.JAVA_BYTE, random.nextInt(length), (byte) random.nextInt(256));
                final int cut = random.nextInt(length + 1);
                final int found = registry.find(damaged, 0, cut);
                assertThat(found == SeriesRegistry.NOT_FOUND || registry.labels(found).encode().mismatch(damaged.asSlice(0, cut)) == -1)
                    .as("round %d", round).isTrue();
            }
        }
    }

    @Test
    void shouldGiveConcurrentCreatorsOfTheSameSeriesTheSameId() throws InterruptedException {
        final Map<Integer, Integer> idOfSeries = new ConcurrentHashMap<>();
        final List<Throwable> failures = Concurrently.run(4, thread -> {
            final int offset = thread * 3_000;
            for (int i = 0; i < 12_000; i++) {
                final int series = (i + offset) % 10_000;
                final int id = registry.getOrCreate(node(series));
                final Integer previous = idOfSeries.putIfAbsent(series, id);
                if (previous != null && previous != id) {
                    throw new AssertionError("series " + series + " got ids " + previous + " and " + id);
                }
                if (!registry.labels(id).equals(node(series))) {
                    throw new AssertionError("id " + id + " reads back " + registry.labels(id));
                }
            }
        });
        assertThat(failures).isEmpty();
        assertThat(registry.size()).isEqualTo(10_000);
        assertThat(idOfSeries.values()).doesNotHaveDuplicates();
    }

    @Test
    void shouldNotAllocateWhenFindingAnExistingSeries() {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final int n = 10_000;
        final MemorySegment[] encoded = new MemorySegment[n];
        try (Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < n; i++) {
                registry.getOrCreate(node(i));
                final MemorySegment heap = node(i).encode();
                encoded[i] = arena.allocate(heap.byteSize());
                MemorySegment.copy(heap, 0, encoded[i], 0, heap.byteSize());
            }
            // the same sets side by side, in order then reversed, for findAll in batches of 32
            final int batch = 32;
            final MemorySegment all = arena.allocate(2 * 200L * n);
            final long[] offsets = new long[2 * n];
            final int[] lengths = new int[2 * n];
            long at = 0;
            for (int k = 0; k < 2 * n; k++) {
                final MemorySegment one = encoded[k < n ? k : 2 * n - 1 - k];
                MemorySegment.copy(one, 0, all, at, one.byteSize());
                offsets[k] = at;
                lengths[k] = (int) one.byteSize();
                at += one.byteSize();
            }
            final long[] batchOffsets = new long[batch];
            final int[] batchLengths = new int[batch];
            final int[] found = new int[batch];
            final int[] scratch = new int[2 * batch + 1];
            long least = Long.MAX_VALUE;
            long checksum = 0;
            for (int round = 0; round < 20 && least != 0; round++) {
                final long before = threads.getThreadAllocatedBytes(Thread.currentThread().threadId());
                for (int i = 0; i < n; i++) {
                    checksum += registry.find(encoded[i], 0, (int) encoded[i].byteSize());
                    checksum += registry.findExpected(encoded[i], 0, (int) encoded[i].byteSize(), i + 1);
                }
                for (int from = 0; from + batch <= 2 * n; from += batch) {
                    System.arraycopy(offsets, from, batchOffsets, 0, batch);
                    System.arraycopy(lengths, from, batchLengths, 0, batch);
                    registry.findAll(all, batchOffsets, batchLengths, batch, found, scratch);
                    checksum += found[batch - 1];
                }
                final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().threadId()) - before;
                if (round >= 2) {
                    least = Math.min(least, allocated);
                }
            }
            assertThat(checksum).isPositive();
            assertThat(least).as("bytes allocated by the least allocating round of %d finds", n).isZero();
        }
    }

    @Test
    void shouldGiveRecreatedLabelsANewIdInTheRemovedOnesSlot() {
        final int n = 5_000;
        for (int i = 0; i < n; i++) {
            registry.getOrCreate(node(i));
        }
        final long heapBefore = registry.heapBytes();
        synchronized (registry.writeLock()) {
            for (int i = 0; i < n; i += 2) {
                assertThat(registry.remove(i)).isTrue();
                assertThat(registry.remove(i)).as("already removed").isFalse();
            }
        }
        for (int i = 0; i < n; i++) {
            assertThat(registry.find(node(i))).as("series %d", i).isEqualTo(i % 2 == 0 ? SeriesRegistry.NOT_FOUND : i);
        }
        // Each removed label set created again takes over its old slot: the table does not grow.
        for (int i = 0; i < n; i += 2) {
            assertThat(registry.getOrCreate(node(i))).isEqualTo(n + i / 2);
        }
        assertThat(registry.heapBytes()).as("no new slots").isLessThanOrEqualTo(heapBefore + (long) n * Integer.BYTES);
        for (int i = 0; i < n; i++) {
            assertThat(registry.find(node(i))).as("series %d", i).isEqualTo(i % 2 == 0 ? n + i / 2 : i);
        }
        assertThat(registry.labels(0)).isEqualTo(node(0));
        assertThat(registry.labels(n)).isEqualTo(node(0));
        assertThat(registry.isRemoved(0)).isTrue();
        assertThat(registry.size()).isEqualTo(n);
    }

    @Test
    void shouldKeepARecreatedSeriesOnItsShard() {
        final int shards = 3;
        try (SymbolTable sharded = new SymbolTable(allocator);
             SeriesRegistry registry3 = new SeriesRegistry(allocator, sharded, 1 << 16, id -> { }, shards)) {
            for (int i = 0; i < 10; i++) {
                assertThat(registry3.getOrCreate(node(i))).isEqualTo(i);
            }
            synchronized (registry3.writeLock()) {
                registry3.remove(4); // shard 1
                registry3.remove(9); // shard 0
            }
            final int four = registry3.getOrCreate(node(4));
            assertThat(four).as("next id on shard 1 from 10").isEqualTo(10);
            final int nine = registry3.getOrCreate(node(9));
            assertThat(nine).as("11 and 12 skipped, reserved as removed").isEqualTo(12);
            assertThat(registry3.isRemoved(11)).isTrue();
            assertThat(registry3.getOrCreate(node(100))).as("a new label set takes the next id").isEqualTo(13);
            synchronized (registry3.writeLock()) {
                registry3.remove(four);
            }
            assertThat(registry3.getOrCreate(node(4))).as("removed twice, still on shard 1").isEqualTo(16);
            assertThat(registry3.find(node(4))).isEqualTo(16);
            assertThat(registry3.find(node(9))).isEqualTo(12);
            assertThat(registry3.labels(4)).isEqualTo(node(4));
            assertThat(registry3.labels(10)).isEqualTo(node(4));
            assertThat(registry3.size()).isEqualTo(11);
        }
    }

    @Test
    void shouldReferenceRecordsAcrossManySmallBlocks() {
        try (SymbolTable smallSymbols = new SymbolTable(allocator);
             SeriesRegistry small = new SeriesRegistry(allocator, smallSymbols, 1000, id -> { })) {
            for (int i = 0; i < 20_000; i++) {
                assertThat(small.getOrCreate(node(i))).isEqualTo(i);
            }
            for (int i = 0; i < 20_000; i += 7) {
                assertThat(small.find(node(i))).isEqualTo(i);
                assertThat(small.labels(i)).isEqualTo(node(i));
            }
        }
    }

    @Test
    void shouldHashTheSameBytesAlikeWhereverTheyLieAndSpreadTheirTails() {
        final SplittableRandom random = new SplittableRandom(SEED);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment a = arena.allocate(200);
            final MemorySegment b = arena.allocate(200);
            for (int length = 0; length <= 130; length++) {
                for (int i = 0; i < length; i++) {
                    final byte value = (byte) random.nextInt(256);
                    a.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, value);
                    b.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 3 + i, value);
                }
                final int hash = LabelSetHash.hash(a, 0, length);
                assertThat(LabelSetHash.hash(b, 3, length)).as("length %d", length).isEqualTo(hash);
                for (int i = 0; i < length; i++) {
                    final byte value = a.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i);
                    a.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (value ^ 1));
                    assertThat(LabelSetHash.hash(a, 0, length)).as("length %d, byte %d flipped", length, i).isNotEqualTo(hash);
                    a.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, value);
                }
            }
        }
    }

    @Test
    void shouldAnswerAsFindWhateverIdIsExpected() {
        final int n = 1_000;
        for (int i = 0; i < n; i++) {
            registry.getOrCreate(node(i));
        }
        synchronized (registry.writeLock()) {
            registry.remove(10);
        }
        final MemorySegment five = node(5).encode();
        final MemorySegment ten = node(10).encode();
        final MemorySegment absent = LabelSet.of("__name__", "absent").encode();
        for (final int expected : new int[] {5, 4, 6, 10, -1, Integer.MIN_VALUE, n, Integer.MAX_VALUE}) {
            assertThat(registry.findExpected(five, 0, (int) five.byteSize(), expected)).as("expected %d", expected).isEqualTo(5);
            assertThat(registry.findExpected(ten, 0, (int) ten.byteSize(), expected)).as("expected %d", expected)
                .isEqualTo(SeriesRegistry.NOT_FOUND);
            assertThat(registry.findExpected(absent, 0, (int) absent.byteSize(), expected)).as("expected %d", expected)
                .isEqualTo(SeriesRegistry.NOT_FOUND);
        }
        // a cut-short copy of a record's bytes is not that record
        assertThat(registry.findExpected(five, 0, (int) five.byteSize() - 1, 5)).isEqualTo(SeriesRegistry.NOT_FOUND);
    }

    @Test
    void shouldFindABatchAsFindDoes() {
        final int n = 3_000;
        for (int i = 0; i < n; i += 2) {
            registry.getOrCreate(node(i));
        }
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment all = arena.allocate(200L * n);
            final long[] offsets = new long[n];
            final int[] lengths = new int[n];
            long at = 0;
            for (int i = 0; i < n; i++) {
                final MemorySegment one = node(i).encode();
                MemorySegment.copy(one, 0, all, at, one.byteSize());
                offsets[i] = at;
                lengths[i] = (int) one.byteSize();
                at += one.byteSize();
            }
            final int[] found = new int[n];
            registry.findAll(all, offsets, lengths, n, found, new int[2 * n + 1]);
            for (int i = 0; i < n; i++) {
                assertThat(found[i]).as("series %d", i).isEqualTo(registry.find(all, offsets[i], lengths[i]));
                assertThat(found[i]).as("series %d", i).isEqualTo(i % 2 == 0 ? i / 2 : SeriesRegistry.NOT_FOUND);
            }
        }
    }

    @Test
    void shouldFindABatchAsFindDoesInScrapeOrderWithGapsAndInRandomOrder() {
        final int n = 2_000;
        for (int i = 0; i < n; i++) {
            registry.getOrCreate(node(i));
        }
        synchronized (registry.writeLock()) {
            for (int i = 3; i < n; i += 97) {
                registry.remove(i);
            }
        }
        final SplittableRandom random = new SplittableRandom(SEED);
        final int batch = 64;
        try (Arena arena = Arena.ofConfined()) {
            for (int round = 0; round < 300; round++) {
                // runs of consecutive series, some absent sets, some jumps, sometimes shuffled
                final int[] series = new int[batch];
                int next = random.nextInt(n + 50);
                for (int i = 0; i < batch; i++) {
                    series[i] = next;
                    next = random.nextInt(10) == 0 ? random.nextInt(n + 50) : next + 1;
                }
                if (round % 5 == 0) {
                    for (int i = batch - 1; i > 0; i--) {
                        final int j = random.nextInt(i + 1);
                        final int swap = series[i];
                        series[i] = series[j];
                        series[j] = swap;
                    }
                }
                final MemorySegment all = arena.allocate(200L * batch);
                final long[] offsets = new long[batch];
                final int[] lengths = new int[batch];
                long at = 0;
                for (int i = 0; i < batch; i++) {
                    final MemorySegment one = node(series[i]).encode();
                    MemorySegment.copy(one, 0, all, at, one.byteSize());
                    offsets[i] = at;
                    lengths[i] = (int) one.byteSize();
                    at += one.byteSize();
                }
                final int[] found = new int[batch];
                final int count = 1 + random.nextInt(batch);
                registry.findAll(all, offsets, lengths, count, found, new int[2 * count + 1]);
                for (int i = 0; i < count; i++) {
                    assertThat(found[i]).as("round %d set %d (series %d)", round, i, series[i])
                        .isEqualTo(registry.find(all, offsets[i], lengths[i]));
                }
            }
        }
    }
}
