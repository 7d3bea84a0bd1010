package io.tidemark.engine.wal;

import io.tidemark.codecs.block.FrameLayout;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How a {@link WalWriter} writes. Start from {@link #defaults()} and change fields with the
 * {@code with*} methods; the constructor checks every bound and names the offending field.
 *
 * @param durability        when a record counts as durable (default {@link Durability#FSYNC})
 * @param segmentBytes      size at which a segment file is closed and the next one started; a record never
 *                          straddles two segments (default 128 MiB, at most 1 GiB)
 * @param bufferBytes       the off-heap write buffer; it goes to the OS when full (default 1 MiB)
 * @param maxRecordBytes    most payload bytes of one record; larger sample batches are split into several
 *                          records (default 256 KiB)
 * @param commitRecords     group commit: commit once this many records are uncommitted (default 64)
 * @param commitDelayMicros group commit: commit once the oldest uncommitted record is this old, as seen by
 *                          {@link WalWriter#maybeCommit(long)} (default 1000 µs)
 * @param backgroundSync    in {@link Durability#FSYNC} mode, force segments on a thread of the writer's own so
 *                          that the shard thread keeps appending during an {@code fdatasync} (default true);
 *                          false forces on the shard thread inside the commit
 * @param samplesEncoding   the SAMPLES layout written (default {@link SamplesEncoding#DELTA_VARINT})
 * @param files             the file facade (default {@link WalFiles#SYSTEM})
 * @param nanoClock         the clock of the delay rule, in nanoseconds (default {@link System#nanoTime()});
 *                          the times given to {@link WalWriter#maybeCommit(long)} must come from it
 */
public record WalConfig(Durability durability, long segmentBytes, int bufferBytes, int maxRecordBytes, int commitRecords,
                        long commitDelayMicros, boolean backgroundSync, SamplesEncoding samplesEncoding, WalFiles files,
                        LongSupplier nanoClock) {
    /** Largest segment: the reader maps a segment whole and checks it through one 2 GiB buffer view. */
    public static final long MAX_SEGMENT_BYTES = 1L << 30;
    /** Smallest payload limit: a SERIES record of a few labels must fit. */
    public static final int MIN_RECORD_BYTES = 1024;

    private static final WalConfig DEFAULTS = new WalConfig(Durability.FSYNC, 128L << 20, 1 << 20, 256 << 10, 64, 1000, true,
        SamplesEncoding.DELTA_VARINT, WalFiles.SYSTEM, System::nanoTime);

    /** Checks the bounds. */
    public WalConfig {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(samplesEncoding, "samplesEncoding");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(nanoClock, "nanoClock");
        if (maxRecordBytes < MIN_RECORD_BYTES || maxRecordBytes > FrameLayout.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("maxRecordBytes out of range: maxRecordBytes=" + maxRecordBytes);
        }
        if (bufferBytes < FrameLayout.HEADER_BYTES + maxRecordBytes) {
            throw new IllegalArgumentException("bufferBytes must hold one frame of maxRecordBytes: bufferBytes=" + bufferBytes
                + " maxRecordBytes=" + maxRecordBytes);
        }
        if (segmentBytes > MAX_SEGMENT_BYTES
            || segmentBytes < SegmentHeaderLayout.HEADER_BYTES + FrameLayout.HEADER_BYTES + (long) maxRecordBytes) {
            throw new IllegalArgumentException("segmentBytes must hold the header and one frame of maxRecordBytes and be at most "
                + MAX_SEGMENT_BYTES + ": segmentBytes=" + segmentBytes + " maxRecordBytes=" + maxRecordBytes);
        }
        if (commitRecords < 1) {
            throw new IllegalArgumentException("commitRecords must be positive: commitRecords=" + commitRecords);
        }
        if (commitDelayMicros < 0) {
            throw new IllegalArgumentException("commitDelayMicros must not be negative: commitDelayMicros=" + commitDelayMicros);
        }
    }

    /** The defaults listed above. */
    public static WalConfig defaults() {
        return DEFAULTS;
    }

    /** With another durability mode. */
    public WalConfig withDurability(final Durability value) {
        return new WalConfig(value, segmentBytes, bufferBytes, maxRecordBytes, commitRecords, commitDelayMicros,
            backgroundSync, samplesEncoding, files, nanoClock);
    }

    /** With another segment size. */
    public WalConfig withSegmentBytes(final long value) {
        return withSizes(value, bufferBytes, maxRecordBytes);
    }

    /** With other sizes of segment, write buffer and record payload, checked together. */
    public WalConfig withSizes(final long segment, final int buffer, final int maxRecord) {
        return new WalConfig(durability, segment, buffer, maxRecord, commitRecords, commitDelayMicros,
            backgroundSync, samplesEncoding, files, nanoClock);
    }

    /** With another group commit rule: every {@code records} records or {@code delayMicros} µs, whichever comes first. */
    public WalConfig withGroupCommit(final int records, final long delayMicros) {
        return new WalConfig(durability, segmentBytes, bufferBytes, maxRecordBytes, records, delayMicros,
            backgroundSync, samplesEncoding, files, nanoClock);
    }

    /** With the fsync of FSYNC mode on a background thread ({@code true}) or on the shard thread. */
    public WalConfig withBackgroundSync(final boolean value) {
        return new WalConfig(durability, segmentBytes, bufferBytes, maxRecordBytes, commitRecords, commitDelayMicros,
            value, samplesEncoding, files, nanoClock);
    }

    /** With another SAMPLES encoding. */
    public WalConfig withSamplesEncoding(final SamplesEncoding value) {
        return new WalConfig(durability, segmentBytes, bufferBytes, maxRecordBytes, commitRecords, commitDelayMicros,
            backgroundSync, value, files, nanoClock);
    }

    /** With another file facade. */
    public WalConfig withFiles(final WalFiles value) {
        return new WalConfig(durability, segmentBytes, bufferBytes, maxRecordBytes, commitRecords, commitDelayMicros,
            backgroundSync, samplesEncoding, value, nanoClock);
    }

    /** With another clock. */
    public WalConfig withNanoClock(final LongSupplier value) {
        return new WalConfig(durability, segmentBytes, bufferBytes, maxRecordBytes, commitRecords, commitDelayMicros,
            backgroundSync, samplesEncoding, files, value);
    }
}
