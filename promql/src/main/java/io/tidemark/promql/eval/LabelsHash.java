package io.tidemark.promql.eval;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Prometheus' {@code labels.Labels.Hash()} of its default ({@code stringlabels}) build: XXH64 with seed 0 over the
 * label set's encoding, each label as {@code size(name) name size(value) value} in name order, where a size below 255
 * is one byte and a larger one is {@code 0xFF} followed by three bytes little-endian. {@code limit_ratio} samples
 * series by this hash, so the same series are chosen as by Prometheus.
 */
final class LabelsHash {
    private static final long PRIME1 = 0x9E3779B185EBCA87L;
    private static final long PRIME2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME3 = 0x165667B19E3779F9L;
    private static final long PRIME4 = 0x85EBCA77C2B2AE63L;
    private static final long PRIME5 = 0x27D4EB2F165667C5L;
    private static final VarHandle LONG_LE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private LabelsHash() {
    }

    /** The hash of {@code labels}, as Prometheus computes it for the same label set. */
    static long of(final Labels labels) {
        final byte[][] strings = new byte[labels.size() * 2][];
        int size = 0;
        for (int i = 0; i < labels.size(); i++) {
            strings[2 * i] = labels.name(i).getBytes(StandardCharsets.UTF_8);
            strings[2 * i + 1] = labels.value(i).getBytes(StandardCharsets.UTF_8);
            size += encodedSize(strings[2 * i].length) + encodedSize(strings[2 * i + 1].length);
        }
        final byte[] data = new byte[size];
        int at = 0;
        for (final byte[] s : strings) {
            if (s.length < 255) {
                data[at++] = (byte) s.length;
            } else {
                data[at++] = (byte) 0xFF;
                data[at++] = (byte) s.length;
                data[at++] = (byte) (s.length >>> 8);
                data[at++] = (byte) (s.length >>> 16);
            }
            System.arraycopy(s, 0, data, at, s.length);
            at += s.length;
        }
        return xxHash64(data, data.length);
    }

    /**
     * The fraction {@code hash / MaxUint64} in [0, 1] that Prometheus' {@code HashRatioSampler.SampleOffset} gives,
     * with the unsigned hash converted to double as Go does (round to nearest).
     */
    static double sampleOffset(final Labels labels) {
        final long h = of(labels);
        final double unsigned = h >= 0 ? (double) h : ((double) (h >>> 1 | (h & 1))) * 2.0;
        return unsigned / 0x1.0p64;
    }

    private static int encodedSize(final int length) {
        return length < 255 ? 1 + length : 4 + length;
    }

    /** XXH64 with seed 0 of {@code data[0..length)}. */
    static long xxHash64(final byte[] data, final int length) {
        int at = 0;
        long h;
        if (length >= 32) {
            long v1 = PRIME1 + PRIME2;
            long v2 = PRIME2;
            long v3 = 0;
            long v4 = -PRIME1;
            final int limit = length - 32;
            do {
                v1 = round(v1, (long) LONG_LE.get(data, at));
                v2 = round(v2, (long) LONG_LE.get(data, at + 8));
                v3 = round(v3, (long) LONG_LE.get(data, at + 16));
                v4 = round(v4, (long) LONG_LE.get(data, at + 24));
                at += 32;
            } while (at <= limit);
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = mergeRound(h, v1);
            h = mergeRound(h, v2);
            h = mergeRound(h, v3);
            h = mergeRound(h, v4);
        } else {
            h = PRIME5;
        }
        h += length;
        while (at + 8 <= length) {
            h ^= round(0, (long) LONG_LE.get(data, at));
            h = Long.rotateLeft(h, 27) * PRIME1 + PRIME4;
            at += 8;
        }
        if (at + 4 <= length) {
            h ^= ((int) INT_LE.get(data, at) & 0xFFFFFFFFL) * PRIME1;
            h = Long.rotateLeft(h, 23) * PRIME2 + PRIME3;
            at += 4;
        }
        while (at < length) {
            h ^= (data[at] & 0xFFL) * PRIME5;
            h = Long.rotateLeft(h, 11) * PRIME1;
            at++;
        }
        h ^= h >>> 33;
        h *= PRIME2;
        h ^= h >>> 29;
        h *= PRIME3;
        h ^= h >>> 32;
        return h;
    }

    private static long round(final long acc, final long input) {
        return Long.rotateLeft(acc + input * PRIME2, 31) * PRIME1;
    }

    private static long mergeRound(final long acc, final long val) {
        return (acc ^ round(0, val)) * PRIME1 + PRIME4;
    }
}
