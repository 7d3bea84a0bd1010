package io.tidemark.codecs.chunk;

/**
 * Turns float64 values that are short decimals (12.34, 1500, 0.001) into integers m and one
 * exponent e with value == (double) m / 10^e, exactly, bit for bit. The division is correctly
 * rounded and both operands are exact doubles (|m| < 2^53, 10^e for e <= 15), so a value parsed
 * from decimal text, or computed as an integer count over a power of ten, comes back unchanged.
 * NaN, infinities, -0.0 and values needing more digits are not scalable; the chunk then keeps
 * its values XOR-encoded.
 */
final class DecimalScaler {
    static final double[] POWERS_OF_TEN = new double[ChunkLayout.MAX_DECIMAL_EXPONENT + 1];
    static final long[] LONG_POWERS_OF_TEN = new long[ChunkLayout.MAX_DECIMAL_EXPONENT + 1];
    private static final double LIMIT = 0x1p53;

    static {
        long power = 1;
        for (int e = 0; e <= ChunkLayout.MAX_DECIMAL_EXPONENT; e++) {
            LONG_POWERS_OF_TEN[e] = power;
            POWERS_OF_TEN[e] = power;
            power *= 10;
        }
    }

    private DecimalScaler() {
    }

    /**
     * Scales {@code values[0..n)} to integers in {@code scaled} with a common exponent. Returns the
     * exponent, or -1 if some value is not a short decimal.
     */
    static int scale(final double[] values, final int n, final long[] scaled) {
        int exponent = 0;
        for (int i = 0; i < n; i++) {
            final double value = values[i];
            int e = exponent;
            long m = mantissaAt(value, e);
            while (m == Long.MIN_VALUE) {
                if (++e > ChunkLayout.MAX_DECIMAL_EXPONENT || !Double.isFinite(value)) {
                    return -1;
                }
                m = mantissaAt(value, e);
            }
            if (e > exponent) {
                // rescale what was done at the smaller exponent, exactly, in integers
                final long factor = LONG_POWERS_OF_TEN[e - exponent];
                final long bound = (long) LIMIT / factor;
                for (int j = 0; j < i; j++) {
                    if (Math.abs(scaled[j]) >= bound) {
                        return -1;
                    }
                    scaled[j] *= factor;
                }
                exponent = e;
            }
            scaled[i] = m;
        }
        return exponent;
    }

    /** m with value == m / 10^e exactly, or Long.MIN_VALUE if there is none below 2^53. */
    private static long mantissaAt(final double value, final int e) {
        final double product = value * POWERS_OF_TEN[e];
        if (!(Math.abs(product) < LIMIT)) {
            return Long.MIN_VALUE; // also NaN and infinities
        }
        final long m = Math.round(product);
        final double back = e == 0 ? (double) m : (double) m / POWERS_OF_TEN[e];
        return Double.doubleToRawLongBits(back) == Double.doubleToRawLongBits(value) ? m : Long.MIN_VALUE;
    }
}
