package io.tidemark.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.testing.KilledChild;
import io.tidemark.memory.NativeAllocator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at seeded random moments, several rounds on one WAL,
 * cycling through FSYNC with a background syncer, OS_WRITE, and FSYNC on the shard thread (all
 * must survive a process crash). After each kill the WAL
 * must replay every batch the child acknowledged, intact, and whatever follows must be a prefix of
 * what the child was appending. {@code -Dtidemark.crash.rounds=N} runs more rounds.
 */
class WalCrashTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final int ROUNDS = Integer.getInteger("tidemark.crash.rounds", 6);
    private static final long BATCHES_PER_ROUND = 1_000_000_000L;

    @TempDir
    Path directory;

    @Test
    void shouldKeepEveryAcknowledgedBatchAcrossKills() throws Exception {
        System.out.println("WalCrashTest rounds=" + ROUNDS + " seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        final List<String> kept = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            final Durability mode = round % 3 == 1 ? Durability.OS_WRITE_LOST_ON_POWER_FAILURE : Durability.FSYNC;
            final boolean backgroundSync = round % 3 == 0;
            final long firstBatch = (round + 1) * BATCHES_PER_ROUND;
            final int acksBeforeKill = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(120);
            final long acknowledged = runAndKill(mode, backgroundSync, firstBatch, acksBeforeKill);

            final RecordingVisitor replayed = new RecordingVisitor();
            final WalRecovery recovery = WalRecovery.recover(directory, 0, replayed, allocator);
            final List<String> all = replayed.flattened();
            assertThat(all.subList(0, Math.min(kept.size(), all.size()))).as("round=%d: earlier rounds' records", round)
                .isEqualTo(kept);
            final List<String> expected = new ArrayList<>();
            long batch = firstBatch;
            while (batch <= acknowledged || expected.size() < all.size() - kept.size()) {
                expected.addAll(WalCrashChild.batch(batch++));
            }
            final int acknowledgedSize = acknowledgedSize(firstBatch, acknowledged);
            final List<String> fresh = all.subList(kept.size(), all.size());
            System.out.println("WalCrashTest round=" + round + " mode=" + mode + " backgroundSync=" + backgroundSync + " acks=" + acksBeforeKill + " acknowledgedBatch="
                + (acknowledged < 0 ? "none" : acknowledged - firstBatch) + " samplesAndSeriesKept=" + fresh.size()
                + " acknowledgedEntries=" + acknowledgedSize + " " + recovery);
            assertThat(fresh.size()).as("round=%d: every acknowledged batch replays", round).isGreaterThanOrEqualTo(acknowledgedSize);
            assertThat(fresh).as("round=%d: what replays is what was appended", round).isEqualTo(expected.subList(0, fresh.size()));
            kept.addAll(fresh);
        }
        allocator.assertNoLeaks();
    }

    private static int acknowledgedSize(final long firstBatch, final long acknowledged) {
        int size = 0;
        for (long b = firstBatch; b <= acknowledged; b++) {
            size += WalCrashChild.batch(b).size();
        }
        return size;
    }

    /** Runs the child until it printed {@code acks} acknowledgements, kills it, returns the last batch acknowledged or -1. */
    private long runAndKill(final Durability mode, final boolean backgroundSync, final long firstBatch, final int acks) throws Exception {
        return KilledChild.runAndKill(WalCrashChild.class, acks, directory.toString(), mode.name(), Boolean.toString(backgroundSync),
            Long.toString(firstBatch));
    }
}
