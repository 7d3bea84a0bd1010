package io.tidemark.server.remote.read;

import io.tidemark.codecs.prometheus.PrometheusXorChunkEncoder;
import io.tidemark.codecs.prometheus.PrometheusXorLayout;
import io.tidemark.engine.query.Queryable;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;
import org.xerial.snappy.Snappy;

/**
 * Answers Prometheus remote read requests (the {@code /api/v1/read} body) from one tenant's {@link Queryable}, as
 * Prometheus' {@code storage/remote/read_handler.go} does, into a {@link ResponseBuffer}: nothing is sent before the
 * whole answer is built, so every failure can still become a status. The caller sets the headers from the returned
 * {@link RemoteReadResponseType}.
 *
 * <p>One handler per thread: it reuses its decoder, sample buffer, chunk encoder and scratch arrays. It allocates
 * per query and per series (labels as UTF-8), never per sample.
 */
public final class RemoteReadHandler {
    private static final int LABEL_NAME = 1;
    private static final int LABEL_VALUE = 2;
    private static final int READ_RESPONSE_RESULTS = 1;
    private static final int QUERY_RESULT_TIMESERIES = 1;
    private static final int TIMESERIES_LABELS = 1;
    private static final int TIMESERIES_SAMPLES = 2;
    private static final int SAMPLE_VALUE = 1;
    private static final int SAMPLE_TIMESTAMP = 2;
    private static final int CHUNKED_RESPONSE_SERIES = 1;
    private static final int CHUNKED_RESPONSE_QUERY_INDEX = 2;
    private static final int CHUNKED_SERIES_LABELS = 1;
    private static final int CHUNKED_SERIES_CHUNKS = 2;
    private static final int CHUNK_MIN_TIME = 1;
    private static final int CHUNK_MAX_TIME = 2;
    private static final int CHUNK_TYPE = 3;
    private static final int CHUNK_DATA = 4;

    private final RemoteReadLimits limits;
    private final RemoteReadRequestDecoder decoder;
    private final SampleBuffer samples = new SampleBuffer(1024);
    private final PrometheusXorChunkEncoder chunkEncoder = new PrometheusXorChunkEncoder();
    private final ResponseBuffer scratch = new ResponseBuffer(1 << 16);
    private final CRC32C crc = new CRC32C();
    private byte[][] labelBytes = new byte[32][];

    /** A handler enforcing {@code limits}. */
    public RemoteReadHandler(final RemoteReadLimits limits) {
        this.limits = limits;
        this.decoder = new RemoteReadRequestDecoder(limits.maxDecompressedRequestBytes());
    }

    /**
     * Decodes the snappy-compressed ReadRequest in {@code body[offset, offset + length)} and answers it into
     * {@code out} (cleared first). Returns the response type, whose content type and encoding are the headers to
     * send with {@code out}'s bytes. Throws {@link RemoteReadException} carrying the HTTP status on any failure.
     */
    public RemoteReadResponseType handle(final byte[] body, final int offset, final int length,
                                         final Queryable queryable, final ResponseBuffer out) {
        return respond(decoder.decodeSnappy(body, offset, length), queryable, out);
    }

    /** Answers a decoded request into {@code out} (cleared first); see {@link #handle}. */
    public RemoteReadResponseType respond(final RemoteReadRequest request, final Queryable queryable,
                                          final ResponseBuffer out) {
        final RemoteReadResponseType type = negotiate(request.acceptedResponseTypes());
        for (final RemoteReadQuery query : request.queries()) {
            checkMatchers(query.matchers());
        }
        out.clear();
        try {
            if (type == RemoteReadResponseType.SAMPLES) {
                writeSamples(request, queryable, out);
            } else {
                writeChunks(request, queryable, out);
            }
        } catch (final RemoteReadException e) {
            out.clear();
            throw e;
        } catch (final RuntimeException | IOException e) {
            out.clear();
            throw new RemoteReadException(RemoteReadException.INTERNAL_ERROR, "remote read failed: " + e, e);
        }
        return type;
    }

    /**
     * The first of {@code accepted} that Tidemark answers, SAMPLES when the list is empty, as Prometheus'
     * {@code NegotiateResponseType}; a 400 when none is supported.
     */
    public static RemoteReadResponseType negotiate(final List<Integer> accepted) {
        if (accepted.isEmpty()) {
            return RemoteReadResponseType.SAMPLES;
        }
        for (final int number : accepted) {
            final RemoteReadResponseType type = RemoteReadResponseType.ofNumber(number);
            if (type != null) {
                return type;
            }
        }
        throw RemoteReadException.badRequest("server does not support any of the requested response types: "
            + accepted + "; supported: [SAMPLES STREAMED_XOR_CHUNKS]");
    }

    private static void checkMatchers(final List<LabelMatcher> matchers) {
        for (final LabelMatcher matcher : matchers) {
            if (!matcher.matchesEmpty()) {
                return;
            }
        }
        // Prometheus refuses selectors that would select every series: at least one matcher must not match "".
        throw RemoteReadException.badRequest("query must contain at least one matcher that does not match the "
            + "empty string, got " + matchers);
    }

    private void writeSamples(final RemoteReadRequest request, final Queryable queryable, final ResponseBuffer out)
        throws IOException {
        scratch.clear();
        for (final RemoteReadQuery query : request.queries()) {
            final int result = scratch.beginMessage(READ_RESPONSE_RESULTS);
            final SeriesSet set = queryable.select(query.matchers(), query.startMs(), query.endMs());
            long returned = 0;
            while (set.next()) {
                final int count = set.samples(samples);
                if (count == 0) {
                    continue; // Prometheus' storage yields no series without samples in the range
                }
                returned += count;
                checkSampleLimit(returned);
                final int series = scratch.beginMessage(QUERY_RESULT_TIMESERIES);
                writeLabels(set.labels(), TIMESERIES_LABELS, scratch);
                final long[] timestamps = samples.timestamps();
                final double[] values = samples.values();
                for (int i = 0; i < count; i++) {
                    final long bits = Double.doubleToRawLongBits(values[i]);
                    final long timestamp = timestamps[i];
                    scratch.writeTag(TIMESERIES_SAMPLES, ProtobufReader.LENGTH_DELIMITED);
                    scratch.writeVarint((bits == 0 ? 0 : 9) + (timestamp == 0 ? 0 : 1 + ResponseBuffer.varintSize(timestamp)));
                    if (bits != 0) {
                        scratch.writeTag(SAMPLE_VALUE, ProtobufReader.FIXED64);
                        scratch.writeFixed64(bits);
                    }
                    if (timestamp != 0) {
                        scratch.writeTag(SAMPLE_TIMESTAMP, ProtobufReader.VARINT);
                        scratch.writeVarint(timestamp);
                    }
                }
                scratch.endMessage(series);
            }
            scratch.endMessage(result);
        }
        out.ensureRoom(Snappy.maxCompressedLength(scratch.length()));
        final int compressed = Snappy.compress(scratch.array(), 0, scratch.length(), out.array(), 0);
        out.setLength(compressed);
    }

    private void writeChunks(final RemoteReadRequest request, final Queryable queryable, final ResponseBuffer out) {
        final List<RemoteReadQuery> queries = request.queries();
        for (int queryIndex = 0; queryIndex < queries.size(); queryIndex++) {
            final RemoteReadQuery query = queries.get(queryIndex);
            final SeriesSet set = queryable.select(query.matchers(), query.startMs(), query.endMs());
            long returned = 0;
            while (set.next()) {
                final int count = set.samples(samples);
                if (count == 0) {
                    continue;
                }
                returned += count;
                checkSampleLimit(returned);
                writeSeriesFrames(set.labels(), count, queryIndex, out);
            }
        }
    }

    /**
     * Writes one series as frames of at most one series each, cut as Prometheus' {@code StreamChunkedReadResponses}
     * cuts them: once the labels and the chunks written so far reach the frame size, the frame is sent.
     */
    private void writeSeriesFrames(final LabelSet labels, final int count, final int queryIndex,
                                   final ResponseBuffer out) {
        final int labelCount = encodeLabels(labels);
        long maxDataLength = limits.maxFrameBytes();
        for (int i = 0; i < labelCount; i++) {
            maxDataLength -= labelMessageSize(i);
        }
        final long[] timestamps = samples.timestamps();
        final double[] values = samples.values();
        long frameBytesLeft = maxDataLength;
        int frame = -1;
        int series = -1;
        for (int from = 0; from < count; from += PrometheusXorLayout.SAMPLES_PER_CHUNK) {
            if (frame < 0) {
                scratch.clear();
                series = scratch.beginMessage(CHUNKED_RESPONSE_SERIES);
                for (int i = 0; i < labelCount; i++) {
                    writeLabel(i, CHUNKED_SERIES_LABELS, scratch);
                }
                frame = 0;
            }
            final int to = Math.min(count, from + PrometheusXorLayout.SAMPLES_PER_CHUNK);
            chunkEncoder.reset();
            for (int i = from; i < to; i++) {
                chunkEncoder.append(timestamps[i], values[i]);
            }
            final int chunk = scratch.beginMessage(CHUNKED_SERIES_CHUNKS);
            final int chunkBodyStart = scratch.length();
            writeVarintField(CHUNK_MIN_TIME, timestamps[from], scratch);
            writeVarintField(CHUNK_MAX_TIME, timestamps[to - 1], scratch);
            writeVarintField(CHUNK_TYPE, PrometheusXorLayout.ENCODING_XOR, scratch);
            scratch.writeBytesField(CHUNK_DATA, chunkEncoder.bytes(), 0, chunkEncoder.length());
            // Prometheus subtracts the chunk message's size without its tag and length prefix.
            frameBytesLeft -= scratch.length() - chunkBodyStart;
            scratch.endMessage(chunk);
            final boolean last = to == count;
            if (frameBytesLeft > 0 && !last) {
                continue;
            }
            scratch.endMessage(series);
            writeVarintField(CHUNKED_RESPONSE_QUERY_INDEX, queryIndex, scratch);
            writeFrame(out);
            frame = -1;
            frameBytesLeft = maxDataLength;
        }
    }

    /** Appends the message in {@link #scratch} to {@code out} as a frame: uvarint length, CRC32C (big-endian), bytes. */
    private void writeFrame(final ResponseBuffer out) {
        crc.reset();
        crc.update(scratch.array(), 0, scratch.length());
        out.writeVarint(scratch.length());
        out.writeFixed32BigEndian((int) crc.getValue());
        out.writeBytes(scratch.array(), 0, scratch.length());
    }

    private void checkSampleLimit(final long returned) {
        final long limit = limits.maxSamplesPerQuery();
        if (limit > 0 && returned > limit) {
            throw RemoteReadException.badRequest("exceeded sample limit (" + limit + ")");
        }
    }

    private static void writeVarintField(final int field, final long value, final ResponseBuffer buffer) {
        if (value != 0) { // proto3 leaves zero scalars out, as Prometheus' marshaller does
            buffer.writeTag(field, ProtobufReader.VARINT);
            buffer.writeVarint(value);
        }
    }

    /** Encodes the series' label names and values as UTF-8 into {@link #labelBytes}; returns the label count. */
    private int encodeLabels(final LabelSet labels) {
        final int size = labels.size();
        if (labelBytes.length < 2 * size) {
            labelBytes = new byte[2 * size][];
        }
        for (int i = 0; i < size; i++) {
            labelBytes[2 * i] = labels.name(i).getBytes(StandardCharsets.UTF_8);
            labelBytes[2 * i + 1] = labels.value(i).getBytes(StandardCharsets.UTF_8);
        }
        return size;
    }

    private int labelMessageSize(final int i) {
        final int name = labelBytes[2 * i].length;
        final int value = labelBytes[2 * i + 1].length;
        return (name == 0 ? 0 : 1 + ResponseBuffer.varintSize(name) + name)
            + (value == 0 ? 0 : 1 + ResponseBuffer.varintSize(value) + value);
    }

    private void writeLabels(final LabelSet labels, final int field, final ResponseBuffer buffer) {
        final int count = encodeLabels(labels);
        for (int i = 0; i < count; i++) {
            writeLabel(i, field, buffer);
        }
    }

    private void writeLabel(final int i, final int field, final ResponseBuffer buffer) {
        final byte[] name = labelBytes[2 * i];
        final byte[] value = labelBytes[2 * i + 1];
        buffer.writeTag(field, ProtobufReader.LENGTH_DELIMITED);
        buffer.writeVarint(labelMessageSize(i));
        if (name.length > 0) {
            buffer.writeBytesField(LABEL_NAME, name, 0, name.length);
        }
        if (value.length > 0) {
            buffer.writeBytesField(LABEL_VALUE, value, 0, value.length);
        }
    }
}
