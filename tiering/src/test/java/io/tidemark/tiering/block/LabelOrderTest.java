package io.tidemark.tiering.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelOrderTest {
    private static final String[] PIECES = {"a", "b", "z", "é", "\u00ff", "\u0800", "\uD7FF", "\uE000", "\uFFFD", "\uFFFF",
        "𝄞", "😀", "\uDBFF\uDFFF", ""};

    @Test
    void shouldOrderStringsAsTheirUtf8BytesUnsigned() {
        final long seed = System.nanoTime();
        System.out.println("LabelOrderTest random seed=" + seed);
        final Random random = new Random(seed);
        for (int i = 0; i < 50_000; i++) {
            final String a = randomString(random);
            final String b = randomString(random);
            final int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
            assertThat(Integer.signum(LabelOrder.compare(a, b))).as("compare(%s, %s)", a, b).isEqualTo(expected);
        }
    }

    @Test
    void shouldOrderLabelSetsPairByPairShorterFirst() {
        assertThat(LabelOrder.compareLabelSets(new String[] {"a", "1"}, new String[] {"a", "1", "b", "0"})).isNegative();
        assertThat(LabelOrder.compareLabelSets(new String[] {"a", "2"}, new String[] {"a", "1", "b", "0"})).isPositive();
        assertThat(LabelOrder.compareLabelSets(new String[] {"a", "1"}, new String[] {"a", "1"})).isZero();
    }

    private static String randomString(final Random random) {
        final StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(4); i >= 0; i--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }
}
