package io.tidemark.server.remote.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.tidemark.codecs.prometheus.PrometheusXorChunkDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.xerial.snappy.Snappy;

/** Builds ReadRequests and reads responses with protobuf-java, independently of the code under test. */
final class RemoteReadProtos {
    /** One matcher: type number as in prompb (EQ 0, NEQ 1, RE 2, NRE 3). */
    record Matcher(int type, String name, String value) {
    }

    /** One query of a request. */
    record Query(long start, long end, List<Matcher> matchers) {
    }

    /** A series as read back: labels and samples (value bits kept raw). */
    record Series(Map<String, String> labels, List<long[]> samples) {
    }

    /** A decoded frame of a streamed response; a chunk range is {min time, max time, samples, message bytes}. */
    record Frame(long queryIndex, Map<String, String> labels, List<long[]> chunkRanges, List<long[]> samples) {
    }

    private RemoteReadProtos() {
    }

    static byte[] request(final List<Query> queries, final int... acceptedTypes) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (final Query query : queries) {
            final byte[] q = query(query);
            out.writeByteArray(1, q);
        }
        if (acceptedTypes.length > 0) {
            out.writeTag(2, 2);
            int size = 0;
            for (final int type : acceptedTypes) {
                size += CodedOutputStream.computeEnumSizeNoTag(type);
            }
            out.writeUInt32NoTag(size);
            for (final int type : acceptedTypes) {
                out.writeEnumNoTag(type);
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    static byte[] snappy(final byte[] bytes) throws IOException {
        return Snappy.compress(bytes);
    }

    private static byte[] query(final Query query) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeInt64(1, query.start());
        out.writeInt64(2, query.end());
        for (final Matcher matcher : query.matchers()) {
            final ByteArrayOutputStream m = new ByteArrayOutputStream();
            final CodedOutputStream mo = CodedOutputStream.newInstance(m);
            mo.writeEnum(1, matcher.type());
            mo.writeString(2, matcher.name());
            mo.writeString(3, matcher.value());
            mo.flush();
            out.writeByteArray(3, m.toByteArray());
        }
        final ByteArrayOutputStream h = new ByteArrayOutputStream();
        final CodedOutputStream ho = CodedOutputStream.newInstance(h);
        ho.writeInt64(1, 15_000);
        ho.writeString(2, "rate");
        ho.writeInt64(3, query.start());
        ho.writeInt64(4, query.end());
        ho.writeString(5, "job");
        ho.writeBool(6, true);
        ho.writeInt64(7, 300_000);
        ho.flush();
        out.writeByteArray(4, h.toByteArray());
        out.flush();
        return bytes.toByteArray();
    }

    /** Reads a SAMPLES response: one list of series per query. */
    static List<List<Series>> readSamples(final byte[] snappyBody) throws IOException {
        final CodedInputStream in = CodedInputStream.newInstance(Snappy.uncompress(snappyBody));
        final List<List<Series>> results = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            assertThat(tag).isEqualTo(1 << 3 | 2);
            final CodedInputStream result = CodedInputStream.newInstance(in.readByteArray());
            final List<Series> series = new ArrayList<>();
            for (int t = result.readTag(); t != 0; t = result.readTag()) {
                assertThat(t).isEqualTo(1 << 3 | 2);
                series.add(readTimeSeries(CodedInputStream.newInstance(result.readByteArray())));
            }
            results.add(series);
        }
        return results;
    }

    private static Series readTimeSeries(final CodedInputStream in) throws IOException {
        final Map<String, String> labels = new LinkedHashMap<>();
        final List<long[]> samples = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag >>> 3 == 1) {
                readLabel(CodedInputStream.newInstance(in.readByteArray()), labels);
            } else if (tag >>> 3 == 2) {
                final CodedInputStream sample = CodedInputStream.newInstance(in.readByteArray());
                long bits = 0;
                long timestamp = 0;
                for (int t = sample.readTag(); t != 0; t = sample.readTag()) {
                    if (t == (1 << 3 | 1)) {
                        bits = Double.doubleToRawLongBits(sample.readDouble());
                    } else if (t == (2 << 3)) {
                        timestamp = sample.readInt64();
                    } else {
                        throw new AssertionError("unexpected Sample tag " + t);
                    }
                }
                samples.add(new long[] {timestamp, bits});
            } else {
                throw new AssertionError("unexpected TimeSeries tag " + tag);
            }
        }
        return new Series(labels, samples);
    }

    private static void readLabel(final CodedInputStream in, final Map<String, String> labels) throws IOException {
        String name = "";
        String value = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag >>> 3 == 1) {
                name = in.readString();
            } else if (tag >>> 3 == 2) {
                value = in.readString();
            } else {
                throw new AssertionError("unexpected Label tag " + tag);
            }
        }
        labels.put(name, value);
    }

    /** Reads a STREAMED_XOR_CHUNKS body: checks each frame's CRC32C and decodes its one series and its chunks. */
    static List<Frame> readFrames(final byte[] body) throws IOException {
        final CodedInputStream in = CodedInputStream.newInstance(body);
        final List<Frame> frames = new ArrayList<>();
        final PrometheusXorChunkDecoder decoder = new PrometheusXorChunkDecoder();
        while (!in.isAtEnd()) {
            final int length = in.readUInt32();
            final byte[] crcBytes = in.readRawBytes(4);
            final byte[] message = in.readRawBytes(length);
            final CRC32C crc = new CRC32C();
            crc.update(message);
            final int expected = ((crcBytes[0] & 0xFF) << 24) | ((crcBytes[1] & 0xFF) << 16)
                | ((crcBytes[2] & 0xFF) << 8) | (crcBytes[3] & 0xFF);
            assertThat(expected).as("frame CRC32C").isEqualTo((int) crc.getValue());
            final CodedInputStream frame = CodedInputStream.newInstance(message);
            long queryIndex = 0;
            int seriesCount = 0;
            final Map<String, String> labels = new LinkedHashMap<>();
            final List<long[]> ranges = new ArrayList<>();
            final List<long[]> samples = new ArrayList<>();
            for (int tag = frame.readTag(); tag != 0; tag = frame.readTag()) {
                if (tag == (2 << 3)) {
                    queryIndex = frame.readInt64();
                    continue;
                }
                assertThat(tag).isEqualTo(1 << 3 | 2);
                seriesCount++;
                final CodedInputStream series = CodedInputStream.newInstance(frame.readByteArray());
                for (int t = series.readTag(); t != 0; t = series.readTag()) {
                    if (t >>> 3 == 1) {
                        readLabel(CodedInputStream.newInstance(series.readByteArray()), labels);
                        continue;
                    }
                    assertThat(t).isEqualTo(2 << 3 | 2);
                    final byte[] chunkMessage = series.readByteArray();
                    final CodedInputStream chunk = CodedInputStream.newInstance(chunkMessage);
                    long min = 0;
                    long max = 0;
                    int type = 0;
                    byte[] data = new byte[0];
                    for (int c = chunk.readTag(); c != 0; c = chunk.readTag()) {
                        switch (c >>> 3) {
                            case 1 -> min = chunk.readInt64();
                            case 2 -> max = chunk.readInt64();
                            case 3 -> type = chunk.readEnum();
                            case 4 -> data = chunk.readByteArray();
                            default -> throw new AssertionError("unexpected Chunk tag " + c);
                        }
                    }
                    assertThat(type).as("XOR encoding").isEqualTo(1);
                    decoder.reset(data, 0, data.length);
                    assertThat(decoder.samples()).isBetween(1, 120);
                    long first = Long.MIN_VALUE;
                    long last = Long.MIN_VALUE;
                    while (decoder.next()) {
                        first = first == Long.MIN_VALUE ? decoder.timestamp() : first;
                        last = decoder.timestamp();
                        samples.add(new long[] {decoder.timestamp(), Double.doubleToRawLongBits(decoder.value())});
                    }
                    assertThat(new long[] {min, max}).isEqualTo(new long[] {first, last});
                    ranges.add(new long[] {min, max, decoder.samples(), chunkMessage.length});
                }
            }
            assertThat(seriesCount).as("one series per frame").isEqualTo(1);
            frames.add(new Frame(queryIndex, labels, ranges, samples));
        }
        return frames;
    }

    static String describe(final List<long[]> samples) {
        final StringBuilder text = new StringBuilder();
        for (final long[] s : samples) {
            text.append(Arrays.toString(s));
        }
        return text.toString();
    }
}
