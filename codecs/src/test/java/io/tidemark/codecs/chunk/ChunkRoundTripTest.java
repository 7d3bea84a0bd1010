package io.tidemark.codecs.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChunkRoundTripTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final long STALE_MARKER = 0x7ff0000000000002L;

    private final ChunkCodecFixture codec = new ChunkCodecFixture();

    @AfterEach
    void close() {
        codec.close();
    }

    /** Every encoding, and null for the encoder's own choice. */
    static Stream<Arguments> encodings() {
        return Stream.of(Arguments.of((ChunkEncoding) null), Arguments.of(ChunkEncoding.GORILLA),
            Arguments.of(ChunkEncoding.PACKED_XOR), Arguments.of(ChunkEncoding.PACKED_DECIMAL),
            Arguments.of(ChunkEncoding.PACKED_SCALED));
    }

    private static long[] regular(final int n, final long start, final long step) {
        final long[] timestamps = new long[n];
        for (int i = 0; i < n; i++) {
            timestamps[i] = start + i * step;
        }
        return timestamps;
    }

    private static double[] fromBits(final long... bits) {
        return Arrays.stream(bits).mapToDouble(Double::longBitsToDouble).toArray();
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void shouldKeepNanPayloadsIncludingTheStaleMarker(final ChunkEncoding encoding) {
        final double[] values = fromBits(STALE_MARKER, 0x7ff8000000000000L, 0xfff8000000000001L, 0x7ff0000000000001L,
            0x7fffffffffffffffL, 0xffffffffffffffffL, STALE_MARKER, STALE_MARKER, 0x7ff4000000000000L);
        codec.assertRoundTrip(encoding, regular(values.length, 1_000, 15_000), values, values.length);
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void shouldKeepInfinitiesSignedZeroesAndSubnormals(final ChunkEncoding encoding) {
        final double[] values = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, -0.0, Double.MIN_VALUE,
            -Double.MIN_VALUE, Double.MIN_NORMAL, Double.longBitsToDouble(0x000fffffffffffffL), Double.MAX_VALUE,
            -Double.MAX_VALUE, 1e-300, 1e300, -1e-308, 0.1 + 0.2, Math.PI, 1.0, 1.0};
        codec.assertRoundTrip(encoding, regular(values.length, 0, 1), values, values.length);
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void shouldKeepShortDecimalsExactly(final ChunkEncoding encoding) {
        final double[] values = {12.34, 0.1, 0.3, 1500, -2.5, 99.99, 0.001, 123456789.123456, -0.07, 0, 4.35, 7};
        final long bytes = codec.assertRoundTrip(encoding, regular(values.length, 1_700_000_000_000L, 15_000), values,
            values.length);
        if (encoding == ChunkEncoding.PACKED_DECIMAL || encoding == ChunkEncoding.PACKED_SCALED) {
            assertThat(bytes).as("short decimals must be scalable").isPositive();
        }
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void shouldKeepExtremeTimestamps(final ChunkEncoding encoding) {
        final long[] timestamps = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE,
            Long.MIN_VALUE, 0, 0, 1L << 62, -(1L << 62), 42};
        final double[] values = new double[timestamps.length];
        Arrays.fill(values, 1.0);
        codec.assertRoundTrip(encoding, timestamps, values, timestamps.length);
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void shouldKeepEqualStepsJitterAndGaps(final ChunkEncoding encoding) {
        final int n = 1000;
        final long[] timestamps = new long[n];
        final double[] values = new double[n];
        final SplittableRandom random = new SplittableRandom(SEED);
        long t = 1_700_000_000_123L;
        for (int i = 0; i < n; i++) {
            t += switch (i % 100) {
                case 17 -> 3_600_000; // an hour's gap
                case 53 -> 15_000 + random.nextInt(-2_000, 2_000);
                case 71 -> 1; // a burst
                default -> i < 300 ? 15_000 : 15_000 + random.nextInt(-3, 4);
            };
            timestamps[i] = t;
            values[i] = i / 100.0;
        }
        codec.assertRoundTrip(encoding, timestamps, values, n);
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void shouldRoundTripOneTwoAndTheMostSamples(final ChunkEncoding encoding) {
        for (final int n : new int[] {1, 2, 3, 31, 32, 33, 34, 65, 120, ChunkLayout.MAX_SAMPLES}) {
            final long[] timestamps = regular(n, 5, 10_000);
            final double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = (i * 7919L % 1000) / 10.0;
            }
            codec.assertRoundTrip(encoding, timestamps, values, n);
        }
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void shouldRoundTripRandomSeries(final ChunkEncoding encoding) {
        System.out.println("ChunkRoundTripTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int round = 0; round < 300; round++) {
            final int n = random.nextInt(1, 700);
            final long[] timestamps = new long[n];
            final double[] values = new double[n];
            RandomSeries.fill(random, timestamps, values, n);
            codec.assertRoundTrip(encoding, timestamps, values, n);
        }
    }

    @Test
    void shouldStoreIntegerTimesAConstantProductsScaled() {
        // node_exporter's disk times: kernel milliseconds * (1.0 / 1000.0), often not the nearest short decimal
        final int n = 240;
        final double[] values = new double[n];
        long milliseconds = 164_671_745L;
        int notShortDecimals = 0;
        for (int i = 0; i < n; i++) {
            milliseconds += (i * 7919L) % 900;
            values[i] = milliseconds * (1.0 / 1000.0);
            if (Double.parseDouble(Long.toString(milliseconds / 1000) + "." + String.format("%03d", milliseconds % 1000)) != values[i]) {
                notShortDecimals++;
            }
        }
        assertThat(notShortDecimals).as("values off the nearest short decimal").isPositive();
        final long[] timestamps = regular(n, 1_700_000_000_000L, 15_000);
        assertThat(codec.encode(ChunkEncoding.PACKED_DECIMAL, timestamps, values, n)).as("quotient form").isNull();
        final long best = codec.assertRoundTrip(null, timestamps, values, n);
        assertThat(codec.encoder.lastEncoding()).isEqualTo(ChunkEncoding.PACKED_SCALED);
        assertThat(best).isLessThan(codec.assertRoundTrip(ChunkEncoding.PACKED_XOR, timestamps, values, n) * 2 / 3);
    }

    @Test
    void shouldTakeACommonFactorOutOfScaledValues() {
        // /proc/meminfo kB * 1024 and frequencies in kHz * 1000: every value shares a factor
        final int n = 240;
        final SplittableRandom random = new SplittableRandom(SEED ^ 2);
        final double[] bytes = new double[n];
        final double[] hertz = new double[n];
        final double[] tenths = new double[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = 7_547_981_824.0 + 4096.0 * random.nextInt(-5000, 5000);
            hertz[i] = 1000.0 * random.nextInt(800_000, 3_500_000);
            tenths[i] = 0.5 * random.nextInt(0, 100); // e = 1, m a multiple of 5
        }
        final long[] timestamps = regular(n, 1_700_000_000_000L, 15_000);
        for (final double[] values : new double[][] {bytes, hertz, tenths}) {
            final long best = codec.assertRoundTrip(null, timestamps, values, n);
            assertThat(codec.encoder.lastEncoding()).isEqualTo(ChunkEncoding.PACKED_SCALED);
            assertThat(best).isLessThan(codec.assertRoundTrip(ChunkEncoding.PACKED_DECIMAL, timestamps, values, n));
        }
    }

    @Test
    void shouldNotScaleNegativeZeroOrValuesWithoutAnExactForm() {
        final double[] values = {1.5, -0.0, 2.5};
        assertThat(codec.encode(ChunkEncoding.PACKED_SCALED, regular(3, 0, 1), values, 3)).isNull();
        // (0.1 + 0.2 has one: it is 3 * 0.1 exactly; a value below 10^-15 has none)
        final double[] tiny = {2.5, 1e-20, 3.5};
        assertThat(codec.encode(ChunkEncoding.PACKED_SCALED, regular(3, 0, 1), tiny, 3)).isNull();
        final double[] notFinite = {2.5, Double.NaN, 3.5};
        assertThat(codec.encode(ChunkEncoding.PACKED_SCALED, regular(3, 0, 1), notFinite, 3)).isNull();
        final double[] sum = {0.1 + 0.2};
        assertThat(codec.encode(ChunkEncoding.PACKED_DECIMAL, regular(1, 0, 1), sum, 1)).isNull();
        assertThat(codec.assertRoundTrip(ChunkEncoding.PACKED_SCALED, regular(1, 0, 1), sum, 1)).isPositive();
    }

    @Test
    void shouldPickTheSmallestEncoding() {
        final SplittableRandom random = new SplittableRandom(SEED ^ 1);
        for (int round = 0; round < 200; round++) {
            final int n = random.nextInt(1, 500);
            final long[] timestamps = new long[n];
            final double[] values = new double[n];
            RandomSeries.fill(random, timestamps, values, n);
            final long best = codec.assertRoundTrip(null, timestamps, values, n);
            for (final ChunkEncoding encoding : ChunkEncoding.values()) {
                final var chunk = codec.encode(encoding, timestamps, values, n);
                if (chunk != null) {
                    assertThat(best).as("round %d: best vs %s", round, encoding).isLessThanOrEqualTo(chunk.byteSize());
                }
            }
        }
    }
}
