package io.tidemark.engine.wal;

import io.tidemark.codecs.block.FrameLayout;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes small WALs for recovery tests and finds their segment files and record boundaries. */
final class WalFixture {
    static final int SHARD = 7;
    final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);

    /** Small segments and records, no fsync. */
    static WalConfig smallConfig(final SamplesEncoding encoding) {
        return WalConfig.defaults().withSamplesEncoding(encoding).withSizes(8 << 10, 8 << 10, 2 << 10)
            .withFiles(WalTestFiles.NO_SYNC);
    }

    /** Writes {@code records} records to an empty directory: a SERIES record first, then 8-sample batches. */
    void write(final Path directory, final WalConfig config, final int records) throws IOException {
        final WalRecovery recovery = recover(directory, new RecordingVisitor());
        try (WalWriter writer = WalWriter.open(recovery, config, allocator)) {
            appendRecords(writer, records, 0);
        }
    }

    static void appendRecords(final WalWriter writer, final int records, final int salt) throws IOException {
        writer.appendSeries(salt, new byte[] {1, 2, 3, (byte) salt});
        for (int r = 1; r < records; r++) {
            writer.beginSamples();
            for (int i = 0; i < 8; i++) {
                writer.addSampleBits(salt + i, 1_700_000_000_000L + 15_000L * r + i, RandomWorkload.STALE_MARKER + r * 31L + i);
            }
            writer.endSamples();
        }
    }

    WalRecovery recover(final Path directory, final WalVisitor visitor) throws IOException {
        return WalRecovery.recover(directory, SHARD, visitor, allocator, WalTestFiles.NO_SYNC);
    }

    static Path segmentPath(final Path directory, final long segment) {
        return directory.resolve(SegmentFiles.name(segment));
    }

    /** Offsets where records end in a segment file, starting with the header's end. */
    static List<Long> boundaries(final byte[] file) {
        final MemorySegment bytes = MemorySegment.ofArray(file);
        final List<Long> ends = new ArrayList<>();
        long at = SegmentHeaderLayout.HEADER_BYTES;
        ends.add(at);
        while (at + FrameLayout.HEADER_BYTES <= file.length) {
            final long length = Integer.toUnsignedLong(bytes.get(FrameLayout.U32, at));
            if (at + FrameLayout.HEADER_BYTES + length > file.length) {
                break;
            }
            at += FrameLayout.HEADER_BYTES + length;
            ends.add(at);
        }
        return ends;
    }

    static void flip(final Path file, final long offset) throws IOException {
        final byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x10;
        Files.write(file, bytes);
    }
}
