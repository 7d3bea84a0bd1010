package io.tidemark.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A segment cut at every byte offset of its last four records: recovery must keep exactly the
 * records that end at or before the cut, count a cut whenever the offset is inside a record, leave
 * the file ending at the last valid record, and the writer must continue after it.
 */
class WalTornTailTest {
    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(SamplesEncoding.class)
    void shouldKeepExactlyTheRecordsBeforeACutAtEveryOffset(final SamplesEncoding encoding) throws IOException {
        final WalFixture fixture = new WalFixture();
        final WalConfig config = WalFixture.smallConfig(encoding).withSizes(1 << 20, 64 << 10, 2 << 10);
        final Path pristine = root.resolve("pristine");
        fixture.write(pristine, config, 12);
        final byte[] file = Files.readAllBytes(WalFixture.segmentPath(pristine, 0));
        final List<Long> ends = WalFixture.boundaries(file);
        assertThat(ends).hasSize(13).last().isEqualTo((long) file.length);
        final RecordingVisitor all = new RecordingVisitor();
        fixture.recover(pristine, all);
        assertThat(all.entries).hasSize(12);

        int cuts = 0;
        try (QuietRecoveryLog quiet = new QuietRecoveryLog()) {
            cuts = cutEverywhere(fixture, config, file, ends, all);
        }
        assertThat(cuts).isGreaterThan(4 * 100);
        fixture.allocator.assertNoLeaks();
    }

    private int cutEverywhere(final WalFixture fixture, final WalConfig config, final byte[] file, final List<Long> ends,
                              final RecordingVisitor all) throws IOException {
        int cuts = 0;
        for (long cut = ends.get(ends.size() - 5); cut <= file.length; cut++) {
            final Path directory = root.resolve("cut-" + cut);
            Files.createDirectories(directory);
            final Path segment = WalFixture.segmentPath(directory, 0);
            Files.write(segment, Arrays.copyOf(file, (int) cut));
            int kept = 0;
            while (kept + 1 < ends.size() && ends.get(kept + 1) <= cut) {
                kept++;
            }
            final long validEnd = ends.get(kept);

            final RecordingVisitor replayed = new RecordingVisitor();
            final WalRecovery recovery = fixture.recover(directory, replayed);
            assertThat(replayed.entries).as("cut=%d", cut).isEqualTo(all.entries.subList(0, kept));
            assertThat(recovery.corruptTailsCut()).as("cut=%d", cut).isEqualTo(cut == validEnd ? 0 : 1);
            assertThat(recovery.bytesDiscarded()).as("cut=%d", cut).isEqualTo(cut - validEnd);
            assertThat(Files.size(segment)).as("cut=%d", cut).isEqualTo(validEnd);
            assertThat(recovery.nextSequence()).isEqualTo(kept + 1L);

            try (WalWriter writer = WalWriter.open(recovery, config, fixture.allocator)) {
                WalFixture.appendRecords(writer, 2, 99);
            }
            final RecordingVisitor continued = new RecordingVisitor();
            final WalRecovery again = fixture.recover(directory, continued);
            assertThat(again.corruptTailsCut()).isZero();
            assertThat(continued.entries).hasSize(kept + 2);
            assertThat(continued.entries.subList(0, kept)).isEqualTo(all.entries.subList(0, kept));
            assertThat(continued.entries.get(kept).seriesId()).isEqualTo(99);
            assertThat(continued.entries.get(kept).sequence()).isEqualTo(kept + 1L);
            deleteRecursively(directory);
            cuts++;
        }
        return cuts;
    }

    private static void deleteRecursively(final Path directory) throws IOException {
        try (var entries = Files.list(directory)) {
            for (final Path entry : entries.toList()) {
                Files.delete(entry);
            }
        }
        Files.delete(directory);
    }
}
