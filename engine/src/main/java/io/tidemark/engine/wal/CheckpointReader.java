package io.tidemark.engine.wal;

import io.tidemark.codecs.block.Crc32cFrames;
import io.tidemark.memory.MappedFile;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Replays one checkpoint file, all or nothing as far as checking goes: the header, every frame's
 * CRC32C, the END record closing the file and its counts. A checkpoint is written under a temporary
 * name and renamed only once forced, so a crash cannot leave a damaged one: any damage is reported
 * with {@link CorruptWalException} (file, offset, what was expected), never cut, because the
 * segments it replaced are gone.
 */
final class CheckpointReader {
    private CheckpointReader() {
    }

    /**
     * Checks checkpoint {@code checkpoint} of {@code directory} and hands its records to
     * {@code visitor} (which sees them before any damage further on is found; the caller stops on the
     * exception). Returns its header; {@code reader} holds the counts.
     */
    static CheckpointHeader replay(final Path directory, final int shard, final long checkpoint, final WalVisitor visitor,
                                   final NativeAllocator allocator, final SegmentReader reader) throws IOException {
        final Path path = CheckpointFiles.path(directory, checkpoint);
        try (MappedFile mapped = MappedFile.openReadOnly(allocator, path)) {
            final MemorySegment file = mapped.segment();
            if (file.byteSize() > Integer.MAX_VALUE) {
                throw new CorruptWalException(path, 0, "a checkpoint below 2 GiB", file.byteSize() + " bytes");
            }
            final CheckpointHeader header = CheckpointHeader.check(path, file, shard, checkpoint);
            reader.readCheckpoint(path, file, checkpoint, visitor);
            if (reader.damage != 0) {
                throw new CorruptWalException(path, reader.validEnd, "a valid CRC32C frame (checkpoints are never cut)",
                    Crc32cFrames.describe(reader.damage));
            }
            if (reader.endPayload < 0) {
                throw new CorruptWalException(path, reader.validEnd, "the END record that closes a checkpoint", "the end of the file");
            }
            if (reader.validEnd != file.byteSize()) {
                throw new CorruptWalException(path, reader.validEnd, "the end of the file after the END record",
                    (file.byteSize() - reader.validEnd) + " more bytes");
            }
            checkCount(path, file, reader.endPayload + CheckpointLayout.END_RECORDS_OFFSET, "records", reader.records);
            checkCount(path, file, reader.endPayload + CheckpointLayout.END_SERIES_OFFSET, "SERIES records", reader.seriesRecords);
            checkCount(path, file, reader.endPayload + CheckpointLayout.END_SAMPLES_OFFSET, "samples", reader.samples);
            return header;
        }
    }

    private static void checkCount(final Path path, final MemorySegment file, final long offset, final String what,
                                   final long counted) {
        final long stored = file.get(SegmentHeaderLayout.U64, offset);
        if (stored != counted) {
            throw new CorruptWalException(path, offset, "END counting " + counted + " " + what + " as read", stored + " " + what);
        }
    }
}
