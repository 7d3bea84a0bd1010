package io.tidemark.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shard thread appends (with segment rolls and group commit) while a checkpoint thread
 * checkpoints every segment the writer has completed, with a minimum time that follows the writer.
 * Afterwards the WAL replays every series, and the samples form an unbroken suffix of what was
 * written that holds every sample at or after the last checkpoint's minimum time.
 */
class WalCheckpointConcurrencyTest {
    private static final long BASE_TIME = 1_700_000_000_000L;
    private static final int BATCHES = 6_000;

    @TempDir
    Path directory;

    @Test
    void shouldKeepAppendingWhileAnotherThreadCheckpoints() throws Exception {
        final WalFixture fixture = new WalFixture();
        final WalConfig config = WalFixture.smallConfig(SamplesEncoding.DELTA_VARINT).withSizes(32 << 10, 16 << 10, 4 << 10);
        final WalRecovery recovery = fixture.recover(directory, new RecordingVisitor());
        final AtomicLong appendedBatch = new AtomicLong(-1);
        final AtomicLong lastMinTime = new AtomicLong(Long.MIN_VALUE);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<String> series = new ArrayList<>();
        final List<String> samples = new ArrayList<>();
        int checkpoints;
        try (WalWriter writer = WalWriter.open(recovery, config, fixture.allocator)) {
            final CheckpointThread checkpointer = new CheckpointThread(directory, writer, fixture, appendedBatch, lastMinTime, failure);
            checkpointer.start();
            for (int b = 0; b < BATCHES && failure.get() == null; b++) {
                if (b % 7 == 0) {
                    final byte[] labels = ("{__name__=\"m\",batch=\"" + b + "\"}").getBytes(StandardCharsets.UTF_8);
                    writer.appendSeries(b, labels);
                    series.add("S " + b + " " + java.util.Arrays.toString(labels));
                }
                writer.beginSamples();
                for (int i = 0; i < 20; i++) {
                    final long time = time(b, i);
                    writer.addSampleBits(b / 7 * 7, time, b * 31L + i);
                    samples.add((b / 7 * 7) + "/" + time + "/" + Long.toHexString(b * 31L + i));
                }
                writer.endSamples();
                writer.maybeCommit(System.nanoTime());
                appendedBatch.set(b);
                if (b % 1_000 == 999) {
                    // On a loaded machine the checkpoint thread may not be scheduled for a while: give it a
                    // chance to checkpoint while this writer still has appends to make, so the race is exercised.
                    final long deadline = System.nanoTime() + 10_000_000_000L;
                    while (checkpointer.covered() < writer.lastCompletedSegment() && System.nanoTime() < deadline
                        && failure.get() == null) {
                        Thread.sleep(1);
                    }
                }
            }
            checkpointer.finish();
            checkpoints = checkpointer.made();
        }
        assertThat(failure.get()).isNull();
        assertThat(checkpoints).as("checkpoints made while appending").isGreaterThan(5);

        final RecordingVisitor replayed = new RecordingVisitor();
        final WalRecovery after = fixture.recover(directory, replayed);
        assertThat(after.checkpoint()).isNotNegative();
        final List<String> replayedSeries = replayed.flattened().stream().filter(s -> s.startsWith("S ")).toList();
        final List<String> replayedSamples = replayed.flattened().stream().filter(s -> !s.startsWith("S ")).toList();
        assertThat(replayedSeries).isEqualTo(series);
        final long keptFrom = samples.stream().filter(s -> Long.parseLong(s.split("/")[1]) < lastMinTime.get()).count();
        assertThat(replayedSamples.size()).as("every sample from the last minTime").isGreaterThanOrEqualTo((int) (samples.size() - keptFrom));
        assertThat(replayedSamples).as("an unbroken suffix").isEqualTo(samples.subList(samples.size() - replayedSamples.size(),
            samples.size()));
        assertThat(WalVerifier.verify(directory, WalFixture.SHARD, fixture.allocator).intact()).isTrue();
        fixture.allocator.assertNoLeaks();
    }

    private static long time(final long batch, final int i) {
        return BASE_TIME + batch * 1000 + i;
    }

    /** Checkpoints whatever the writer completed, dropping samples older than 200 batches behind the writer. */
    private static final class CheckpointThread extends Thread {
        private final Path directory;
        private final WalWriter writer;
        private final WalFixture fixture;
        private final AtomicLong appendedBatch;
        private final AtomicLong lastMinTime;
        private final AtomicReference<Throwable> failure;
        private volatile boolean stop;
        private volatile int made;
        /** The last segment a checkpoint covers. */
        private volatile long covered = -1;

        CheckpointThread(final Path directory, final WalWriter writer, final WalFixture fixture, final AtomicLong appendedBatch,
                         final AtomicLong lastMinTime, final AtomicReference<Throwable> failure) {
            super("checkpoint");
            this.directory = directory;
            this.writer = writer;
            this.fixture = fixture;
            this.appendedBatch = appendedBatch;
            this.lastMinTime = lastMinTime;
            this.failure = failure;
        }

        @Override
        public void run() {
            try {
                long done = -1;
                while (!stop) {
                    final long through = writer.lastCompletedSegment();
                    if (through > done) {
                        final long minTime = Math.max(lastMinTime.get(), time(appendedBatch.get() - 200, 0));
                        lastMinTime.set(minTime);
                        final WalCheckpoint.Result result = WalCheckpoint.create(directory, WalFixture.SHARD, through, minTime,
                            fixture.allocator, WalTestFiles.NO_SYNC);
                        assertThat(result.created()).isTrue();
                        made = made + 1; // this thread only writes it
                        done = through;
                        covered = through;
                        WalStatus.read(directory);
                    } else {
                        Thread.onSpinWait();
                    }
                }
            } catch (final Throwable t) {
                failure.set(t);
            }
        }

        long covered() {
            return covered;
        }

        int made() {
            return made;
        }

        void finish() throws InterruptedException {
            stop = true;
            join();
        }
    }
}
