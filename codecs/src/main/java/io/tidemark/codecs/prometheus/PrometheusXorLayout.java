package io.tidemark.codecs.prometheus;

/**
 * Layout of a Prometheus XOR chunk ({@code tsdb/chunkenc/xor.go}); bits are written most significant first.
 *
 * <pre>
 * +-----------------------+----------------------------------------------------------------+---------+
 * | samples: uint16 (BE)  | bit stream: t0 varint | v0 64 bits | dt1 uvarint | v1 xor | ... | 0 pad   |
 * +-----------------------+----------------------------------------------------------------+---------+
 *  sample i >= 2: timestamp delta-of-delta
 *    '0'                      dod == 0
 *    '10'   + 14 bits         -8191 <= dod <= 8192
 *    '110'  + 17 bits         -65535 <= dod <= 65536
 *    '1110' + 20 bits         -524287 <= dod <= 524288
 *    '1111' + 64 bits         otherwise
 *  value i >= 1: x = bits(v) ^ bits(previous v)
 *    '0'                      x == 0
 *    '10' + significant bits  x fits the previous leading/trailing window
 *    '11' + leading (5 bits) + significant bit count (6 bits, 64 written as 0) + significant bits
 * </pre>
 */
public final class PrometheusXorLayout {
    /** Bytes of the big-endian sample count at the start of the chunk. */
    public static final int HEADER_BYTES = 2;
    /** Samples per chunk as Prometheus' head cuts them. */
    public static final int SAMPLES_PER_CHUNK = 120;
    /** The largest sample count the header can hold. */
    public static final int MAX_SAMPLES = 0xFFFF;
    /** Encoding number of XOR chunks in {@code prompb.Chunk.Encoding} and {@code chunkenc.Encoding}. */
    public static final int ENCODING_XOR = 1;
    /** Widths of the delta-of-delta buckets after their '10', '110', '1110' prefixes. */
    static final int DOD_BITS_1 = 14;
    static final int DOD_BITS_2 = 17;
    static final int DOD_BITS_3 = 20;
    /** Leading zeros are written in 5 bits, so more than 31 is written as 31. */
    static final int MAX_LEADING = 31;
    /** No window yet: the first non-zero XOR always writes its leading and trailing counts. */
    static final int NO_LEADING = 0xFF;

    private PrometheusXorLayout() {
    }

    /** Whether {@code dod} fits {@code bits} bits the way Prometheus' {@code bitRange} checks it. */
    static boolean fits(final long dod, final int bits) {
        final long half = 1L << (bits - 1);
        return -(half - 1) <= dod && dod <= half;
    }
}
