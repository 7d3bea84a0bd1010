package io.tidemark.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint that dies at every one of its file operations in turn (all later operations fail, what
 * was written stays) must leave a WAL that recovers to the state before it or after it, never
 * anything else, so nothing at or after minTime is lost; and the next checkpoint must succeed.
 */
class WalCheckpointCrashTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final long MIN_TIME = 1_700_000_000_000L + 2_000_000L;

    @TempDir
    Path root;

    private final WalFixture fixture = new WalFixture();

    @AfterEach
    void checkLeaks() {
        fixture.allocator.assertNoLeaks();
    }

    @Test
    void shouldRecoverToBeforeOrAfterTheCheckpointWhereverItDies() throws IOException {
        System.out.println("WalCheckpointCrashTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final Path pristine = root.resolve("pristine");
        final WalConfig config = WalFixture.smallConfig(SamplesEncoding.DELTA_VARINT);
        final RandomWorkload workload = new RandomWorkload(SEED);
        final long[] throughs = new long[2];
        write(pristine, config, workload, 200);
        throughs[0] = SegmentFiles.list(pristine)[2];
        WalCheckpoint.create(pristine, WalFixture.SHARD, throughs[0], MIN_TIME - 1_000_000L, fixture.allocator,
            WalTestFiles.NO_SYNC);
        write(pristine, config, workload, 200);
        final long[] segments = SegmentFiles.list(pristine);
        throughs[1] = segments[segments.length - 2];

        final RecordingVisitor full = new RecordingVisitor();
        fixture.recover(copy(pristine, root.resolve("before")), full);
        final List<String> before = full.flattened();
        final List<String> after = CheckpointModel.afterCheckpoint(full.entries, throughs[1], MIN_TIME);
        assertThat(after).isNotEqualTo(before);

        boolean completed = false;
        final QuietRecoveryLog quiet = new QuietRecoveryLog();
        for (int crashAt = 0; !completed; crashAt++) {
            final Path directory = copy(pristine, root.resolve("crash-" + crashAt));
            final CrashingFiles files = new CrashingFiles(crashAt);
            try {
                WalCheckpoint.create(directory, WalFixture.SHARD, throughs[1], MIN_TIME, fixture.allocator, files);
                completed = true;
            } catch (final IOException e) {
                assertThat(e).hasMessageContaining("injected crash");
            }
            final boolean renamed = files.log.stream().anyMatch(op -> op.startsWith("rename "));
            final RecordingVisitor replayed = new RecordingVisitor();
            final WalRecovery recovery = fixture.recover(directory, replayed);
            assertThat(replayed.flattened()).as("crashAt=%d after %s", crashAt, files.log).isEqualTo(renamed ? after : before);
            assertThat(recovery.checkpoint()).isEqualTo(renamed ? throughs[1] : throughs[0]);
            assertThat(leftovers(directory)).as("crashAt=%d: recovery leaves no temporary or replaced file", crashAt).isEmpty();
            if (!completed) {
                WalCheckpoint.create(directory, WalFixture.SHARD, throughs[1], MIN_TIME, fixture.allocator, WalTestFiles.NO_SYNC);
                final RecordingVisitor again = new RecordingVisitor();
                fixture.recover(directory, again);
                assertThat(again.flattened()).as("crashAt=%d: checkpoint again", crashAt).isEqualTo(after);
            }
        }
        quiet.close();
    }

    @Test
    void shouldForceTheCheckpointBeforeItsRenameAndTheDirectoryBeforeDeleting() throws IOException {
        final Path directory = root.resolve("wal");
        write(directory, WalFixture.smallConfig(SamplesEncoding.FIXED_16), new RandomWorkload(SEED), 200);
        final long through = SegmentFiles.list(directory)[3];
        final CrashingFiles files = new CrashingFiles(Integer.MAX_VALUE);
        WalCheckpoint.create(directory, WalFixture.SHARD, through, MIN_TIME, fixture.allocator, files);

        final List<String> log = files.log;
        final String temporary = CheckpointFiles.temporaryPath(directory, through).getFileName().toString();
        final int lastWrite = log.lastIndexOf("write " + temporary);
        final int force = log.indexOf("force " + temporary);
        final int rename = log.indexOf("rename " + temporary + " " + CheckpointFiles.name(through));
        final int firstDelete = indexOfFirst(log, "delete 0");
        assertThat(lastWrite).as("%s", log).isPositive();
        assertThat(force).as("the file is forced after its last write: %s", log).isGreaterThan(lastWrite);
        assertThat(rename).as("renamed after the force: %s", log).isGreaterThan(force);
        assertThat(log.get(rename + 1)).as("directory forced right after the rename: %s", log).isEqualTo("forceDirectory");
        assertThat(firstDelete).as("segments deleted after that: %s", log).isGreaterThan(rename + 1);
        assertThat(log.getLast()).isEqualTo("forceDirectory");
    }

    private static int indexOfFirst(final List<String> log, final String prefix) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private void write(final Path directory, final WalConfig config, final RandomWorkload workload, final int operations)
        throws IOException {
        final WalRecovery recovery = fixture.recover(directory, new RecordingVisitor());
        try (WalWriter writer = WalWriter.open(recovery, config, fixture.allocator)) {
            workload.append(writer, operations, 40);
        }
    }

    /** Temporary files, and segments or checkpoints that the newest checkpoint replaced. */
    private static List<String> leftovers(final Path directory) throws IOException {
        final long checkpoint = CheckpointFiles.newest(directory);
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(SegmentFiles.TEMPORARY_SUFFIX)
                    || SegmentFiles.parse(n) >= 0 && SegmentFiles.parse(n) <= checkpoint
                    || CheckpointFiles.parse(n) >= 0 && CheckpointFiles.parse(n) < checkpoint)
                .toList();
        }
    }

    private static Path copy(final Path from, final Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (final Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return to;
    }
}
