package io.tidemark.engine.wal;

import io.tidemark.codecs.block.Crc32cFrames;
import io.tidemark.codecs.block.FrameLayout;
import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.IntPredicate;

/**
 * Writes the body of a checkpoint file as a {@link WalVisitor} over the records it replaces: the
 * SERIES record of every series {@code keepSeries} accepts, and their samples at or after {@code minTime} re-encoded in
 * {@link SamplesEncoding#DELTA_VARINT} (which holds any span of time) into SAMPLES records of at most
 * {@link CheckpointLayout#MAX_SAMPLES_PAYLOAD} bytes, in the order they were read. Samples of
 * consecutive SAMPLES records share a record until a SERIES record comes, so a series is still logged
 * before its first sample. {@link #finish} appends the END record; the header is the caller's.
 *
 * <p>Records are built in an off-heap buffer ({@link MemoryTag#WAL}) and written from offset
 * {@link CheckpointLayout#HEADER_BYTES}. A visitor cannot throw {@link IOException}: write failures
 * surface as {@link UncheckedIOException}. Single-threaded; the caller closes the channel.
 */
final class CheckpointOutput implements WalVisitor, AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 20;
    private static final int SERIES_HEADER_WORD = WalRecordLayout.TYPE_SERIES << 24;
    private static final int END_HEADER_WORD = CheckpointLayout.TYPE_END << 24;

    private final WalFiles files;
    private final FileChannel channel;
    private final NativeAllocator allocator;
    private final Allocation allocation;
    private final MemorySegment buffer;
    private final ByteBuffer bufferView;
    private final Crc32cFrames frames;
    private final SamplesRecordEncoder encoder;
    private final long minTime;
    private final IntPredicate keepSeries;

    private int position;
    private boolean recordOpen;
    private long fileBytes = CheckpointLayout.HEADER_BYTES;

    /** Records written, END not counted. */
    long records;
    /** SERIES records written. */
    long seriesRecords;
    /** SERIES records left out, of series not kept. */
    long seriesDropped;
    /** Samples written. */
    long samplesKept;
    /** Samples read and left out, being older than {@code minTime} or of a series not kept. */
    long samplesDropped;

    CheckpointOutput(final WalFiles files, final FileChannel channel, final NativeAllocator allocator, final long minTime,
                     final IntPredicate keepSeries) throws IOException {
        this.keepSeries = keepSeries;
        this.files = files;
        this.channel = channel;
        this.allocator = allocator;
        this.minTime = minTime;
        this.allocation = allocator.allocate(MemoryTag.WAL, BUFFER_BYTES, 4096);
        this.buffer = allocation.segment();
        this.bufferView = buffer.asByteBuffer();
        this.frames = new Crc32cFrames(buffer);
        this.encoder = new SamplesRecordEncoder(buffer, SamplesEncoding.DELTA_VARINT);
        try {
            channel.position(CheckpointLayout.HEADER_BYTES);
        } catch (final IOException e) {
            allocation.close();
            throw e;
        }
    }

    @Override
    public void series(final SeriesRecordView series) {
        if (!keepSeries.test(series.seriesId())) {
            seriesDropped++;
            return;
        }
        try {
            sealSamples();
            final int payload = WalRecordLayout.SERIES_LABELS_OFFSET + series.labelsLength();
            final int frameBytes = FrameLayout.HEADER_BYTES + payload;
            if (frameBytes > BUFFER_BYTES) {
                writeLargeSeries(series, payload);
            } else {
                if (BUFFER_BYTES - position < frameBytes) {
                    flush();
                }
                position = (int) encodeSeries(buffer, frames, position, series, payload);
            }
            records++;
            seriesRecords++;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void samples(final SamplesRecordView samples) {
        try {
            while (samples.next()) {
                final long timestamp = samples.timestamp();
                if (timestamp < minTime || !keepSeries.test(samples.seriesId())) {
                    samplesDropped++;
                    continue;
                }
                if (!recordOpen) {
                    beginSamples(timestamp);
                }
                if (!encoder.add(samples.seriesId(), timestamp, samples.valueBits())) {
                    sealSamples();
                    beginSamples(timestamp);
                    encoder.add(samples.seriesId(), timestamp, samples.valueBits());
                }
                samplesKept++;
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seals the open SAMPLES record, appends the END record and writes everything out; returns the file's length. */
    long finish() throws IOException {
        sealSamples();
        final int frameBytes = FrameLayout.HEADER_BYTES + CheckpointLayout.END_PAYLOAD_BYTES;
        if (BUFFER_BYTES - position < frameBytes) {
            flush();
        }
        final long payload = position + FrameLayout.HEADER_BYTES;
        buffer.asSlice(payload, CheckpointLayout.END_PAYLOAD_BYTES).fill((byte) 0);
        buffer.set(WalRecordLayout.I32, payload, END_HEADER_WORD);
        buffer.set(WalRecordLayout.I64, payload + CheckpointLayout.END_RECORDS_OFFSET, records);
        buffer.set(WalRecordLayout.I64, payload + CheckpointLayout.END_SERIES_OFFSET, seriesRecords);
        buffer.set(WalRecordLayout.I64, payload + CheckpointLayout.END_SAMPLES_OFFSET, samplesKept);
        position = (int) frames.seal(position, CheckpointLayout.END_PAYLOAD_BYTES);
        flush();
        return fileBytes;
    }

    private void beginSamples(final long timestamp) throws IOException {
        if (BUFFER_BYTES - position < FrameLayout.HEADER_BYTES + CheckpointLayout.MAX_SAMPLES_PAYLOAD) {
            flush();
        }
        encoder.begin(position, CheckpointLayout.MAX_SAMPLES_PAYLOAD, timestamp);
        recordOpen = true;
    }

    private void sealSamples() {
        if (recordOpen) {
            recordOpen = false;
            position = (int) frames.seal(encoder.frame(), encoder.seal());
            records++;
        }
    }

    /** Writes a SERIES frame at {@code frame} in {@code out}; returns the offset after it. */
    private static long encodeSeries(final MemorySegment out, final Crc32cFrames sealer, final long frame,
                                     final SeriesRecordView series, final int payload) {
        final long start = frame + FrameLayout.HEADER_BYTES;
        out.set(WalRecordLayout.I32, start, SERIES_HEADER_WORD);
        out.set(WalRecordLayout.I32, start + WalRecordLayout.SERIES_ID_OFFSET, series.seriesId());
        MemorySegment.copy(series.labelsSegment(), series.labelsOffset(), out, start + WalRecordLayout.SERIES_LABELS_OFFSET,
            series.labelsLength());
        return sealer.seal(frame, payload);
    }

    /** A SERIES record larger than the buffer (labels near the writer's record limit) gets a buffer of its own. */
    private void writeLargeSeries(final SeriesRecordView series, final int payload) throws IOException {
        flush();
        try (Allocation large = allocator.allocate(MemoryTag.WAL, FrameLayout.HEADER_BYTES + (long) payload, 8)) {
            final long end = encodeSeries(large.segment(), new Crc32cFrames(large.segment()), 0, series, payload);
            writeFully(large.segment().asByteBuffer().limit((int) end));
        }
    }

    private void flush() throws IOException {
        if (position > 0) {
            bufferView.limit(position).position(0);
            writeFully(bufferView);
            position = 0;
        }
    }

    private void writeFully(final ByteBuffer source) throws IOException {
        final int bytes = source.remaining();
        while (source.hasRemaining()) {
            files.write(channel, source);
        }
        fileBytes += bytes;
    }

    /** Frees the buffer; the channel is the caller's. */
    @Override
    public void close() {
        allocation.close();
    }
}
