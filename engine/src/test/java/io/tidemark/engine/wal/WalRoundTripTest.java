package io.tidemark.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random batches (every NaN pattern, infinities, stale markers, time jumps that split FIXED_16
 * records) written over several writer sessions with small segments, then replayed: the flattened
 * records must equal what was appended, sequence numbers must run without gaps, and every session
 * must continue after the last.
 */
class WalRoundTripTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(SamplesEncoding.class)
    void shouldReplayExactlyWhatWasAppendedAcrossSessionsAndSegments(final SamplesEncoding encoding) throws IOException {
        System.out.println("WalRoundTripTest encoding=" + encoding + " seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        final RandomWorkload workload = new RandomWorkload(SEED);
        final WalConfig config = WalConfig.defaults().withSamplesEncoding(encoding).withSizes(64 << 10, 16 << 10, 4 << 10)
           .withGroupCommit(7, 1000).withFiles(WalTestFiles.NO_SYNC);
        long lastSequence = 0;
        long segmentsCreated = 0;
        for (int session = 0; session < 4; session++) {
            final RecordingVisitor replayed = new RecordingVisitor();
            final WalRecovery recovery = WalRecovery.recover(directory, 3, replayed, allocator, WalTestFiles.NO_SYNC);
            assertThat(replayed.flattened()).isEqualTo(workload.expected);
            assertThat(recovery.corruptTailsCut()).isZero();
            assertThat(recovery.nextSequence()).isEqualTo(lastSequence + 1);
            assertSequencesContiguous(replayed.entries);
            try (WalWriter writer = WalWriter.open(recovery, config, allocator)) {
                workload.append(writer, 120, 700);
                lastSequence = writer.lastSequence();
                segmentsCreated += writer.segmentsCreated();
            }
            assertThat(allocator.totalBytesInUse()).isZero();
        }
        final RecordingVisitor replayed = new RecordingVisitor();
        final WalRecovery recovery = WalRecovery.recover(directory, 3, replayed, allocator, WalTestFiles.NO_SYNC);
        assertThat(replayed.flattened()).isEqualTo(workload.expected);
        assertThat(recovery.recordsReplayed()).isEqualTo(lastSequence);
        assertThat(recovery.segmentsReplayed()).isEqualTo(segmentsCreated).isGreaterThan(8);
        assertThat(recovery.samplesReplayed()).isEqualTo(workload.expected.stream().filter(s -> !s.startsWith("S")).count());
        assertThat(recovery.seriesReplayed()).isEqualTo(workload.expected.stream().filter(s -> s.startsWith("S")).count());
        allocator.assertNoLeaks();
    }

    private static void assertSequencesContiguous(final List<RecordingVisitor.Entry> entries) {
        final List<Long> sequences = new ArrayList<>();
        for (final RecordingVisitor.Entry entry : entries) {
            sequences.add(entry.sequence());
        }
        for (int i = 0; i < sequences.size(); i++) {
            assertThat(sequences.get(i)).isEqualTo(i + 1L);
        }
    }
}
