package io.tidemark.promql.parser;

import io.tidemark.promql.ast.NumberLiteral;
import io.tidemark.promql.ast.StringLiteral;

import java.time.Duration;

/** Literal tokens turned into values, with Prometheus' error messages, and Go's rounding. */
final class Literals {
    /** Durations beyond this many seconds overflow Go's int64 nanoseconds ({@code durationLiteralOutOfRange}). */
    private static final double MAX_DURATION_SECONDS = 9.223372036854775807e9;

    private Literals() {
    }

    /** A NUMBER or DURATION token as a literal (durations in seconds, marked as such). */
    static NumberLiteral number(final TokenStream tokens, final Token token) {
        return new NumberLiteral(value(tokens, token), token.type() == TokenType.DURATION, TokenStream.range(token));
    }

    /** A NUMBER token's float, or a DURATION token's seconds. */
    static double value(final TokenStream tokens, final Token token) {
        if (token.type() == TokenType.DURATION) {
            final Duration duration;
            try {
                duration = ModelDuration.parse(token.text());
            } catch (final IllegalArgumentException invalid) {
                throw tokens.error(TokenStream.range(token), invalid.getMessage());
            }
            return duration.getSeconds() + duration.getNano() / 1e9;
        }
        try {
            return GoText.parseNumber(token.text());
        } catch (final IllegalArgumentException invalid) {
            throw tokens.error(TokenStream.range(token), "error parsing number: " + invalid.getMessage());
        }
    }

    static StringLiteral string(final TokenStream tokens, final Token token) {
        return new StringLiteral(unquote(tokens, token), TokenStream.range(token));
    }

    static String unquote(final TokenStream tokens, final Token token) {
        try {
            return GoText.unquote(token.text());
        } catch (final IllegalArgumentException invalid) {
            throw tokens.error(TokenStream.range(token), "error unquoting string " + GoText.quote(token.text())
                + ": " + invalid.getMessage());
        }
    }

    /** True if {@code seconds} cannot be a Go duration. */
    static boolean durationOutOfRange(final double seconds) {
        return seconds > MAX_DURATION_SECONDS || seconds < -MAX_DURATION_SECONDS;
    }

    /** Seconds as a duration, rounded to the nanosecond as Prometheus does. */
    static Duration secondsToDuration(final double seconds) {
        return Duration.ofNanos((long) goRound(seconds * 1e9));
    }

    /** Go's {@code math.Round}: half away from zero. */
    static double goRound(final double x) {
        final double nearest = Math.rint(x);
        if (Math.abs(x - nearest) == 0.5) {
            return x + Math.copySign(0.5, x);
        }
        return nearest;
    }
}
