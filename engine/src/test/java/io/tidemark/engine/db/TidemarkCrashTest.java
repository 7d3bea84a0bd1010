package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.engine.testing.KilledChild;
import io.tidemark.engine.wal.Durability;
import io.tidemark.index.matchers.LabelMatcher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link TidemarkCrashChild} in a child JVM, kills it with SIGKILL after a seeded random number
 * of acknowledged batches, reopens the database here, and checks that every acknowledged sample is
 * there, intact, and that each series holds exactly the batches of earlier rounds plus an unbroken
 * run from this round's first batch. Several rounds on one data directory, alternating FSYNC and
 * OS_WRITE (both must survive a process crash). {@code -Dtidemark.crash.rounds=N} runs more.
 */
class TidemarkCrashTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final int ROUNDS = Integer.getInteger("tidemark.crash.rounds", 4);
    private static final long BATCHES_PER_ROUND = 1_000_000L;

    @TempDir
    Path directory;

    @Test
    void shouldKeepEveryAcknowledgedSampleAcrossKills() throws Exception {
        System.out.println("TidemarkCrashTest rounds=" + ROUNDS + " seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        final List<List<Long>> kept = new ArrayList<>();
        for (int i = 0; i < TidemarkCrashChild.SERIES; i++) {
            kept.add(new ArrayList<>());
        }
        for (int round = 0; round < ROUNDS; round++) {
            final Durability mode = round % 2 == 0 ? Durability.FSYNC : Durability.OS_WRITE_LOST_ON_POWER_FAILURE;
            final long firstBatch = (round + 1) * BATCHES_PER_ROUND;
            final int acks = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(200);
            final long acknowledged = KilledChild.runAndKill(TidemarkCrashChild.class, acks, directory.toString(), mode.name(),
                Long.toString(firstBatch));
            try (Tidemark db = Tidemark.open(TidemarkCrashChild.config(directory, mode))) {
                // head and blocks together: the child seals ten-second blocks and checkpoints its WAL as it goes
                final SeriesSet set = db.queryable("crash").select(
                    List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "crash_total")), Long.MIN_VALUE, Long.MAX_VALUE);
                final SampleBuffer samples = new SampleBuffer(256);
                int fullyKept = 0;
                while (set.next()) {
                    final int series = Integer.parseInt(set.labels().get("series"));
                    final List<Long> batches = new ArrayList<>();
                    set.samples(samples);
                    for (int i = 0; i < samples.size(); i++) {
                        final long timestamp = samples.timestamps()[i];
                        final long batch = timestamp / 1000;
                        assertThat(timestamp).isEqualTo(batch * 1000);
                        assertThat(samples.values()[i]).as("round %d series %d batch %d", round, series, batch)
                            .isEqualTo(TidemarkCrashChild.value(batch, series));
                        batches.add(batch);
                    }
                    final List<Long> before = kept.get(series);
                    assertThat(batches.subList(0, Math.min(before.size(), batches.size()))).as("round %d series %d: earlier rounds", round, series)
                        .isEqualTo(before);
                    final List<Long> fresh = batches.subList(before.size(), batches.size());
                    for (int b = 0; b < fresh.size(); b++) {
                        assertThat(fresh.get(b)).as("round %d series %d: an unbroken run", round, series).isEqualTo(firstBatch + b);
                    }
                    final long last = fresh.isEmpty() ? firstBatch - 1 : fresh.getLast();
                    assertThat(last).as("round %d series %d: every acknowledged batch", round, series).isGreaterThanOrEqualTo(acknowledged);
                    fullyKept += last == acknowledged ? 1 : 0;
                    kept.set(series, new ArrayList<>(batches));
                }
                if (acknowledged >= firstBatch) {
                    assertThat(set.size()).as("round %d: every series that had an acknowledged sample", round)
                        .isEqualTo(TidemarkCrashChild.SERIES);
                }
                System.out.println("TidemarkCrashTest round=" + round + " mode=" + mode + " acks=" + acks
                    + " acknowledgedBatch=" + (acknowledged < firstBatch ? "none" : acknowledged - firstBatch)
                    + " series=" + set.size() + " seriesEndingAtTheLastAck=" + fullyKept + " blocks=" + db.blocks("crash").size()
                    + " walCheckpoint=" + db.recoveries().stream().mapToLong(r -> r.checkpoint()).max().orElse(-1));
            }
        }
    }
}
