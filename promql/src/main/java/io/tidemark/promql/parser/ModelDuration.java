package io.tidemark.promql.parser;

import java.time.Duration;

/**
 * Prometheus' duration syntax ({@code model.ParseDuration} of prometheus/common): integers with units from {@code y}
 * down to {@code ms}, each unit at most once and in descending order ({@code 1h30m}, {@code 1y}, {@code 500ms}), a
 * bare {@code 0}; a year is 365 days, a week 7 days. The total must fit Go's 64-bit nanosecond duration.
 */
final class ModelDuration {
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] UNIT_NANOS = {
        365L * 24 * 3600 * 1_000_000_000L, 7L * 24 * 3600 * 1_000_000_000L, 24L * 3600 * 1_000_000_000L,
        3600L * 1_000_000_000L, 60L * 1_000_000_000L, 1_000_000_000L, 1_000_000L,
    };

    private ModelDuration() {
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} with Prometheus' message when it is not valid. */
    static Duration parse(final String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty duration string");
        }
        long total = 0;
        int lastUnit = -1;
        int i = 0;
        while (i < text.length()) {
            if (!isDigit(text.charAt(i))) {
                throw invalid(text);
            }
            final int digitsStart = i;
            while (i < text.length() && isDigit(text.charAt(i))) {
                i++;
            }
            final long value;
            try {
                value = Long.parseUnsignedLong(text.substring(digitsStart, i));
            } catch (final NumberFormatException tooLong) {
                throw invalid(text);
            }
            final int unitStart = i;
            while (i < text.length() && !isDigit(text.charAt(i))) {
                i++;
            }
            if (i == unitStart) {
                throw invalid(text);
            }
            final String unitText = text.substring(unitStart, i);
            final int unit = indexOf(unitText);
            if (unit < 0) {
                throw new IllegalArgumentException("unknown unit " + GoText.quote(unitText) + " in duration "
                    + GoText.quote(text));
            }
            if (unit <= lastUnit) {
                throw invalid(text);
            }
            lastUnit = unit;
            if (Long.compareUnsigned(value, Long.divideUnsigned(Long.MIN_VALUE, UNIT_NANOS[unit])) > 0) {
                throw new IllegalArgumentException("duration out of range");
            }
            total += value * UNIT_NANOS[unit];
            if (total < 0) {
                throw new IllegalArgumentException("duration out of range");
            }
        }
        return Duration.ofNanos(total);
    }

    private static int indexOf(final String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isDigit(final char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(final String text) {
        return new IllegalArgumentException("not a valid duration string: " + GoText.quote(text));
    }
}
