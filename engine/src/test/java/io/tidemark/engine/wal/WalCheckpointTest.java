package io.tidemark.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.codecs.block.FrameLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checkpoint then recover: what is kept, repeated checkpoints, continuity, corruption, status and verify. */
class WalCheckpointTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final long BASE_TIME = 1_700_000_000_000L;

    @TempDir
    Path directory;

    private final WalFixture fixture = new WalFixture();

    @AfterEach
    void checkLeaks() {
        fixture.allocator.assertNoLeaks();
    }

    @ParameterizedTest
    @EnumSource(SamplesEncoding.class)
    void shouldReplayEverySeriesAndTheSamplesFromMinTimeThenLaterSegments(final SamplesEncoding encoding) throws IOException {
        System.out.println("WalCheckpointTest encoding=" + encoding + " seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final WalConfig config = WalFixture.smallConfig(encoding);
        writeRandom(config, new RandomWorkload(SEED), 400);
        final RecordingVisitor full = new RecordingVisitor();
        final WalRecovery before = fixture.recover(directory, full);
        final long[] segments = SegmentFiles.list(directory);
        assertThat(segments.length).isGreaterThan(4);
        final long through = segments[segments.length / 2];
        final long minTime = BASE_TIME + 400 * 15_000L / 3;
        final List<String> expected = CheckpointModel.afterCheckpoint(full.entries, through, minTime);
        assertThat(expected.size()).as("the cut drops something").isLessThan(full.flattened().size());

        final WalCheckpoint.Result result = WalCheckpoint.create(directory, WalFixture.SHARD, through, minTime, fixture.allocator,
            WalTestFiles.NO_SYNC);

        assertThat(result.created()).isTrue();
        assertThat(result.segmentsDeleted()).isEqualTo((int) (through - segments[0] + 1));
        assertThat(SegmentFiles.list(directory)).containsExactly(Arrays.stream(segments).filter(s -> s > through).toArray());
        assertThat(CheckpointFiles.list(directory)).containsExactly(through);
        final RecordingVisitor replayed = new RecordingVisitor();
        final WalRecovery after = fixture.recover(directory, replayed);
        assertThat(replayed.flattened()).isEqualTo(expected);
        assertThat(after.checkpoint()).isEqualTo(through);
        assertThat(after.checkpointSamplesReplayed()).isEqualTo(result.samplesKept());
        assertThat(after.nextSequence()).isEqualTo(before.nextSequence());
        assertThat(after.nextSegment()).isEqualTo(before.nextSegment());
        assertThat(after.corruptTailsCut()).isZero();
        assertThat(WalVerifier.verify(directory, WalFixture.SHARD, fixture.allocator).intact()).isTrue();
    }

    @Test
    void shouldLeaveOutTheSeriesNoLongerWantedAndKeepLaterSegmentsWhole() throws IOException {
        System.out.println("WalCheckpointTest keepSeries seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        writeRandom(WalFixture.smallConfig(SamplesEncoding.DELTA_VARINT), new RandomWorkload(SEED), 400);
        final RecordingVisitor full = new RecordingVisitor();
        fixture.recover(directory, full);
        final long[] segments = SegmentFiles.list(directory);
        final long through = segments[segments.length / 2];
        final long minTime = BASE_TIME + 400 * 15_000L / 3;
        final java.util.function.IntPredicate keep = id -> id % 3 != 0;
        final List<String> expected = CheckpointModel.afterCheckpoint(full.entries, through, minTime, keep);
        final long dropped = full.entries.stream().filter(e -> e.isSeries() && e.segment() <= through && !keep.test(e.seriesId())).count();
        assertThat(dropped).as("the workload logs series that the filter drops").isPositive();

        final WalCheckpoint.Result result = WalCheckpoint.create(directory, WalFixture.SHARD, through, minTime, keep, fixture.allocator,
            WalTestFiles.NO_SYNC);

        assertThat(result.seriesDropped()).isEqualTo(dropped);
        final RecordingVisitor replayed = new RecordingVisitor();
        fixture.recover(directory, replayed);
        assertThat(replayed.flattened()).isEqualTo(expected);
        assertThat(WalVerifier.verify(directory, WalFixture.SHARD, fixture.allocator).intact()).isTrue();
    }

    @Test
    void shouldKeepWhatRepeatedCheckpointsKeepWhileTheWriterContinuesAcrossRestarts() throws IOException {
        System.out.println("WalCheckpointTest repeated seed=" + SEED);
        final SplittableRandom random = new SplittableRandom(SEED);
        final WalConfig config = WalFixture.smallConfig(SamplesEncoding.DELTA_VARINT);
        final RandomWorkload workload = new RandomWorkload(SEED + 1);
        long minTime = Long.MIN_VALUE;
        for (int round = 1; round <= 6; round++) {
            writeRandom(config, workload, 80 + random.nextInt(80));
            final RecordingVisitor full = new RecordingVisitor();
            final WalRecovery before = fixture.recover(directory, full);
            final long[] segments = SegmentFiles.list(directory);
            final long through = segments[random.nextInt(segments.length - 1)];
            minTime = Math.max(minTime, BASE_TIME + random.nextLong(round * 600_000L));
            final List<String> expected = CheckpointModel.afterCheckpoint(full.entries, through, minTime);

            final WalCheckpoint.Result result = WalCheckpoint.create(directory, WalFixture.SHARD, through, minTime,
                fixture.allocator, WalTestFiles.NO_SYNC);
            assertThat(result.created()).isTrue();

            final RecordingVisitor replayed = new RecordingVisitor();
            final WalRecovery after = fixture.recover(directory, replayed);
            assertThat(replayed.flattened()).as("round=%d through=%d minTime=%d", round, through, minTime).isEqualTo(expected);
            assertThat(after.nextSequence()).isEqualTo(before.nextSequence());
            final WalStatus status = WalStatus.read(directory);
            assertThat(status.checkpoint()).isEqualTo(through);
            assertThat(status.checkpointsMade()).isEqualTo(round);
            assertThat(status.checkpointMinTime()).isEqualTo(minTime);
        }
    }

    @Test
    void shouldDoNothingWhenNoSegmentIsNewerThanTheCheckpoint() throws IOException {
        writeRandom(WalFixture.smallConfig(SamplesEncoding.FIXED_16), new RandomWorkload(SEED), 200);
        final long[] segments = SegmentFiles.list(directory);
        WalCheckpoint.create(directory, WalFixture.SHARD, segments[2], BASE_TIME, fixture.allocator, WalTestFiles.NO_SYNC);
        final WalCheckpoint.Result again = WalCheckpoint.create(directory, WalFixture.SHARD, segments[1], BASE_TIME,
            fixture.allocator, WalTestFiles.NO_SYNC);
        assertThat(again.created()).isFalse();
        assertThat(again.checkpoint()).isEqualTo(segments[2]);
        assertThatThrownBy(() -> WalCheckpoint.create(directory, WalFixture.SHARD, segments[segments.length - 1] + 5, BASE_TIME,
            fixture.allocator, WalTestFiles.NO_SYNC)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("throughSegment=" + (segments[segments.length - 1] + 5));
    }

    @Test
    void shouldDiscardFromAMissingFirstSegmentAfterTheCheckpointAndContinueThere() throws IOException {
        final WalConfig config = WalFixture.smallConfig(SamplesEncoding.FIXED_16);
        writeRandom(config, new RandomWorkload(SEED), 300);
        final long[] segments = SegmentFiles.list(directory);
        final long through = segments[1];
        WalCheckpoint.create(directory, WalFixture.SHARD, through, Long.MIN_VALUE, fixture.allocator, WalTestFiles.NO_SYNC);
        Files.delete(WalFixture.segmentPath(directory, through + 1));
        try (QuietRecoveryLog quiet = new QuietRecoveryLog()) {
            final WalRecovery recovery = fixture.recover(directory, new RecordingVisitor());
            assertThat(recovery.corruptTailsCut()).isEqualTo(1);
            assertThat(recovery.nextSegment()).isEqualTo(through + 1);
            assertThat(SegmentFiles.list(directory)).isEmpty();
            try (WalWriter writer = WalWriter.open(recovery, config, fixture.allocator)) {
                writer.appendSeries(1, new byte[] {1});
            }
            final WalRecovery again = fixture.recover(directory, new RecordingVisitor());
            assertThat(again.corruptTailsCut()).isZero();
            assertThat(again.nextSequence()).isEqualTo(recovery.nextSequence() + 1);
        }
    }

    @Test
    void shouldReportACorruptCheckpointWithFileAndOffsetAndDeleteNothing() throws IOException {
        writeRandom(WalFixture.smallConfig(SamplesEncoding.DELTA_VARINT), new RandomWorkload(SEED), 300);
        final long through = SegmentFiles.list(directory)[3];
        WalCheckpoint.create(directory, WalFixture.SHARD, through, BASE_TIME, fixture.allocator, WalTestFiles.NO_SYNC);
        final Path checkpoint = CheckpointFiles.path(directory, through);
        final byte[] pristine = Files.readAllBytes(checkpoint);
        final List<Long> frames = frameOffsets(pristine);
        assertThat(frames.size()).isGreaterThan(3);
        final long frame = frames.get(frames.size() / 2);
        final long end = frames.getLast();

        assertCorrupt(checkpoint, flipped(pristine, frame + FrameLayout.HEADER_BYTES + 3), frame, "CRC32C mismatch");
        assertCorrupt(checkpoint, Arrays.copyOf(pristine, (int) end), end, "END record");
        assertCorrupt(checkpoint, Arrays.copyOf(pristine, pristine.length - 5), end, "frame payload runs past the end");
        assertCorrupt(checkpoint, flipped(pristine, CheckpointLayout.MIN_TIME_OFFSET), CheckpointLayout.CHECKSUM_OFFSET,
            "header CRC32C");
        assertCorrupt(checkpoint, Arrays.copyOf(pristine, pristine.length + 8), pristine.length, "end of the file");
    }

    @Test
    void shouldReportTheFirstDamagedSegmentRecordWithFileAndOffset() throws IOException {
        writeRandom(WalFixture.smallConfig(SamplesEncoding.FIXED_16), new RandomWorkload(SEED), 300);
        final long[] segments = SegmentFiles.list(directory);
        WalCheckpoint.create(directory, WalFixture.SHARD, segments[1], BASE_TIME, fixture.allocator, WalTestFiles.NO_SYNC);
        final WalVerifier.Report intact = WalVerifier.verify(directory, WalFixture.SHARD, fixture.allocator);
        assertThat(intact.intact()).as("%s", intact).isTrue();
        assertThat(intact.files()).isEqualTo(segments.length - 1);

        final Path damaged = WalFixture.segmentPath(directory, segments[3]);
        final List<Long> ends = WalFixture.boundaries(Files.readAllBytes(damaged));
        WalFixture.flip(damaged, ends.get(2) + 9);
        WalFixture.flip(WalFixture.segmentPath(directory, segments[4]), ends.get(1) + 9);
        final WalVerifier.Report report = WalVerifier.verify(directory, WalFixture.SHARD, fixture.allocator);
        assertThat(report.intact()).isFalse();
        assertThat(report.file()).isEqualTo(damaged);
        assertThat(report.offset()).isEqualTo(ends.get(2));
        assertThat(report.problem()).contains("CRC32C mismatch");
    }

    @Test
    void shouldShowSizeSegmentsAndTheLastCheckpoint() throws IOException {
        writeRandom(WalFixture.smallConfig(SamplesEncoding.FIXED_16), new RandomWorkload(SEED), 300);
        final WalStatus none = WalStatus.read(directory);
        final long[] segments = SegmentFiles.list(directory);
        assertThat(none.checkpoint()).isEqualTo(-1);
        assertThat(none.checkpointsMade()).isZero();
        assertThat(none.segments()).isEqualTo(segments.length);
        final long before = System.currentTimeMillis();
        WalCheckpoint.create(directory, WalFixture.SHARD, segments[2], BASE_TIME, fixture.allocator, WalTestFiles.NO_SYNC);
        final long after = System.currentTimeMillis();

        final WalStatus status = WalStatus.read(directory);
        long bytes;
        try (Stream<Path> files = Files.list(directory)) {
            bytes = files.mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(status.bytesOnDisk()).isEqualTo(bytes);
        assertThat(status.segments()).isEqualTo(segments.length - 3);
        assertThat(status.firstSegment()).isEqualTo(segments[3]);
        assertThat(status.lastSegment()).isEqualTo(segments[segments.length - 1]);
        assertThat(status.checkpoint()).isEqualTo(segments[2]);
        assertThat(status.checkpointBytes()).isEqualTo(Files.size(CheckpointFiles.path(directory, segments[2])));
        assertThat(status.lastCheckpointMillis()).isBetween(before, after);
        assertThat(status.checkpointsMade()).isEqualTo(1);
    }

    private void assertCorrupt(final Path checkpoint, final byte[] content, final long offset, final String problem)
        throws IOException {
        final byte[] pristine = Files.readAllBytes(checkpoint);
        final long[] segments = SegmentFiles.list(directory);
        Files.write(checkpoint, content);
        try {
            assertThatThrownBy(() -> fixture.recover(directory, new RecordingVisitor())).isInstanceOf(CorruptWalException.class)
                .hasMessageContaining(checkpoint.toString()).hasMessageContaining(problem)
                .satisfies(e -> assertThat(((CorruptWalException) e).offset()).isEqualTo(offset));
            assertThat(SegmentFiles.list(directory)).as("nothing deleted").containsExactly(segments);
            assertThat(Files.readAllBytes(checkpoint)).as("not cut").isEqualTo(content);
            final WalVerifier.Report report = WalVerifier.verify(directory, WalFixture.SHARD, fixture.allocator);
            assertThat(report.file()).isEqualTo(checkpoint);
            assertThat(report.offset()).isEqualTo(offset);
        } finally {
            Files.write(checkpoint, pristine);
        }
    }

    private void writeRandom(final WalConfig config, final RandomWorkload workload, final int operations) throws IOException {
        final WalRecovery recovery = fixture.recover(directory, new RecordingVisitor());
        try (WalWriter writer = WalWriter.open(recovery, config, fixture.allocator)) {
            workload.append(writer, operations, 40);
        }
    }

    /** Offsets of the frames of a checkpoint file, the END record's last. */
    private static List<Long> frameOffsets(final byte[] file) {
        final java.lang.foreign.MemorySegment bytes = java.lang.foreign.MemorySegment.ofArray(file);
        final List<Long> offsets = new java.util.ArrayList<>();
        long at = CheckpointLayout.HEADER_BYTES;
        while (at < file.length) {
            offsets.add(at);
            at += FrameLayout.HEADER_BYTES + Integer.toUnsignedLong(bytes.get(FrameLayout.U32, at));
        }
        return offsets;
    }

    private static byte[] flipped(final byte[] file, final long offset) {
        final byte[] copy = file.clone();
        copy[(int) offset] ^= 0x10;
        return copy;
    }
}
