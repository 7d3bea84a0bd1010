package io.tidemark.engine.wal;

import io.tidemark.codecs.block.Crc32cFrames;
import io.tidemark.codecs.block.FrameLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Reads the records of one mapped segment or checkpoint, checking every frame, and hands them to a
 * visitor. Stops at the first frame that is truncated or fails its checksum and reports where the
 * valid part ends. Reusable across files of one replay; single-threaded. Results are in fields, not
 * objects.
 */
final class SegmentReader {
    private final SeriesRecordView seriesView = new SeriesRecordView();
    private final SamplesRecordView samplesView = new SamplesRecordView();

    /** Offset just after the last valid record. */
    long validEnd;
    /** 0 if the segment is valid to its end, else the negative {@link Crc32cFrames#check} result. */
    long damage;
    /** Records read. */
    long records;
    /** Samples in the SAMPLES records read. */
    long samples;
    /** SERIES records read. */
    long seriesRecords;
    /** The sequence number the next record would have. */
    long nextSequence;
    /** Checkpoints: offset of the END record's payload, or -1 if none was read. */
    long endPayload;

    /** Reads a segment's records, numbered from {@code firstSequence}. */
    void read(final Path path, final MemorySegment file, final long segment, final long firstSequence,
              final WalVisitor visitor) {
        read(path, file, SegmentHeaderLayout.HEADER_BYTES, segment, firstSequence, false, visitor);
    }

    /**
     * Reads a checkpoint's records up to and including its END record; they are shown with sequence
     * number 0 (a checkpoint does not keep the original numbers) and the checkpoint's number as segment.
     */
    void readCheckpoint(final Path path, final MemorySegment file, final long checkpoint, final WalVisitor visitor) {
        read(path, file, CheckpointLayout.HEADER_BYTES, checkpoint, 0, true, visitor);
    }

    private void read(final Path path, final MemorySegment file, final long first, final long segment,
                      final long firstSequence, final boolean checkpoint, final WalVisitor visitor) {
        final Crc32cFrames frames = new Crc32cFrames(file);
        final long end = file.byteSize();
        final long step = checkpoint ? 0 : 1;
        long at = first;
        long sequence = firstSequence;
        records = 0;
        samples = 0;
        seriesRecords = 0;
        damage = 0;
        endPayload = -1;
        while (at < end) {
            final long checked = frames.check(at, end);
            if (checked < 0) {
                damage = checked;
                break;
            }
            final int payload = (int) checked;
            final long start = at + FrameLayout.HEADER_BYTES;
            if (payload < 1) {
                throw new CorruptWalException(path, at, "a record (type byte at least)", "an empty frame with a valid checksum");
            }
            final byte type = file.get(ValueLayout.JAVA_BYTE, start + WalRecordLayout.TYPE_OFFSET);
            if (type == WalRecordLayout.TYPE_SAMPLES) {
                if (payload < WalRecordLayout.SAMPLES_DATA_OFFSET) {
                    throw new CorruptWalException(path, at, "a SAMPLES record of at least 16 bytes", payload + " bytes");
                }
                final byte code = file.get(ValueLayout.JAVA_BYTE, start + WalRecordLayout.SAMPLES_ENCODING_OFFSET);
                final SamplesEncoding encoding = SamplesEncoding.ofCode(code);
                if (encoding == null) {
                    throw new CorruptWalException(path, at, "SAMPLES encoding 1 or 2", "encoding " + code);
                }
                samplesView.reset(file, path, sequence, segment, encoding, start, payload);
                samples += samplesView.count();
                visitor.samples(samplesView);
            } else if (type == WalRecordLayout.TYPE_SERIES) {
                if (payload < WalRecordLayout.SERIES_LABELS_OFFSET) {
                    throw new CorruptWalException(path, at, "a SERIES record of at least 8 bytes", payload + " bytes");
                }
                seriesView.reset(file, sequence, segment, start, payload);
                seriesRecords++;
                visitor.series(seriesView);
            } else if (checkpoint && type == CheckpointLayout.TYPE_END) {
                if (payload != CheckpointLayout.END_PAYLOAD_BYTES) {
                    throw new CorruptWalException(path, at, "an END record of " + CheckpointLayout.END_PAYLOAD_BYTES + " bytes",
                        payload + " bytes");
                }
                endPayload = start;
                at = start + payload;
                break;
            } else {
                throw new CorruptWalException(path, at, "record type 1 (SERIES) or 2 (SAMPLES) in WAL version "
                    + SegmentHeaderLayout.VERSION, "type " + type);
            }
            records++;
            sequence += step;
            at = start + payload;
        }
        validEnd = at;
        nextSequence = sequence;
    }
}
