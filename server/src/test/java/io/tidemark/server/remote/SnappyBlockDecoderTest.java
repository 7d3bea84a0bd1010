package io.tidemark.server.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnappyBlockDecoderTest {
    /**
     * Data of varied compressibility: random bytes, short repeats (overlapping copies), long runs, text-like, and runs
     * of patterns 8 to 15 bytes long (copies whose source overlaps the first 16 bytes they write).
     */
    private static byte[] data(final Random random, final int length, final int kind) {
        final byte[] bytes = new byte[length];
        switch (kind) {
            case 0 -> random.nextBytes(bytes);
            case 1 -> {
                for (int i = 0; i < length; i++) {
                    bytes[i] = (byte) (i % (1 + random.nextInt(1, 7)));
                }
            }
            case 2 -> java.util.Arrays.fill(bytes, (byte) 'a');
            case 4 -> {
                int at = 0;
                while (at < length) {
                    final int period = random.nextInt(8, 16);
                    final int run = Math.min(length - at, period + random.nextInt(4, 40));
                    for (int i = 0; i < run; i++) {
                        bytes[at + i] = i < period ? (byte) random.nextInt() : bytes[at + i - period];
                    }
                    at += run;
                }
            }
            default -> {
                final String[] words = {"__name__", "node_cpu_seconds_total", "instance", "host-", "job", "node", "mode", "idle"};
                int at = 0;
                while (at < length) {
                    final byte[] word = (words[random.nextInt(words.length)] + random.nextInt(100)).getBytes();
                    final int n = Math.min(word.length, length - at);
                    System.arraycopy(word, 0, bytes, at, n);
                    at += n;
                }
            }
        }
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void shouldDecompressWhatSnappyJavaCompresses(final int kind) {
        final long seed = System.nanoTime();
        System.out.println("SnappyBlockDecoderTest seed=" + seed + " kind=" + kind);
        final Random random = new Random(seed);
        final NativeAllocator allocator = NativeAllocator.withLimit(NativeAllocator.UNLIMITED);
        try (SnappyBlockDecoder decoder = new SnappyBlockDecoder(allocator, 1 << 22)) {
            for (int round = 0; round < 200; round++) {
                final int length = round == 0 ? 0 : random.nextInt(round < 100 ? 300 : 200_000);
                final byte[] raw = data(random, length, kind);
                final byte[] compressed = WriteRequests.snappy(raw);
                final MemorySegment input = MemorySegment.ofArray(compressed);
                assertThat(decoder.decompress(input, 0, compressed.length)).as("seed=%d round=%d", seed, round).isEqualTo(length);
                assertThat(decoder.output().asSlice(0, length).toArray(ValueLayout.JAVA_BYTE)).as("seed=%d round=%d", seed, round)
                    .isEqualTo(raw);
            }
        }
        allocator.assertNoLeaks();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 17, 64})
    void shouldRefuseEveryTruncationOfABlock(final int step) {
        final NativeAllocator allocator = NativeAllocator.withLimit(NativeAllocator.UNLIMITED);
        final byte[] compressed = WriteRequests.snappy(data(new Random(step), 5_000, 3));
        try (SnappyBlockDecoder decoder = new SnappyBlockDecoder(allocator, 1 << 20)) {
            for (int length = 0; length < compressed.length; length += step) {
                final int cut = length;
                // an exact-size heap segment: any read past the cut would throw IndexOutOfBoundsException
                final MemorySegment input = MemorySegment.ofArray(java.util.Arrays.copyOf(compressed, cut));
                assertThatThrownBy(() -> decoder.decompress(input, 0, cut)).as("cut=%d", cut)
                    .isInstanceOf(RemoteWriteFormatException.class)
                    .extracting(e -> ((RemoteWriteFormatException) e).reason()).isEqualTo(RemoteWriteFormatException.Reason.SNAPPY);
            }
        }
        allocator.assertNoLeaks();
    }
}
