package io.tidemark.engine.wal;

import io.tidemark.codecs.block.Crc32cFrames;
import io.tidemark.codecs.block.FrameLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Reads the records of one mapped segment, checking every frame, and hands them to a visitor. Stops
 * at the first frame that is truncated or fails its checksum and reports where the valid part ends.
 * Reusable across segments of one replay; single-threaded. Results are in fields, not objects.
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

    void read(final Path path, final MemorySegment file, final long segment, final long firstSequence,
              final WalVisitor visitor) {
        final Crc32cFrames frames = new Crc32cFrames(file);
        final long end = file.byteSize();
        long at = SegmentHeaderLayout.HEADER_BYTES;
        long sequence = firstSequence;
        records = 0;
        samples = 0;
        seriesRecords = 0;
        damage = 0;
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
            } else {
                throw new CorruptWalException(path, at, "record type 1 (SERIES) or 2 (SAMPLES) in WAL version "
                    + SegmentHeaderLayout.VERSION, "type " + type);
            }
            records++;
            sequence++;
            at = start + payload;
        }
        validEnd = at;
        nextSequence = sequence;
    }
}
