package io.tidemark.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full file system is not a durability failure: writes and segment creation that fail with
 * {@code ENOSPC} leave the writer disk full, keeping its records, until {@link WalWriter#resume()}
 * writes them; nothing is acknowledged before it is written, and nothing acknowledged is lost. A
 * failed {@code fsync} stays fatal.
 */
class WalDiskFullTest {
    private static final int SERIES = 8;
    private static final long BASE = 1_700_000_000_000L;

    @TempDir
    Path directory;

    private final WalFixture fixture = new WalFixture();
    private final DiskFullFiles files = new DiskFullFiles();
    /** Every SERIES record and sample appended, as {@link RecordingVisitor#flattened()} spells them. */
    private final List<String> appended = new ArrayList<>();
    /** Per batch, the index in {@link #appended} after its last sample: the batch is whole in a WAL with that many entries. */
    private final List<Integer> batchEnds = new ArrayList<>();
    private QuietRecoveryLog quiet;
    private boolean batchOpen;

    @BeforeEach
    void quiet() {
        quiet = new QuietRecoveryLog();
    }

    @AfterEach
    void checkLeaks() {
        quiet.close();
        fixture.allocator.assertNoLeaks();
    }

    /** 16 KiB segments, 4 KiB buffer, a commit every 4 records: a full disk is met by commits, a full buffer and rolls. */
    private WalConfig config() {
        return WalConfig.defaults().withSizes(16 << 10, 4 << 10, 1 << 10).withGroupCommit(4, 0).withFiles(files);
    }

    @Test
    void shouldKeepRecordsWhileTheDiskIsFullAndWriteThemWhenSpaceReturns() throws IOException {
        final Path snapshot = directory.resolve("crash-while-full");
        final Path wal = directory.resolve("wal");
        Files.createDirectories(wal);
        final WalRecovery recovery = fixture.recover(wal, new RecordingVisitor());
        int batch = 0;
        long acknowledged;
        int refusals = 0;
        try (WalWriter writer = WalWriter.open(recovery, config(), fixture.allocator)) {
            for (int s = 0; s < SERIES; s++) {
                writer.appendSeries(s, labels(s));
                appended.add("S " + s + " " + Arrays.toString(labels(s)));
            }
            for (; batch < 200; batch++) {
                assertThat(appendBatch(writer, batch, 0)).isEqualTo(-1);
            }
            writer.sync();
            assertThat(writer.durablePosition().mark()).isEqualTo(199);

            // The disk fills part way through a write: what is buffered must stay, nothing new be acknowledged.
            files.room = 300;
            int held = -1;
            int heldFrom = -1;
            for (; batch < 2_000 && held < 0; batch++) {
                final int stopped = appendBatch(writer, batch, 0);
                if (stopped >= 0) {
                    held = batch;
                    heldFrom = stopped;
                    refusals++;
                }
            }
            assertThat(held).as("an append that needs to write must be refused").isNotNegative();
            assertThat(writer.diskFull()).isNotNull();
            assertThat(writer.diskFull()).hasMessageContaining("disk full").hasMessageContaining(DiskFullFiles.ENOSPC);
            assertThat(writer.durablePosition().isFailed()).isFalse();
            assertThat(writer.maybeCommit(Long.MAX_VALUE)).as("no commit while full").isFalse();
            for (int attempt = 0; attempt < 3; attempt++) {
                assertThat(writer.resume()).as("still full").isFalse();
                refusals++;
            }
            acknowledged = writer.durablePosition().mark();
            assertThat(acknowledged).as("batches acknowledged before the disk filled").isBetween(199L, (long) held - 1);
            assertThat(files.refusedWrites).isPositive();

            // A crash now loses only what was never acknowledged.
            copy(wal, snapshot);

            // Space returns: the held batch finishes, and everything after it is written as usual.
            files.room = DiskFullFiles.UNLIMITED;
            assertThat(writer.resume()).isTrue();
            assertThat(writer.diskFull()).isNull();
            assertThat(appendBatch(writer, held, heldFrom)).isEqualTo(-1);
            for (; batch < held + 1 + 600; batch++) {
                assertThat(appendBatch(writer, batch, 0)).isEqualTo(-1);
            }
            writer.sync();
            assertThat(writer.durablePosition().mark()).isEqualTo(batch - 1);
            assertThat(writer.segmentsCreated()).as("rolls after the disk full").isGreaterThan(2);
        }
        assertThat(refusals).isGreaterThan(1);

        final RecordingVisitor crashed = new RecordingVisitor();
        fixture.recover(snapshot, crashed);
        final List<String> whileFull = crashed.flattened();
        final int acknowledgedEnd = batchEnds.get((int) acknowledged);
        assertThat(whileFull.size()).as("every acknowledged batch survives a crash while full")
            .isGreaterThanOrEqualTo(acknowledgedEnd);
        assertThat(whileFull).isEqualTo(appended.subList(0, whileFull.size()));

        final RecordingVisitor reopened = new RecordingVisitor();
        fixture.recover(wal, reopened);
        assertThat(reopened.flattened()).as("everything appended, the held batch included, in order").isEqualTo(appended);
    }

    @Test
    void shouldRetryCreatingTheNextSegmentAndLeaveNoTemporaryFile() throws IOException {
        final WalRecovery recovery = fixture.recover(directory, new RecordingVisitor());
        try (WalWriter writer = WalWriter.open(recovery, config(), fixture.allocator)) {
            for (int s = 0; s < SERIES; s++) {
                writer.appendSeries(s, labels(s));
                appended.add("S " + s + " " + Arrays.toString(labels(s)));
            }
            files.failCreates = true;
            int batch = 0;
            int held = -1;
            int heldFrom = -1;
            for (; batch < 2_000 && held < 0; batch++) {
                final int stopped = appendBatch(writer, batch, 0);
                if (stopped >= 0) {
                    held = batch;
                    heldFrom = stopped;
                }
            }
            assertThat(held).as("the roll must meet the full disk").isNotNegative();
            assertThat(files.refusedCreates).isEqualTo(1);
            assertThat(writer.diskFull()).hasMessageContaining(DiskFullFiles.ENOSPC);
            final long durable = writer.durablePosition().mark();
            assertThat(durable).as("the closed segment was forced before the roll").isEqualTo(held - 1);
            assertThat(writer.resume()).isFalse();
            assertThat(SegmentFiles.temporaries(directory)).isEmpty();
            assertThat(SegmentFiles.list(directory)).containsExactly(0);

            files.failCreates = false;
            assertThat(writer.resume()).isTrue();
            assertThat(writer.lastCompletedSegment()).isZero();
            assertThat(appendBatch(writer, held, heldFrom)).isEqualTo(-1);
            for (; batch < held + 1 + 100; batch++) {
                assertThat(appendBatch(writer, batch, 0)).isEqualTo(-1);
            }
        }
        final RecordingVisitor reopened = new RecordingVisitor();
        fixture.recover(directory, reopened);
        assertThat(reopened.flattened()).isEqualTo(appended);
        assertThat(SegmentFiles.list(directory)).startsWith(0, 1);
    }

    @Test
    void shouldFailForGoodWhenAnFsyncRunsOutOfSpace() throws IOException {
        final WalRecovery recovery = fixture.recover(directory, new RecordingVisitor());
        try (WalWriter writer = WalWriter.open(recovery, config().withBackgroundSync(false), fixture.allocator)) {
            writer.appendSeries(0, labels(0));
            files.failForces = true;
            assertThatThrownBy(writer::commit).isInstanceOf(IOException.class).isNotInstanceOf(WalDiskFullException.class);
            assertThat(writer.diskFull()).isNull();
            assertThat(writer.durablePosition().isFailed()).isTrue();
            files.failForces = false;
            assertThatThrownBy(writer::resume).isInstanceOf(IllegalStateException.class).hasMessageContaining("failed");
        }
    }

    @Test
    void shouldLeaveEverySegmentWhenACheckpointRunsOutOfSpace() throws IOException {
        fixture.write(directory, WalFixture.smallConfig(SamplesEncoding.DELTA_VARINT), 400);
        final long[] segments = SegmentFiles.list(directory);
        assertThat(segments.length).isGreaterThan(2);
        final RecordingVisitor before = new RecordingVisitor();
        fixture.recover(directory, before);

        files.room = 500;
        assertThatThrownBy(() -> WalCheckpoint.create(directory, WalFixture.SHARD, segments[segments.length - 2], Long.MIN_VALUE,
            fixture.allocator, files)).isInstanceOf(IOException.class).satisfies(e -> assertThat(WalDiskFullException.isOutOfSpace(e)).isTrue());

        assertThat(SegmentFiles.list(directory)).containsExactly(segments);
        assertThat(CheckpointFiles.list(directory)).isEmpty();
        assertThat(CheckpointFiles.temporaries(directory)).isEmpty();
        final RecordingVisitor after = new RecordingVisitor();
        fixture.recover(directory, after);
        assertThat(after.flattened()).isEqualTo(before.flattened());
    }

    /**
     * Appends batch {@code batch} from its sample {@code from} on, as a shard thread does, and marks
     * it; returns -1 when done, or the index of the sample the WAL refused (the batch stays open).
     */
    private int appendBatch(final WalWriter writer, final int batch, final int from) throws IOException {
        if (!batchOpen) {
            writer.beginSamples();
            batchOpen = true;
        }
        for (int i = from; i < SERIES; i++) {
            final long time = BASE + 15_000L * batch + i;
            final long bits = RandomWorkload.STALE_MARKER + batch * 31L + i;
            try {
                writer.addSampleBits(i, time, bits);
            } catch (final WalDiskFullException e) {
                assertThat(e).hasMessageContaining("shard " + WalFixture.SHARD);
                return i;
            }
            appended.add(i + "/" + time + "/" + Long.toHexString(bits));
        }
        writer.endSamples();
        batchOpen = false;
        writer.mark(batch);
        while (batchEnds.size() <= batch) {
            batchEnds.add(-1);
        }
        batchEnds.set(batch, appended.size());
        return -1;
    }

    private static byte[] labels(final int series) {
        return new byte[] {1, 2, 3, (byte) series};
    }

    private static void copy(final Path from, final Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> list = Files.list(from)) {
            for (final Path file : list.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
