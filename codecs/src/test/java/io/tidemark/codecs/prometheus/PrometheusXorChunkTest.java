package io.tidemark.codecs.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrometheusXorChunkTest {
    private static final long STALE_MARKER = 0x7ff0000000000002L;

    private static String encode(final long[] timestamps, final double[] values) {
        final PrometheusXorChunkEncoder encoder = new PrometheusXorChunkEncoder();
        for (int i = 0; i < timestamps.length; i++) {
            encoder.append(timestamps[i], values[i]);
        }
        return HexFormat.of().formatHex(encoder.bytes(), 0, encoder.length());
    }

    @Test
    void shouldWriteOneSampleAsVarintTimestampAndRawValue() {
        // count 0x0001; zigzag(1000) = 2000 = 0x7d0 -> varint 0xd0 0x0f; 1.0 = 0x3ff0000000000000 in 64 bits.
        assertThat(encode(new long[] {1000}, new double[] {1.0})).isEqualTo("0001" + "d00f" + "3ff0000000000000");
    }

    @Test
    void shouldWriteSecondSampleAsUvarintDeltaAndZeroBitForSameValue() {
        // uvarint(15) = 0x0f, then '0' (xor == 0) padded to a byte: 0x00.
        assertThat(encode(new long[] {1000, 1015}, new double[] {1.0, 1.0}))
            .isEqualTo("0002" + "d00f" + "3ff0000000000000" + "0f" + "00");
    }

    @Test
    void shouldWriteThirdSampleAsZeroDodAndNewLeadingTrailingWindow() {
        // After 0x0f: '0' (v1 == v0), '0' (dod 0), '1' (xor != 0), '1' (no window yet),
        // leading 1 = '00001', significant 64-1-52 = 11 = '001011', then 0x7ff = eleven '1's:
        // 0011 0000 | 1001 0111 | 1111 1111 | 11 + padding -> 30 97 ff c0.
        assertThat(encode(new long[] {1000, 1015, 1030}, new double[] {1.0, 1.0, 2.0}))
            .isEqualTo("0003" + "d00f" + "3ff0000000000000" + "0f" + "3097ffc0");
    }

    @Test
    void shouldWriteNegativeFirstTimestampZigzagged() {
        // zigzag(-1) = 1 -> 0x01; 0.0 is 64 zero bits.
        assertThat(encode(new long[] {-1}, new double[] {0.0})).isEqualTo("0001" + "01" + "0000000000000000");
    }

    @Test
    void shouldWriteSmallDodInFourteenBitBucket() {
        // Third sample: dod = 16 - 15 = 1 -> '10' + 1 in 14 bits, then '0' for the same value. Bits after 0x0f:
        // '0' (v1), '10', '00000000000001', '0' = 0100 0000 | 0000 0000 | 10 + padding -> 40 00 80.
        assertThat(encode(new long[] {1000, 1015, 1031}, new double[] {1.0, 1.0, 1.0}))
            .isEqualTo("0003" + "d00f" + "3ff0000000000000" + "0f" + "400080");
    }

    @Test
    void shouldRoundTripRandomSamplesWithNanPayloadsAndStaleMarkers() {
        final long seed = System.nanoTime();
        System.out.println("PrometheusXorChunkTest seed=" + seed);
        final Random random = new Random(seed);
        final PrometheusXorChunkEncoder encoder = new PrometheusXorChunkEncoder();
        final PrometheusXorChunkDecoder decoder = new PrometheusXorChunkDecoder();
        for (int round = 0; round < 300; round++) {
            final int count = 1 + random.nextInt(PrometheusXorLayout.SAMPLES_PER_CHUNK);
            final long[] timestamps = new long[count];
            final long[] bits = new long[count];
            long t = random.nextLong() >> random.nextInt(64);
            for (int i = 0; i < count; i++) {
                t += switch (random.nextInt(5)) {
                    case 0 -> 15_000;
                    case 1 -> random.nextInt(100);
                    case 2 -> random.nextInt(1 << 21) - (1 << 20);
                    case 3 -> random.nextLong() >> 8;
                    default -> 15_000 + random.nextInt(20) - 10;
                };
                timestamps[i] = t;
                bits[i] = switch (random.nextInt(6)) {
                    case 0 -> STALE_MARKER;
                    case 1 -> 0x7ff8000000000000L | random.nextLong(1L << 51); // NaN with a payload
                    case 2 -> Double.doubleToRawLongBits(random.nextInt(1000));
                    case 3 -> i > 0 ? bits[i - 1] : 0;
                    case 4 -> random.nextLong();
                    default -> Double.doubleToRawLongBits(random.nextGaussian() * 1e6);
                };
            }
            encoder.reset();
            for (int i = 0; i < count; i++) {
                encoder.append(timestamps[i], Double.longBitsToDouble(bits[i]));
            }
            final byte[] chunk = Arrays.copyOf(encoder.bytes(), encoder.length());
            decoder.reset(chunk, 0, chunk.length);
            assertThat(decoder.samples()).isEqualTo(count);
            for (int i = 0; i < count; i++) {
                assertThat(decoder.next()).as("seed=%d round=%d i=%d", seed, round, i).isTrue();
                assertThat(decoder.timestamp()).as("seed=%d round=%d i=%d", seed, round, i).isEqualTo(timestamps[i]);
                assertThat(Double.doubleToRawLongBits(decoder.value())).as("seed=%d round=%d i=%d", seed, round, i)
                    .isEqualTo(bits[i]);
            }
            assertThat(decoder.next()).isFalse();
        }
    }

    @Test
    void shouldReportTruncatedChunk() {
        final PrometheusXorChunkEncoder encoder = new PrometheusXorChunkEncoder();
        for (int i = 0; i < 10; i++) {
            encoder.append(i * 1000L, i * 1.5);
        }
        final byte[] chunk = Arrays.copyOf(encoder.bytes(), encoder.length() - 3);
        final PrometheusXorChunkDecoder decoder = new PrometheusXorChunkDecoder();
        decoder.reset(chunk, 0, chunk.length);
        assertThatThrownBy(() -> {
            while (decoder.next()) {
                decoder.value();
            }
        }).isInstanceOf(PrometheusChunkFormatException.class).hasMessageContaining("chunk ends");
        assertThatThrownBy(() -> decoder.reset(new byte[1], 0, 1)).isInstanceOf(PrometheusChunkFormatException.class);
    }
}
