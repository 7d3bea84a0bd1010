package io.tidemark.codecs.chunk;

/**
 * Turns float64 values that are short decimals (12.34, 1500, 0.001) into integers m and one
 * exponent e such that {@link #unscale}(m, e) gives the value back bit for bit.
 *
 * <p>{@code unscale} is a reciprocal multiply with one FMA correction step,
 * {@code q = m * r; v = fma(fma(-q, 10^e, m), r, q)} with {@code r} the double nearest 10^-e: the
 * correctly rounded m / 10^e in practice (Markstein), but about twice as fast as a division and it
 * vectorizes. Nothing rests on that theorem, though: every value is checked through the very
 * function the decoder runs, and a chunk with any value that does not come back exactly is not
 * scaled. NaN, infinities, -0.0 and values needing more digits are not scalable either; the chunk
 * then keeps its values XOR-encoded.
 */
final class DecimalScaler {
    static final double[] POWERS_OF_TEN = new double[ChunkLayout.MAX_DECIMAL_EXPONENT + 1];
    static final long[] LONG_POWERS_OF_TEN = new long[ChunkLayout.MAX_DECIMAL_EXPONENT + 1];
    /** The double nearest 10^-e. */
    static final double[] RECIPROCALS = new double[ChunkLayout.MAX_DECIMAL_EXPONENT + 1];
    private static final double LIMIT = 0x1p53;

    static {
        long power = 1;
        for (int e = 0; e <= ChunkLayout.MAX_DECIMAL_EXPONENT; e++) {
            LONG_POWERS_OF_TEN[e] = power;
            POWERS_OF_TEN[e] = power;
            RECIPROCALS[e] = 1.0 / power;
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

    /**
     * Scales {@code values[0..n)} to integers m with the smallest exponent e in 1..15 such that
     * {@link #product}(m, e), the plain product {@code m * r}, gives every value back bit for bit:
     * the form of a counter a program keeps in integer units and exports multiplied by a constant
     * such as 0.001 (node_exporter's disk times), whose doubles are often not the short decimal
     * nearest them. Returns the exponent, or -1. (At e = 0 the product is the integer itself, which
     * {@link #scale} already covers.)
     */
    static int scaleProduct(final double[] values, final int n, final long[] scaled) {
        for (int e = 1; e <= ChunkLayout.MAX_DECIMAL_EXPONENT; e++) {
            if (productMantissas(values, n, e, scaled)) {
                return e;
            }
        }
        return -1;
    }

    private static boolean productMantissas(final double[] values, final int n, final int e, final long[] scaled) {
        final double power = POWERS_OF_TEN[e];
        final double reciprocal = RECIPROCALS[e];
        for (int i = 0; i < n; i++) {
            final double value = values[i];
            final double product = value * power;
            if (!(Math.abs(product) < LIMIT)) {
                return false; // also NaN and infinities
            }
            final long bits = Double.doubleToRawLongBits(value);
            long m = Math.round(product);
            // value * 10^e is itself rounded: the mantissa may be one off the nearest integer
            if (Double.doubleToRawLongBits(product(m, reciprocal)) != bits) {
                if (Double.doubleToRawLongBits(product(m + 1, reciprocal)) == bits) {
                    m++;
                } else if (Double.doubleToRawLongBits(product(m - 1, reciprocal)) == bits) {
                    m--;
                } else {
                    return false;
                }
            }
            scaled[i] = m;
        }
        return true;
    }

    /**
     * The value of mantissa {@code m} in product form, given {@code reciprocal} = the double nearest
     * 10^-e. The decoder's definition, as {@link #unscale} is for the quotient form.
     */
    static double product(final long m, final double reciprocal) {
        return m * reciprocal;
    }

    /**
     * The greatest common divisor of {@code m[0..n)} (all below 2^53 in magnitude), or 1 when every
     * m is 0. Memory sizes in bytes are multiples of 1024 or 4096, disk bytes of 512, frequencies in
     * hertz of 1000: dividing by the common factor takes those bits out of every value.
     */
    static long commonFactor(final long[] m, final int n) {
        long g = 0;
        for (int i = 0; i < n && g != 1; i++) {
            g = gcd(g, Math.abs(m[i]));
        }
        return g == 0 ? 1 : g;
    }

    /** Binary GCD of two non-negative numbers. */
    private static long gcd(final long x, final long y) {
        if (x == 0 || y == 0) {
            return x | y;
        }
        final int shift = Long.numberOfTrailingZeros(x | y);
        long a = x >>> Long.numberOfTrailingZeros(x);
        long b = y;
        while (b != 0) {
            b >>>= Long.numberOfTrailingZeros(b);
            if (a > b) {
                final long t = a;
                a = b;
                b = t;
            }
            b -= a;
        }
        return a << shift;
    }

    /**
     * The value of mantissa {@code m} at exponent e, given {@code power} = 10^e and {@code reciprocal}
     * = the double nearest 10^-e. The decoder's definition of a decimal value: change it and every
     * stored chunk changes meaning.
     */
    static double unscale(final long m, final double power, final double reciprocal) {
        final double quotient = m * reciprocal;
        return Math.fma(Math.fma(-quotient, power, (double) m), reciprocal, quotient);
    }

    /** m with unscale(m, e) == value bit for bit, or Long.MIN_VALUE if there is none below 2^53. */
    private static long mantissaAt(final double value, final int e) {
        final double product = value * POWERS_OF_TEN[e];
        if (!(Math.abs(product) < LIMIT)) {
            return Long.MIN_VALUE; // also NaN and infinities
        }
        final long m = Math.round(product);
        final double back = unscale(m, POWERS_OF_TEN[e], RECIPROCALS[e]);
        return Double.doubleToRawLongBits(back) == Double.doubleToRawLongBits(value) ? m : Long.MIN_VALUE;
    }
}
