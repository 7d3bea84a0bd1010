package io.tidemark.server.remote;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.xerial.snappy.Snappy;

/** Builds remote-write request bodies with protobuf-java's encoder, the reference our decoder must agree with. */
final class WriteRequests {
    private final List<byte[]> timeseries = new ArrayList<>();
    private final List<byte[]> metadata = new ArrayList<>();

    /** A series: label names and values as given (not sorted for you), then samples. */
    static final class Series {
        private final List<byte[]> labels = new ArrayList<>();
        private final List<byte[]> samples = new ArrayList<>();
        private final List<byte[]> extra = new ArrayList<>();

        Series label(final String name, final String value) {
            return labelBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        Series labelBytes(final byte[] name, final byte[] value) {
            labels.add(message(out -> {
                out.writeByteArray(WriteRequestDecoder.LABEL_NAME, name);
                out.writeByteArray(WriteRequestDecoder.LABEL_VALUE, value);
            }));
            return this;
        }

        Series labels(final String... namesAndValues) {
            for (int i = 0; i < namesAndValues.length; i += 2) {
                label(namesAndValues[i], namesAndValues[i + 1]);
            }
            return this;
        }

        Series sample(final long timestamp, final double value) {
            samples.add(message(out -> {
                out.writeDouble(WriteRequestDecoder.SAMPLE_VALUE, value);
                out.writeInt64(WriteRequestDecoder.SAMPLE_TIMESTAMP, timestamp);
            }));
            return this;
        }

        Series exemplar(final long timestamp, final double value) {
            final byte[] body = message(out -> {
                out.writeByteArray(1, message(l -> {
                    l.writeString(1, "trace_id");
                    l.writeString(2, "abc");
                }));
                out.writeDouble(2, value);
                out.writeInt64(3, timestamp);
            });
            extra.add(message(out -> out.writeByteArray(WriteRequestDecoder.SERIES_EXEMPLARS, body)));
            return this;
        }

        Series histogram(final long timestamp) {
            final byte[] body = message(out -> {
                out.writeUInt64(1, 10);
                out.writeDouble(3, 12.5);
                out.writeSInt32(4, 3);
                out.writeInt64(15, timestamp);
            });
            extra.add(message(out -> out.writeByteArray(WriteRequestDecoder.SERIES_HISTOGRAMS, body)));
            return this;
        }

        /** An unknown field of each wire type, which decoders must skip. */
        Series unknownFields() {
            extra.add(message(out -> {
                out.writeInt64(90, -5);
                out.writeFixed64(91, 7);
                out.writeString(92, "skip me");
                out.writeFixed32(93, 9);
            }));
            return this;
        }

        byte[] encode() {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (final byte[] label : labels) {
                field(bytes, WriteRequestDecoder.SERIES_LABELS, label);
            }
            for (final byte[] sample : samples) {
                field(bytes, WriteRequestDecoder.SERIES_SAMPLES, sample);
            }
            for (final byte[] raw : extra) {
                bytes.writeBytes(raw);
            }
            return bytes.toByteArray();
        }
    }

    interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] message(final Writer writer) {
        try {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            writer.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void field(final ByteArrayOutputStream bytes, final int field, final byte[] value) {
        bytes.writeBytes(message(out -> out.writeByteArray(field, value)));
    }

    WriteRequests add(final Series series) {
        timeseries.add(series.encode());
        return this;
    }

    /** A {@code TimeSeries} given as its encoded bytes, for field orders {@link Series} does not write. */
    WriteRequests addEncoded(final byte[] series) {
        timeseries.add(series.clone());
        return this;
    }

    WriteRequests metadata(final int type, final String family, final String help, final String unit) {
        metadata.add(message(out -> {
            out.writeEnum(WriteRequestDecoder.METADATA_TYPE, type);
            out.writeString(WriteRequestDecoder.METADATA_FAMILY_NAME, family);
            out.writeString(WriteRequestDecoder.METADATA_HELP, help);
            out.writeString(WriteRequestDecoder.METADATA_UNIT, unit);
        }));
        return this;
    }

    /** The uncompressed protobuf bytes. */
    byte[] encode() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (final byte[] series : timeseries) {
            field(bytes, WriteRequestDecoder.REQUEST_TIMESERIES, series);
        }
        for (final byte[] entry : metadata) {
            field(bytes, WriteRequestDecoder.REQUEST_METADATA, entry);
        }
        return bytes.toByteArray();
    }

    /** The snappy-block-compressed body, as a sender posts it. */
    byte[] body() {
        return snappy(encode());
    }

    static byte[] snappy(final byte[] raw) {
        try {
            return Snappy.compress(raw);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
