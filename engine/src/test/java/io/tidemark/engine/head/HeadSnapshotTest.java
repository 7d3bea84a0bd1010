package io.tidemark.engine.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadSnapshotTest {
    private static final long HOUR = 3_600_000;
    private static final byte[] FINGERPRINT = "segment-00000001 4096".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path directory;

    private final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
    private final List<HeadShard> heads = new ArrayList<>();

    private HeadShard newHead() {
        final HeadShard head = new HeadShard(allocator, 256, 120, 2 * HOUR, 1024);
        heads.add(head);
        return head;
    }

    @AfterEach
    void close() {
        heads.forEach(HeadShard::close);
        allocator.assertNoLeaks();
    }

    /** Appends {@code count} random samples to both heads and the model; series times advance by random steps. */
    private static void append(final SplittableRandom random, final List<HeadShard> targets, final List<List<long[]>> model,
                               final long[] time, final int count) {
        for (int i = 0; i < count; i++) {
            final int s = random.nextInt(time.length);
            time[s] += 1 + random.nextInt(random.nextInt(10) == 0 ? 1_000_000 : 30_000);
            final long bits = switch (random.nextInt(4)) {
                case 0 -> Double.doubleToRawLongBits(random.nextInt(100));
                case 1 -> Double.doubleToRawLongBits(random.nextDouble());
                case 2 -> 0x7ff0000000000002L;
                default -> random.nextLong();
            };
            for (final HeadShard head : targets) {
                assertThat(head.append(s, time[s], bits)).isEqualTo(HeadShard.APPENDED);
            }
            model.get(s).add(new long[] {time[s], bits});
        }
    }

    private static void assertHolds(final HeadShard head, final List<List<long[]>> model, final long from) {
        final SeriesCursor cursor = new SeriesCursor();
        for (int s = 0; s < model.size(); s++) {
            final List<long[]> expected = model.get(s).stream().filter(x -> x[0] >= from).toList();
            assertThat(cursor.reset(head, s, from, Long.MAX_VALUE)).as("series %d", s).isEqualTo(expected.size());
            for (final long[] sample : expected) {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.timestamp()).isEqualTo(sample[0]);
                assertThat(Double.doubleToRawLongBits(cursor.value())).isEqualTo(sample[1]);
            }
        }
    }

    private static final HeadSnapshot.WalPosition POSITION = new HeadSnapshot.WalPosition(7, 12_345);
    private static final byte[] LABELS = {0, 1, 0, 1, 'a', 0, 1, 'b'};

    /** Writes with two series of labels: ids 3 and 9. */
    private static boolean write(final HeadShard head, final Path file) throws IOException {
        return HeadSnapshot.write(head, file, FINGERPRINT, POSITION, new HeadSnapshot.Series() {
            @Override
            public int count() {
                return 2;
            }

            @Override
            public int id(final int i) {
                return i == 0 ? 3 : 9;
            }

            @Override
            public java.lang.foreign.MemorySegment labels(final int i) {
                return java.lang.foreign.MemorySegment.ofArray(LABELS);
            }
        });
    }

    private static HeadSnapshot.Outcome read(final HeadShard head, final Path file, final byte[] fingerprint) throws IOException {
        final java.util.Map<Integer, byte[]> series = new java.util.TreeMap<>();
        final HeadSnapshot.Result result = HeadSnapshot.read(head, file, fingerprint, series);
        if (result.outcome() == HeadSnapshot.Outcome.RESTORED) {
            assertThat(result.position()).isEqualTo(POSITION);
            assertThat(series).containsOnlyKeys(3, 9);
            assertThat(series.get(9)).isEqualTo(LABELS);
        } else {
            assertThat(series).as("nothing taken from a snapshot not used").isEmpty();
        }
        return result.outcome();
    }

    @Test
    void shouldRestoreEverySeriesAndAppendOnAsTheOriginalDoes() throws IOException {
        final SplittableRandom random = new SplittableRandom(42);
        final int series = 300;
        final List<List<long[]>> model = new ArrayList<>();
        for (int s = 0; s < series; s++) {
            model.add(new ArrayList<>());
        }
        final long[] time = new long[series];
        final HeadShard original = newHead();
        append(random, List.of(original), model, time, 60_000);
        final long boundary = 2 * HOUR;
        original.truncate(boundary); // some chunks gone, the bound kept
        assertThat(original.chunksCut()).isGreaterThan(300);
        final Path file = directory.resolve("head").resolve("shard-000.snapshot");
        assertThat(write(original, file)).isTrue();

        final HeadShard restored = newHead();
        assertThat(read(restored, file, FINGERPRINT)).isEqualTo(HeadSnapshot.Outcome.RESTORED);
        assertHolds(restored, model, boundary);
        assertThat(restored.minTime()).isEqualTo(original.minTime());
        assertThat(restored.maxTime()).isEqualTo(original.maxTime());
        assertThat(restored.minValidTime()).isEqualTo(boundary);
        assertThat(restored.append(0, boundary - 1, 0)).as("the bound came back").isEqualTo(HeadShard.OUT_OF_BOUNDS);
        for (int s = 0; s < series; s++) {
            if (!model.get(s).isEmpty() && model.get(s).getLast()[0] > boundary) {
                final long[] last = model.get(s).getLast();
                assertThat(restored.append(s, last[0] - 1, 0)).as("series %d keeps its newest time", s).isEqualTo(HeadShard.OUT_OF_ORDER);
            }
        }

        // both go on: the open chunks resume where they were, byte for byte
        for (int s = 0; s < series; s++) {
            time[s] = Math.max(time[s], boundary);
        }
        append(random, List.of(original, restored), model, time, 30_000);
        assertHolds(restored, model, boundary);
        assertHolds(original, model, boundary);
        final Path again = directory.resolve("again.snapshot");
        final Path reference = directory.resolve("reference.snapshot");
        write(restored, again);
        write(original, reference);
        assertThat(Files.readAllBytes(again)).as("the restored head's chunks equal the original's")
            .isEqualTo(Files.readAllBytes(reference));
    }

    @Test
    void shouldIgnoreASnapshotOfAnotherWalOrHeadAndADamagedOneWithoutTouchingTheHead() throws IOException {
        final HeadShard original = newHead();
        for (int i = 0; i < 1_000; i++) {
            original.append(i % 10, 1_000L * i, Double.doubleToRawLongBits(i));
        }
        final Path file = directory.resolve("s.snapshot");
        write(original, file);
        assertThat(read(newHead(), directory.resolve("none"), FINGERPRINT)).isEqualTo(HeadSnapshot.Outcome.ABSENT);
        assertThat(read(newHead(), file, "segment-00000001 4097".getBytes(StandardCharsets.UTF_8)))
            .isEqualTo(HeadSnapshot.Outcome.STALE);
        final HeadShard otherConfig = new HeadShard(allocator, 256, 240, 2 * HOUR, 1024);
        heads.add(otherConfig);
        assertThat(read(otherConfig, file, FINGERPRINT)).isEqualTo(HeadSnapshot.Outcome.STALE);
        final byte[] good = Files.readAllBytes(file);
        final SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            final byte[] bad = good.clone();
            final int at = random.nextInt(bad.length);
            bad[at] ^= (byte) (1 << random.nextInt(8));
            Files.write(file, round % 2 == 0 ? bad : java.util.Arrays.copyOf(good, random.nextInt(good.length)));
            final HeadShard target = newHead();
            assertThat(read(target, file, FINGERPRINT)).as("round %d", round).isEqualTo(HeadSnapshot.Outcome.DAMAGED);
            assertThat(target.maxTime()).as("untouched").isEqualTo(Long.MIN_VALUE);
            assertThat(new SeriesCursor().reset(target, 0, Long.MIN_VALUE, Long.MAX_VALUE)).isZero();
        }
    }

    @Test
    void shouldNotSnapshotAHeadWithAnOutOfOrderWindow() throws IOException {
        final HeadShard late = new HeadShard(allocator, 256, 120, 2 * HOUR, 1024, 60_000);
        heads.add(late);
        late.append(0, 10_000, 1);
        assertThat(write(late, directory.resolve("late.snapshot"))).isFalse();
        assertThat(directory.resolve("late.snapshot")).doesNotExist();
    }
}
