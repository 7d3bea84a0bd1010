package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.engine.testing.KilledChild;
import io.tidemark.engine.wal.Durability;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.tiering.block.BlockMeta;
import io.tidemark.tiering.block.BlockReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TidemarkCrashChild} with compaction ranges of 10 s → 20 s → 40 s → 80 s, so that the
 * sealer compacts almost continuously, killed with SIGKILL after a seeded random number of
 * acknowledged batches. Reopened here without a background agent: no two blocks overlap (the
 * parents and the merged block are never both visible), nothing half-written or half-deleted is
 * left, and every acknowledged batch of every round is there (never neither).
 */
class TidemarkCompactionCrashTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final int ROUNDS = Integer.getInteger("tidemark.crash.rounds", 4);
    private static final long BATCHES_PER_ROUND = 1_000_000L;
    private static final String RANGES = "1,2,4,8";

    @TempDir
    Path directory;

    @Test
    void shouldNeitherLoseNorDuplicateBlocksWhenKilledWhileCompacting() throws Exception {
        killRounds(0);
    }

    /**
     * The same with a retention of 5 min: each round starts a million seconds after the one before, so
     * its first seals expire every block of the earlier rounds; the kill lands in that deletion or in a
     * compaction. Earlier rounds may be partly or wholly gone; the current round is whole.
     */
    @Test
    void shouldKeepTheCurrentRoundWhenKilledWhileRetentionDeletes() throws Exception {
        killRounds(300_000);
    }

    private void killRounds(final long retentionMillis) throws Exception {
        System.out.println("TidemarkCompactionCrashTest rounds=" + ROUNDS + " retention=" + retentionMillis + " seed=" + SEED);
        final SplittableRandom random = new SplittableRandom(SEED);
        final long[] acknowledgedByRound = new long[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            final Durability mode = round % 2 == 0 ? Durability.FSYNC : Durability.OS_WRITE_LOST_ON_POWER_FAILURE;
            final long firstBatch = (round + 1) * BATCHES_PER_ROUND;
            final int acks = 20 + random.nextInt(250);
            acknowledgedByRound[round] = KilledChild.runAndKill(TidemarkCrashChild.class, acks, directory.toString(), mode.name(),
                Long.toString(firstBatch), RANGES, Long.toString(retentionMillis));
            try (Tidemark db = Tidemark.open(TidemarkCrashChild.config(directory, mode).withSealCheck(0)
                .withCompactionRanges(TidemarkCrashChild.ranges(RANGES)))) {
                final List<BlockReader> blocks = db.blocks("crash");
                for (int i = 1; i < blocks.size(); i++) {
                    final BlockMeta previous = blocks.get(i - 1).meta();
                    assertThat(blocks.get(i).meta().minTime()).as("round %d: block %s overlaps %s", round, blocks.get(i).meta(), previous)
                        .isGreaterThan(previous.maxTime());
                }
                assertThat(db.corruptBlocks()).isZero();
                try (Stream<Path> left = Files.list(directory.resolve("tenants/crash/blocks"))) {
                    assertThat(left.map(p -> p.getFileName().toString()))
                        .as("round %d: no temporary or half-deleted block", round).allMatch(name -> !name.contains("."));
                }
                checkEveryAcknowledgedBatch(db, round, acknowledgedByRound, retentionMillis > 0);
                final long merged = blocks.stream().filter(b -> b.meta().maxTime() - b.meta().minTime() >= 10_000).count();
                System.out.println("TidemarkCompactionCrashTest round=" + round + " acks=" + acks + " blocks=" + blocks.size()
                    + " mergedBlocks=" + merged + " oldestBlockMinTime=" + (blocks.isEmpty() ? "none" : blocks.getFirst().meta().minTime()));
            }
        }
    }

    /**
     * Each series holds, per round so far, an unbroken run of batches from the round's first through at
     * least its last ack; with retention, earlier rounds only need correct values where they are left.
     */
    private static void checkEveryAcknowledgedBatch(final Tidemark db, final int round, final long[] acknowledged,
                                                    final boolean earlierRoundsExpire) {
        final SeriesSet set = db.queryable("crash").select(
            List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "crash_total")), Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(set.size()).isEqualTo(TidemarkCrashChild.SERIES);
        final SampleBuffer samples = new SampleBuffer(256);
        while (set.next()) {
            final int series = Integer.parseInt(set.labels().get("series"));
            set.samples(samples);
            int at = 0;
            for (int r = 0; r <= round; r++) {
                final long first = (r + 1) * BATCHES_PER_ROUND;
                long expected = first;
                final boolean whole = r == round || !earlierRoundsExpire;
                while (at < samples.size() && samples.timestamps()[at] / 1000 < (r + 2) * BATCHES_PER_ROUND) {
                    final long batch = samples.timestamps()[at] / 1000;
                    if (whole) {
                        assertThat(batch).as("round %d series %d: unbroken run of round %d", round, series, r).isEqualTo(expected);
                    }
                    assertThat(samples.values()[at]).isEqualTo(TidemarkCrashChild.value(batch, series));
                    expected++;
                    at++;
                }
                if (whole) {
                    assertThat(expected - 1).as("round %d series %d: acknowledged batches of round %d", round, series, r)
                        .isGreaterThanOrEqualTo(acknowledged[r]);
                }
            }
        }
    }
}
