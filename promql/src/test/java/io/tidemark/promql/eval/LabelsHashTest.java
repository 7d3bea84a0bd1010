package io.tidemark.promql.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reference values from the xxHash C library (libxxhash 0.8.1, {@code XXH64(data, len, 0)}). */
class LabelsHashTest {

    @Test
    void shouldMatchReferenceXxHash64ForEveryInputLengthPath() {
        assertThat(hash("")).isEqualTo(0xef46db3751d8e999L);
        assertThat(hash("a")).isEqualTo(0xd24ec4f1a98c6e5bL);
        assertThat(hash("abc")).isEqualTo(0x44bc2cf5ad770999L);
        assertThat(hash("Nobody inspects the spammish repetition")).isEqualTo(0xfbcea83c8a378bf1L);
        final byte[] hundred = new byte[100];
        for (int i = 0; i < hundred.length; i++) {
            hundred[i] = (byte) i;
        }
        assertThat(LabelsHash.xxHash64(hundred, hundred.length)).isEqualTo(0x6ac1e58032166597L);
    }

    @Test
    void shouldHashLabelsAsPrometheusStringLabelsEncodingDoes() {
        final Labels labels = Labels.of("job", "api-server", "__name__", "http_requests", "instance", "0", "group",
            "canary");
        assertThat(LabelsHash.of(labels)).isEqualTo(0xfa6e5aa974a03e59L);
        assertThat(LabelsHash.sampleOffset(labels)).isCloseTo(0.9782463706693543, org.assertj.core.data.Offset
            .offset(1e-15));
    }

    private static long hash(final String s) {
        final byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return LabelsHash.xxHash64(b, b.length);
    }
}
