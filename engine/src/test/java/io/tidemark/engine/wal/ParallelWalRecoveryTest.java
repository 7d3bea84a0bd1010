package io.tidemark.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several shards recovered on a bounded number of threads, each into its own visitor. */
class ParallelWalRecoveryTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final int SHARDS = 5;

    @TempDir
    Path root;

    @Test
    void shouldReplayEveryShardIntoItsOwnVisitorOnBoundedThreads() throws IOException {
        System.out.println("ParallelWalRecoveryTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        final List<ParallelWalRecovery.Shard> shards = new ArrayList<>();
        final List<RandomWorkload> workloads = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            final Path directory = root.resolve("shard-" + shard);
            shards.add(new ParallelWalRecovery.Shard(shard, directory));
            final RandomWorkload workload = new RandomWorkload(SEED + shard);
            workloads.add(workload);
            final WalConfig config = WalFixture.smallConfig(SamplesEncoding.DELTA_VARINT).withSizes(32 << 10, 16 << 10, 4 << 10);
            try (WalWriter writer = WalWriter.open(WalRecovery.recover(directory, shard, new RecordingVisitor(), allocator),
                config, allocator)) {
                workload.append(writer, 60 + 20 * shard, 400);
            }
        }
        final RecordingVisitor[] visitors = new RecordingVisitor[SHARDS];
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final List<WalRecovery> results = ParallelWalRecovery.recoverAll(shards, shard -> {
            visitors[shard] = new RecordingVisitor() {
                @Override
                public void samples(final SamplesRecordView samples) {
                    threads.add(Thread.currentThread());
                    super.samples(samples);
                }
            };
            return visitors[shard];
        }, allocator, 2);
        assertThat(threads).hasSizeBetween(1, 2);
        for (int shard = 0; shard < SHARDS; shard++) {
            assertThat(results.get(shard).shard()).isEqualTo(shard);
            assertThat(visitors[shard].flattened()).as("shard=%d", shard).isEqualTo(workloads.get(shard).expected);
            assertThat(results.get(shard).samplesReplayed()).isEqualTo(
                workloads.get(shard).expected.stream().filter(s -> !s.startsWith("S")).count());
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldReportAFailedShardAfterTheOthersFinished() throws IOException {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        final WalFixture fixture = new WalFixture();
        final List<ParallelWalRecovery.Shard> shards = new ArrayList<>();
        for (int shard = 0; shard < 3; shard++) {
            final Path directory = root.resolve("shard-" + shard);
            shards.add(new ParallelWalRecovery.Shard(WalFixture.SHARD, directory));
            fixture.write(directory, WalFixture.smallConfig(SamplesEncoding.FIXED_16), 5);
        }
        final Path damaged = WalFixture.segmentPath(root.resolve("shard-1"), 0);
        final byte[] bytes = Files.readAllBytes(damaged);
        bytes[0] = 'X';
        Files.write(damaged, bytes);
        final ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            final RecordingVisitor[] visitors = new RecordingVisitor[3];
            final int[] next = {0};
            assertThatThrownBy(() -> ParallelWalRecovery.recoverAll(shards, shard -> visitors[next[0]++] = new RecordingVisitor(),
                allocator, executor)).isInstanceOf(CorruptWalException.class).hasMessageContaining(damaged.toString());
            assertThat(visitors[0].entries).hasSize(5);
            assertThat(visitors[2].entries).hasSize(5);
        } finally {
            executor.shutdownNow();
        }
        allocator.assertNoLeaks();
        fixture.allocator.assertNoLeaks();
    }
}
