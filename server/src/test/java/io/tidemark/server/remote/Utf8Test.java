package io.tidemark.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {
    private static boolean jdkSaysValid(final byte[] bytes, final int from, final int length) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, length));
            return true;
        } catch (final CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void shouldAgreeWithTheJdkDecoderOnRandomAndMostlyAsciiStrings() {
        final long seed = System.nanoTime();
        System.out.println("Utf8Test seed=" + seed);
        final Random random = new Random(seed);
        final String[] pieces = {"a", "job", "é", "€", "𝄞", "日本", "\u0000"};
        for (int i = 0; i < 50_000; i++) {
            final byte[] bytes;
            if (random.nextBoolean()) {
                final StringBuilder text = new StringBuilder();
                for (int p = random.nextInt(12); p > 0; p--) {
                    text.append(pieces[random.nextInt(pieces.length)]);
                }
                bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                if (bytes.length > 0 && random.nextInt(3) == 0) {
                    bytes[random.nextInt(bytes.length)] = (byte) (0x80 | random.nextInt(128));
                }
            } else {
                bytes = new byte[random.nextInt(24)];
                random.nextBytes(bytes);
                for (int b = 0; b < bytes.length; b++) {
                    if (random.nextInt(4) != 0) {
                        bytes[b] &= 0x7F;
                    }
                }
            }
            // Bytes on both sides, so the fast paths' wide reads have something to read past the string.
            final byte[] padded = new byte[bytes.length + 16];
            java.util.Arrays.fill(padded, (byte) 0xFF);
            System.arraycopy(bytes, 0, padded, 8, bytes.length);
            assertThat(Utf8.isValid(MemorySegment.ofArray(padded), 8, bytes.length)).as("seed=%d bytes=%s", seed, java.util.Arrays.toString(bytes))
                .isEqualTo(jdkSaysValid(bytes, 0, bytes.length));
            assertThat(Utf8.isValid(MemorySegment.ofArray(bytes), 0, bytes.length)).as("seed=%d bytes=%s", seed, java.util.Arrays.toString(bytes))
                .isEqualTo(jdkSaysValid(bytes, 0, bytes.length));
        }
    }

    @Test
    void shouldRefuseOverlongsSurrogatesAndCodePointsPastTheLast() {
        assertThat(Utf8.isValid(MemorySegment.ofArray(new byte[] {(byte) 0xC0, (byte) 0xAF}), 0, 2)).isFalse();
        assertThat(Utf8.isValid(MemorySegment.ofArray(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), 0, 3)).isFalse();
        assertThat(Utf8.isValid(MemorySegment.ofArray(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}), 0, 4)).isFalse();
        assertThat(Utf8.isValid(MemorySegment.ofArray(new byte[] {(byte) 0xF0, (byte) 0x9D, (byte) 0x84, (byte) 0x9E}), 0, 4)).isTrue();
    }
}
