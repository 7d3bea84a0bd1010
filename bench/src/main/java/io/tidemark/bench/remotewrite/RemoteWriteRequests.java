package io.tidemark.bench.remotewrite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.xerial.snappy.Snappy;

/**
 * Encodes remote-write bodies (snappy block of a {@code prometheus.WriteRequest}) for benchmarks, from
 * canonical label bytes ({@code LabelSetLayout}): one sample per series, as a Prometheus shard's batch
 * of one scrape round looks. A hand encoder, so the bench jar needs no protobuf-java.
 */
public final class RemoteWriteRequests {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private RemoteWriteRequests() {
    }

    /** The uncompressed request: series {@code i} is {@code lengths[i]} canonical bytes at {@code offsets[i]}. */
    public static byte[] encode(final MemorySegment labels, final long[] offsets, final int[] lengths, final int count,
                                final long timestamp) {
        final ByteArrayOutputStream request = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            final ByteArrayOutputStream series = new ByteArrayOutputStream();
            series.writeBytes(labelFields(labels, offsets[i]));
            final ByteArrayOutputStream sample = new ByteArrayOutputStream();
            sample.write(1 << 3 | 1);
            final long bits = Double.doubleToRawLongBits(i * 0.5 + timestamp % 1000);
            for (int b = 0; b < 8; b++) {
                sample.write((int) (bits >>> (8 * b)));
            }
            sample.write(2 << 3);
            varint(sample, timestamp);
            delimited(series, 2, sample.toByteArray());
            delimited(request, 1, series.toByteArray());
        }
        return request.toByteArray();
    }

    /** The {@code Label} fields (field 1 of a {@code TimeSeries}) of the canonical label set at {@code offset}. */
    public static byte[] labelFields(final MemorySegment labels, final long offset) {
        final ByteArrayOutputStream fields = new ByteArrayOutputStream();
        long at = offset;
        final int pairs = Short.toUnsignedInt(labels.get(U16, at));
        at += 2;
        for (int p = 0; p < pairs; p++) {
            final ByteArrayOutputStream label = new ByteArrayOutputStream();
            for (int part = 1; part <= 2; part++) {
                final int length = Short.toUnsignedInt(labels.get(U16, at));
                at += 2;
                label.write(part << 3 | 2);
                varint(label, length);
                label.writeBytes(labels.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE));
                at += length;
            }
            delimited(fields, 1, label.toByteArray());
        }
        return fields.toByteArray();
    }

    public static byte[] compress(final byte[] raw) {
        try {
            return Snappy.compress(raw);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delimited(final ByteArrayOutputStream out, final int field, final byte[] body) {
        out.write(field << 3 | 2);
        varint(out, body.length);
        out.writeBytes(body);
    }

    private static void varint(final ByteArrayOutputStream out, final long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.write((int) (rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.write((int) rest);
    }
}
