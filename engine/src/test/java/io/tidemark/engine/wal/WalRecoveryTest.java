package io.tidemark.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.codecs.block.Crc32cFrames;
import io.tidemark.codecs.block.FrameLayout;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage other than a clean cut: bit flips, zero tails, damaged and missing middle segments, foreign headers. */
class WalRecoveryTest {
    @TempDir
    Path directory;

    private final WalFixture fixture = new WalFixture();
    private QuietRecoveryLog quiet;

    @BeforeEach
    void quiet() {
        quiet = new QuietRecoveryLog();
    }

    @AfterEach
    void checkLeaks() {
        quiet.close();
        fixture.allocator.assertNoLeaks();
    }

    @Test
    void shouldCutAtARecordWithAFlippedBitInItsLengthChecksumOrPayload() throws IOException {
        final Path pristine = directory.resolve("pristine");
        fixture.write(pristine, WalFixture.smallConfig(SamplesEncoding.FIXED_16).withSegmentBytes(1 << 20), 10);
        final byte[] file = Files.readAllBytes(WalFixture.segmentPath(pristine, 0));
        final List<Long> ends = WalFixture.boundaries(file);
        final RecordingVisitor all = new RecordingVisitor();
        fixture.recover(pristine, all);
        final int damaged = 6;
        final long frame = ends.get(damaged);
        final long payloadEnd = ends.get(damaged + 1);
        for (final long offset : new long[] {frame, frame + 3, frame + 4, frame + 7, frame + 8, frame + 20, payloadEnd - 1}) {
            final Path copy = directory.resolve("flip-" + offset);
            Files.createDirectories(copy);
            final byte[] flipped = file.clone();
            flipped[(int) offset] ^= 0x01;
            Files.write(WalFixture.segmentPath(copy, 0), flipped);
            final RecordingVisitor replayed = new RecordingVisitor();
            final WalRecovery recovery = fixture.recover(copy, replayed);
            assertThat(replayed.entries).as("offset=%d", offset).isEqualTo(all.entries.subList(0, damaged));
            assertThat(recovery.corruptTailsCut()).isEqualTo(1);
            assertThat(recovery.bytesDiscarded()).isEqualTo(file.length - frame);
            assertThat(Files.size(WalFixture.segmentPath(copy, 0))).isEqualTo(frame);
        }
    }

    @Test
    void shouldCutAZeroFilledTailAndKeepEveryRecord() throws IOException {
        fixture.write(directory, WalFixture.smallConfig(SamplesEncoding.DELTA_VARINT).withSegmentBytes(1 << 20), 10);
        final Path segment = WalFixture.segmentPath(directory, 0);
        final long size = Files.size(segment);
        final byte[] withZeros = Arrays.copyOf(Files.readAllBytes(segment), (int) size + 8192);
        Files.write(segment, withZeros);
        final RecordingVisitor replayed = new RecordingVisitor();
        final WalRecovery recovery = fixture.recover(directory, replayed);
        assertThat(replayed.entries).hasSize(10);
        assertThat(recovery.corruptTailsCut()).isEqualTo(1);
        assertThat(recovery.bytesDiscarded()).isEqualTo(8192);
        assertThat(Files.size(segment)).isEqualTo(size);
    }

    @Test
    void shouldDiscardLaterSegmentsAfterACorruptRecordInAMiddleSegment() throws IOException {
        final WalConfig config = WalFixture.smallConfig(SamplesEncoding.FIXED_16).withSizes(4 << 10, 4 << 10, 1 << 10);
        fixture.write(directory, config, 100);
        final long[] segments = SegmentFiles.list(directory);
        assertThat(segments.length).isGreaterThanOrEqualTo(4);
        final RecordingVisitor all = new RecordingVisitor();
        fixture.recover(directory, all);
        final long keptBefore = all.entries.stream().filter(e -> e.segment() == 0).count();
        final Path middle = WalFixture.segmentPath(directory, 1);
        final List<Long> ends = WalFixture.boundaries(Files.readAllBytes(middle));
        final long laterBytes = Arrays.stream(segments).filter(s -> s > 1)
            .map(s -> WalFixture.segmentPath(directory, s).toFile().length()).sum();
        final long middleBytes = Files.size(middle);
        WalFixture.flip(middle, ends.get(2) + 12);

        final RecordingVisitor replayed = new RecordingVisitor();
        final WalRecovery recovery = fixture.recover(directory, replayed);
        assertThat(replayed.entries).isEqualTo(all.entries.subList(0, (int) keptBefore + 2));
        assertThat(recovery.corruptTailsCut()).isEqualTo(1);
        assertThat(recovery.segmentsDiscarded()).isEqualTo(segments.length - 2);
        assertThat(recovery.bytesDiscarded()).isEqualTo(laterBytes + middleBytes - ends.get(2));
        assertThat(Files.size(middle)).isEqualTo(ends.get(2));
        assertThat(SegmentFiles.list(directory)).containsExactly(0, 1);
        assertThat(recovery.nextSegment()).isEqualTo(2);
        assertWriterContinues(recovery, config, keptBefore + 2);
    }

    @Test
    void shouldDiscardFromAMissingSegment() throws IOException {
        final WalConfig config = WalFixture.smallConfig(SamplesEncoding.FIXED_16).withSizes(4 << 10, 4 << 10, 1 << 10);
        fixture.write(directory, config, 100);
        final long[] segments = SegmentFiles.list(directory);
        final RecordingVisitor all = new RecordingVisitor();
        fixture.recover(directory, all);
        final long inFirst = all.entries.stream().filter(e -> e.segment() == 0).count();
        Files.delete(WalFixture.segmentPath(directory, 1));

        final RecordingVisitor replayed = new RecordingVisitor();
        final WalRecovery recovery = fixture.recover(directory, replayed);
        assertThat(replayed.entries).isEqualTo(all.entries.subList(0, (int) inFirst));
        assertThat(recovery.corruptTailsCut()).isEqualTo(1);
        assertThat(recovery.segmentsDiscarded()).isEqualTo(segments.length - 2);
        assertThat(SegmentFiles.list(directory)).containsExactly(0);
        assertWriterContinues(recovery, config, inFirst);
    }

    @Test
    void shouldDiscardAnEmptySegmentFileAndReuseItsNumber() throws IOException {
        final WalConfig config = WalFixture.smallConfig(SamplesEncoding.DELTA_VARINT).withSizes(4 << 10, 4 << 10, 1 << 10);
        fixture.write(directory, config, 60);
        final long[] segments = SegmentFiles.list(directory);
        final long last = segments[segments.length - 1];
        final RecordingVisitor all = new RecordingVisitor();
        fixture.recover(directory, all);
        final long beforeLast = all.entries.stream().filter(e -> e.segment() < last).count();
        Files.write(WalFixture.segmentPath(directory, last), new byte[0]);

        final RecordingVisitor replayed = new RecordingVisitor();
        final WalRecovery recovery = fixture.recover(directory, replayed);
        assertThat(replayed.entries).isEqualTo(all.entries.subList(0, (int) beforeLast));
        assertThat(recovery.corruptTailsCut()).isEqualTo(1);
        assertThat(recovery.segmentsDiscarded()).isEqualTo(1);
        assertThat(recovery.nextSegment()).isEqualTo(last);
        assertWriterContinues(recovery, config, beforeLast);
    }

    @Test
    void shouldRejectAForeignOrDamagedHeaderNamingTheFile() throws IOException {
        fixture.write(directory, WalFixture.smallConfig(SamplesEncoding.FIXED_16), 3);
        final Path segment = WalFixture.segmentPath(directory, 0);
        final byte[] pristine = Files.readAllBytes(segment);
        for (int offset = 0; offset < SegmentHeaderLayout.HEADER_BYTES; offset++) {
            final byte[] flipped = pristine.clone();
            flipped[offset] ^= 0x40;
            Files.write(segment, flipped);
            final String expectedField = offset < 4 ? "magic" : offset < 6 ? "version" : "CRC32C";
            assertThatThrownBy(() -> fixture.recover(directory, new RecordingVisitor())).as("offset=%d", offset)
                .isInstanceOf(CorruptWalException.class)
                .hasMessageContaining(segment.toString()).hasMessageContaining(expectedField);
        }
        Files.write(segment, Arrays.copyOf(pristine, 20));
        assertThatThrownBy(() -> fixture.recover(directory, new RecordingVisitor()))
            .isInstanceOf(CorruptWalException.class).hasMessageContaining(segment.toString()).hasMessageContaining("20 bytes");
        Files.write(segment, pristine);
        assertThatThrownBy(() -> WalRecovery.recover(directory, WalFixture.SHARD + 1, new RecordingVisitor(), fixture.allocator))
            .isInstanceOf(CorruptWalException.class).hasMessageContaining("shard " + (WalFixture.SHARD + 1));
        assertThat(Files.readAllBytes(segment)).isEqualTo(pristine);
    }

    @Test
    void shouldRejectAChecksummedRecordOfAnUnknownType() throws IOException {
        fixture.write(directory, WalFixture.smallConfig(SamplesEncoding.FIXED_16), 3);
        final Path segment = WalFixture.segmentPath(directory, 0);
        final byte[] file = Files.readAllBytes(segment);
        final byte[] extended = Arrays.copyOf(file, file.length + FrameLayout.HEADER_BYTES + 4);
        final MemorySegment bytes = MemorySegment.ofArray(extended);
        bytes.set(ValueLayout.JAVA_BYTE, file.length + FrameLayout.HEADER_BYTES, WalRecordLayout.TYPE_RESERVED_TOMBSTONES);
        final MemorySegment sealed = MemorySegment.ofBuffer(java.nio.ByteBuffer.allocateDirect(extended.length)).copyFrom(bytes);
        new Crc32cFrames(sealed).seal(file.length, 4);
        Files.write(segment, sealed.toArray(ValueLayout.JAVA_BYTE));
        assertThatThrownBy(() -> fixture.recover(directory, new RecordingVisitor()))
            .isInstanceOf(CorruptWalException.class).hasMessageContaining("type 3").hasMessageContaining("offset=" + file.length);
    }

    @Test
    void shouldDeleteTheTemporaryFileOfAnInterruptedSegmentCreation() throws IOException {
        fixture.write(directory, WalFixture.smallConfig(SamplesEncoding.FIXED_16), 3);
        final Path temporary = SegmentFiles.temporaryPath(directory, 1);
        Files.write(temporary, new byte[] {1, 2, 3});
        final WalRecovery recovery = fixture.recover(directory, new RecordingVisitor());
        assertThat(temporary).doesNotExist();
        assertThat(recovery.temporariesDeleted()).isEqualTo(1);
        assertThat(recovery.corruptTailsCut()).isZero();
        assertThat(recovery.recordsReplayed()).isEqualTo(3);
    }

    @Test
    void shouldTruncateSegmentsBeforeACheckpointAndReplayTheRest() throws IOException {
        final WalConfig config = WalFixture.smallConfig(SamplesEncoding.FIXED_16).withSizes(4 << 10, 4 << 10, 1 << 10);
        final WalRecovery empty = fixture.recover(directory, new RecordingVisitor());
        assertThat(empty.nextSegment()).isZero();
        try (WalWriter writer = WalWriter.open(empty, config, fixture.allocator)) {
            WalFixture.appendRecords(writer, 150, 0);
            final long current = writer.segment();
            assertThat(current).isGreaterThan(3);
            assertThatThrownBy(() -> writer.truncateBefore(current + 1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(writer.truncateBefore(3)).isEqualTo(3);
            assertThat(writer.truncateBefore(3)).isZero();
        }
        final RecordingVisitor replayed = new RecordingVisitor();
        final WalRecovery recovery = fixture.recover(directory, replayed);
        assertThat(recovery.corruptTailsCut()).isZero();
        assertThat(replayed.entries.getFirst().segment()).isEqualTo(3);
        assertThat(replayed.entries.getLast().sequence()).isEqualTo(150);
        assertThat(recovery.nextSequence()).isEqualTo(151);
    }

    private void assertWriterContinues(final WalRecovery recovery, final WalConfig config, final long kept) throws IOException {
        try (WalWriter writer = WalWriter.open(recovery, config, fixture.allocator)) {
            assertThat(writer.segment()).isEqualTo(recovery.nextSegment());
            WalFixture.appendRecords(writer, 3, 42);
        }
        final RecordingVisitor replayed = new RecordingVisitor();
        final WalRecovery again = fixture.recover(directory, replayed);
        assertThat(again.corruptTailsCut()).isZero();
        assertThat(replayed.entries).hasSize((int) kept + 3);
        assertThat(replayed.entries.get((int) kept).seriesId()).isEqualTo(42);
        assertThat(again.nextSequence()).isEqualTo(kept + 4);
    }
}
