package io.tidemark.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelOrderTest {
    @Test
    void shouldOrderNamesAsUnsignedBytesLikeArraysCompareUnsigned() {
        final long seed = System.nanoTime();
        System.out.println("LabelOrderTest seed=" + seed);
        final Random random = new Random(seed);
        final byte[] alphabet = {'a', 'b', '_', (byte) 0xC3, (byte) 0x7F, 0};
        for (int i = 0; i < 100_000; i++) {
            final byte[] first = new byte[random.nextInt(14)];
            final byte[] second = new byte[random.nextInt(14)];
            for (int k = 0; k < first.length; k++) {
                first[k] = alphabet[random.nextInt(alphabet.length)];
            }
            for (int k = 0; k < second.length; k++) {
                second[k] = k < first.length && random.nextInt(3) > 0 ? first[k] : alphabet[random.nextInt(alphabet.length)];
            }
            // the two names, then 0..9 more bytes: names near the end take the slow path
            final byte[] body = new byte[first.length + second.length + random.nextInt(10)];
            Arrays.fill(body, (byte) 0xEE);
            System.arraycopy(first, 0, body, 0, first.length);
            System.arraycopy(second, 0, body, first.length, second.length);
            final int expected = Integer.signum(Arrays.compareUnsigned(first, second));
            assertThat(Integer.signum(InvalidSeries.compareUnsigned(MemorySegment.ofArray(body), 0, first.length, first.length,
                second.length))).as("seed=%d first=%s second=%s", seed, Arrays.toString(first), Arrays.toString(second))
                .isEqualTo(expected);
        }
    }
}
