package io.tidemark.promql.ast;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Number and duration text exactly as Prometheus (Go) writes it, so that printed queries and error messages match
 * Prometheus byte for byte. Stateless; all methods are pure.
 */
public final class PromQlFormat {
    private static final long MILLIS_PER_YEAR = 1000L * 60 * 60 * 24 * 365;
    private static final long MILLIS_PER_WEEK = 1000L * 60 * 60 * 24 * 7;
    private static final long MILLIS_PER_DAY = 1000L * 60 * 60 * 24;
    private static final long MILLIS_PER_HOUR = 1000L * 60 * 60;
    private static final long MILLIS_PER_MINUTE = 1000L * 60;

    private PromQlFormat() {
    }

    /**
     * Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: the shortest decimal that reads back as {@code v}, never in
     * exponent form; {@code +Inf}, {@code -Inf}, {@code NaN} for the special values.
     */
    public static String plainFloat(final double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /**
     * Go's {@code %v} (shortest {@code %g}) for a float64: plain notation unless the decimal exponent is below -4 or
     * at least 6, then {@code d.ddde+XX}.
     */
    public static String shortestFloat(final double v) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
            return plainFloat(v);
        }
        final BigDecimal exact = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        final String digits = exact.unscaledValue().abs().toString();
        final int exponent = digits.length() - exact.scale() - 1;
        if (exponent >= -4 && exponent < 6) {
            return exact.toPlainString();
        }
        final StringBuilder out = new StringBuilder();
        if (v < 0) {
            out.append('-');
        }
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        out.append('e').append(exponent < 0 ? '-' : '+');
        final int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            out.append('0');
        }
        return out.append(magnitude).toString();
    }

    /** Go's {@code %f}: six decimals, rounded from the exact binary value; {@code +Inf}, {@code -Inf}, {@code NaN}. */
    public static String sixDecimals(final double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return plainFloat(v);
        }
        final String text = new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        return (v < 0 || (v == 0 && Double.doubleToRawLongBits(v) < 0)) && !text.startsWith("-") ? "-" + text : text;
    }

    /** An {@code @} timestamp in milliseconds as Prometheus prints it: seconds with three decimals, {@code 10.000}. */
    public static String atTimestamp(final long millis) {
        final long abs = Math.abs(millis);
        final String fraction = Long.toString(1000 + abs % 1000).substring(1);
        return (millis < 0 ? "-" : "") + (abs / 1000) + "." + fraction;
    }

    /**
     * Prometheus' {@code model.Duration.String()}: units from years down to milliseconds such as {@code 1h30m},
     * years and weeks only when they divide the duration exactly; {@code 0s} below one millisecond.
     */
    public static String duration(final Duration duration) {
        long millis = duration.toNanos() / 1_000_000;
        if (millis == 0) {
            return "0s";
        }
        final StringBuilder out = new StringBuilder();
        if (millis < 0) {
            out.append('-');
            millis = -millis;
        }
        millis = appendUnit(out, millis, MILLIS_PER_YEAR, "y", true);
        millis = appendUnit(out, millis, MILLIS_PER_WEEK, "w", true);
        millis = appendUnit(out, millis, MILLIS_PER_DAY, "d", false);
        millis = appendUnit(out, millis, MILLIS_PER_HOUR, "h", false);
        millis = appendUnit(out, millis, MILLIS_PER_MINUTE, "m", false);
        millis = appendUnit(out, millis, 1000, "s", false);
        appendUnit(out, millis, 1, "ms", false);
        return out.toString();
    }

    private static long appendUnit(final StringBuilder out, final long millis, final long unitMillis, final String unit,
                                   final boolean exactOnly) {
        if (exactOnly && millis % unitMillis != 0) {
            return millis;
        }
        final long count = millis / unitMillis;
        if (count > 0) {
            out.append(count).append(unit);
            return millis - count * unitMillis;
        }
        return millis;
    }

    /** Seconds as a {@link Duration}, truncating below the nanosecond as Go's float-to-integer conversion does. */
    public static Duration secondsToDuration(final double seconds) {
        return Duration.ofNanos((long) (seconds * 1e9));
    }
}
