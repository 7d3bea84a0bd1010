package io.tidemark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PromFormatTest {
    @Test
    void shouldFormatValuesAsGoFormatFloatWithShortestDigits() {
        assertThat(PromFormat.formatValue(1)).isEqualTo("1");
        assertThat(PromFormat.formatValue(0.1)).isEqualTo("0.1");
        assertThat(PromFormat.formatValue(-2.5)).isEqualTo("-2.5");
        assertThat(PromFormat.formatValue(1e21)).isEqualTo("1000000000000000000000");
        assertThat(PromFormat.formatValue(1.5e-7)).isEqualTo("0.00000015");
        assertThat(PromFormat.formatValue(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(PromFormat.formatValue(Double.NaN)).isEqualTo("NaN");
        assertThat(PromFormat.formatValue(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PromFormat.formatValue(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(PromFormat.formatValue(0.0)).isEqualTo("0");
        assertThat(PromFormat.formatValue(-0.0)).isEqualTo("-0");
    }

    @Test
    void shouldWriteTimestampsAsSecondsWithoutTrailingZeros() {
        assertThat(timestamp(1_700_000_000_000L)).isEqualTo("1700000000");
        assertThat(timestamp(1_700_000_000_123L)).isEqualTo("1700000000.123");
        assertThat(timestamp(1_700_000_000_100L)).isEqualTo("1700000000.1");
        assertThat(timestamp(1_700_000_000_005L)).isEqualTo("1700000000.005");
        assertThat(timestamp(-1_500L)).isEqualTo("-1.5");
    }

    @Test
    void shouldParseUnixSecondsAndRfc3339() {
        assertThat(PromFormat.parseTime("1700000000")).isEqualTo(1_700_000_000_000L);
        assertThat(PromFormat.parseTime("1700000000.123")).isEqualTo(1_700_000_000_123L);
        assertThat(PromFormat.parseTime("2023-11-14T22:13:20Z")).isEqualTo(1_700_000_000_000L);
        assertThat(PromFormat.parseTime("2023-11-14T23:13:20.5+01:00")).isEqualTo(1_700_000_000_500L);
        assertThatThrownBy(() -> PromFormat.parseTime("yesterday"))
            .hasMessage("cannot parse \"yesterday\" to a valid timestamp");
        assertThatThrownBy(() -> PromFormat.parseTime("x".repeat(100_000)))
            .hasMessage("cannot parse \"" + "x".repeat(64) + "...\" to a valid timestamp");
    }

    @Test
    void shouldParseStepsAsFloatSecondsOrDurations() {
        assertThat(PromFormat.parseDurationMillis("15")).isEqualTo(15_000L);
        assertThat(PromFormat.parseDurationMillis("0.5")).isEqualTo(500L);
        assertThat(PromFormat.parseDurationMillis("1m30s")).isEqualTo(90_000L);
        assertThat(PromFormat.parseDurationMillis("15s")).isEqualTo(15_000L);
        assertThatThrownBy(() -> PromFormat.parseDurationMillis("abc"))
            .hasMessage("cannot parse \"abc\" to a valid duration");
        assertThatThrownBy(() -> PromFormat.parseDurationMillis("1e300"))
            .hasMessage("cannot parse \"1e300\" to a valid duration. It overflows int64");
    }

    @Test
    void shouldEscapeJsonStringsAsPrometheusEncoderDoes() {
        final ByteBuf out = Unpooled.buffer();
        new JsonWriter(out).string("a\"b\\c\n\t\u0001<>&\u2028é€😀" + "\uD800");
        assertThat(out.toString(StandardCharsets.UTF_8))
            .isEqualTo("\"a\\\"b\\\\c\\n\\t\\u0001\\u003c\\u003e\\u0026\\u2028é€😀\uFFFD\"");
    }

    private static String timestamp(final long millis) {
        final ByteBuf out = Unpooled.buffer();
        PromFormat.writeTimestamp(new JsonWriter(out), millis);
        return out.toString(StandardCharsets.US_ASCII);
    }
}
