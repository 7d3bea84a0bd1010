package io.tidemark.engine.wal;

import io.tidemark.codecs.block.Crc32cFrames;
import io.tidemark.memory.MappedFile;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads every record of a shard's WAL directory — the newest checkpoint, then every segment — and
 * checks every header, every CRC32C, every record's content, the segment numbers and the sequence
 * continuity, without changing anything. Reports the first damage found with its file and offset.
 *
 * <p>Meant for a directory no writer has open (an operator's check, a test). On a live directory the
 * segment being written may end in a record that is only partly written, which shows as damage at
 * its end; and a checkpoint running meanwhile may delete files under the verifier.
 */
public final class WalVerifier {
    private WalVerifier() {
    }

    /**
     * The outcome of {@link #verify}.
     *
     * @param intact   true if nothing was wrong
     * @param files    checkpoint and segment files read (up to the damage)
     * @param records  records whose checksum and content were checked
     * @param samples  samples decoded
     * @param file     the damaged file, or null if intact
     * @param offset   byte offset of the damage in it, or -1 if intact
     * @param problem  what was expected and what was found, or null if intact
     */
    public record Report(boolean intact, int files, long records, long samples, Path file, long offset, String problem) {
        @Override
        public String toString() {
            return intact ? "WAL intact: files=" + files + " records=" + records + " samples=" + samples
                : "WAL damaged: file=" + file + " offset=" + offset + ": " + problem + " (after files=" + files + " records="
                + records + ")";
        }
    }

    /** Checks the WAL of {@code shard} in {@code directory}; mappings go through {@code allocator}. */
    public static Report verify(final Path directory, final int shard, final NativeAllocator allocator) throws IOException {
        final SegmentReader reader = new SegmentReader();
        final DecodingVisitor decoder = new DecodingVisitor();
        int files = 0;
        long records = 0;
        long nextSequence = -1;
        long expectedSegment = -1;
        final long checkpoint = CheckpointFiles.newest(directory);
        try {
            if (checkpoint >= 0) {
                files++;
                nextSequence = CheckpointReader.replay(directory, shard, checkpoint, decoder, allocator, reader).nextSequence();
                records += reader.records;
                expectedSegment = checkpoint + 1;
            }
            for (final long segment : SegmentFiles.list(directory)) {
                if (segment <= checkpoint) {
                    continue; // replaced by the checkpoint; recovery deletes it
                }
                final Path path = SegmentFiles.path(directory, segment);
                if (expectedSegment >= 0 && segment != expectedSegment) {
                    return damaged(files, records, decoder, SegmentFiles.path(directory, expectedSegment), 0,
                        "segment " + expectedSegment + " (segment numbers follow each other), found no such file");
                }
                files++;
                if (Files.size(path) == 0) {
                    return damaged(files, records, decoder, path, 0, "a segment header, found an empty file");
                }
                try (MappedFile mapped = MappedFile.openReadOnly(allocator, path)) {
                    final long firstSequence = SegmentHeader.check(path, mapped.segment(), shard, segment);
                    if (nextSequence >= 0 && firstSequence != nextSequence) {
                        return damaged(files, records, decoder, path, SegmentHeaderLayout.FIRST_SEQUENCE_OFFSET,
                            "first sequence " + nextSequence + ", found " + firstSequence);
                    }
                    reader.read(path, mapped.segment(), segment, firstSequence, decoder);
                    records += reader.records;
                    if (reader.damage != 0) {
                        return damaged(files, records, decoder, path, reader.validEnd, Crc32cFrames.describe(reader.damage));
                    }
                }
                nextSequence = reader.nextSequence;
                expectedSegment = segment + 1;
            }
        } catch (final CorruptWalException e) {
            return damaged(files, records + reader.records, decoder, e.file(), e.offset(), e.getMessage());
        }
        return new Report(true, files, records, decoder.samples, null, -1, null);
    }

    private static Report damaged(final int files, final long records, final DecodingVisitor decoder, final Path file,
                                  final long offset, final String problem) {
        return new Report(false, files, records, decoder.samples, file, offset, problem);
    }

    /** Decodes every sample, so that content errors the checksum cannot see are found too. */
    private static final class DecodingVisitor implements WalVisitor {
        long samples;

        @Override
        public void series(final SeriesRecordView series) {
            // A SERIES record's labels are opaque to the WAL: its checksum is the whole check.
        }

        @Override
        public void samples(final SamplesRecordView view) {
            while (view.next()) {
                samples++;
            }
        }
    }
}
