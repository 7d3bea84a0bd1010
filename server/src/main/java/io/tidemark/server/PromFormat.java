package io.tidemark.server;

import io.tidemark.promql.parser.PromQlParser;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Numbers and times as Prometheus' HTTP API reads and writes them: sample values as Go's
 * {@code strconv.FormatFloat(v, 'f', -1, 64)}, timestamps as unix seconds with up to three decimals, request times as
 * RFC 3339 or unix seconds with a fraction, durations as float seconds or {@code 1m30s}.
 */
public final class PromFormat {
    /** The default start of series queries (milliseconds): before any sample, as Prometheus' {@code minTime}. */
    public static final long MIN_TIME = Long.MIN_VALUE / 2;
    /** The default end of series queries (milliseconds): after any sample, as Prometheus' {@code maxTime}. */
    public static final long MAX_TIME = Long.MAX_VALUE / 2;

    private PromFormat() {
    }

    /** A sample value as Go's {@code FormatFloat(v, 'f', -1, 64)}: shortest digits, never an exponent. */
    public static String formatValue(final double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return Double.doubleToRawLongBits(value) < 0 ? "-0" : "0";
        }
        // Double.toString gives the shortest digits that round-trip (JDK 19+), as Go's -1 precision does.
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    /** Appends a millisecond timestamp as unix seconds, the fraction without trailing zeros: {@code 1700000000.12}. */
    public static void writeTimestamp(final JsonWriter json, final long millis) {
        long t = millis;
        if (t < 0) {
            json.raw('-');
            t = -t;
        }
        json.number(t / 1000);
        final int fraction = (int) (t % 1000);
        if (fraction != 0) {
            json.raw('.');
            if (fraction < 100) {
                json.raw('0');
            }
            if (fraction < 10) {
                json.raw('0');
            }
            int digits = fraction;
            while (digits % 10 == 0) {
                digits /= 10;
            }
            json.number(digits);
        }
    }

    /**
     * Parses a request time, as Prometheus' {@code parseTime}: unix seconds with an optional fraction (rounded to the
     * millisecond) or RFC 3339 with an optional fraction of a second. Throws {@link IllegalArgumentException} with
     * Prometheus' message.
     */
    public static long parseTime(final String text) {
        final double seconds = parseGoFloat(text);
        if (!Double.isNaN(seconds)) {
            if (Double.isInfinite(seconds) || Math.abs(seconds) > 9.2e15) {
                throw new IllegalArgumentException("cannot parse \"" + SettingsParser.shorten(text) + "\" to a valid timestamp");
            }
            final double whole = seconds < 0 ? Math.ceil(seconds) : Math.floor(seconds);
            final double fraction = Math.round((seconds - whole) * 1000) / 1000.0;
            return (long) whole * 1000 + Math.round(fraction * 1000);
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (final DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("cannot parse \"" + SettingsParser.shorten(text) + "\" to a valid timestamp", e);
        }
    }

    /**
     * Parses a duration, as Prometheus' {@code parseDuration}: float seconds ({@code 15}, {@code 0.5}) or a
     * Prometheus duration ({@code 1m30s}); returns milliseconds. Throws {@link IllegalArgumentException} with
     * Prometheus' message.
     */
    public static long parseDurationMillis(final String text) {
        final double seconds = parseGoFloat(text);
        if (!Double.isNaN(seconds)) {
            final double millis = seconds * 1000;
            if (millis > Long.MAX_VALUE / 1_000_000 || millis < Long.MIN_VALUE / 1_000_000) {
                throw new IllegalArgumentException("cannot parse \"" + SettingsParser.shorten(text) + "\" to a valid duration. It overflows int64");
            }
            return Math.round(millis);
        }
        try {
            final Duration parsed = PromQlParser.parseDuration(text);
            return parsed.toMillis();
        } catch (final IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("cannot parse \"" + SettingsParser.shorten(text) + "\" to a valid duration", e);
        }
    }

    /** A decimal float as Go's {@code ParseFloat} takes it (no hex, no suffixes), or NaN when it is not one. */
    private static double parseGoFloat(final String text) {
        if (text.isEmpty() || text.length() > 64) {
            return Double.NaN;
        }
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return Double.NaN;
            }
        }
        try {
            return Double.parseDouble(text);
        } catch (final NumberFormatException e) {
            return Double.NaN;
        }
    }
}
