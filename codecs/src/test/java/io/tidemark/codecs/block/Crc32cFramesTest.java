package io.tidemark.codecs.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cFramesTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    @Test
    void shouldSealAndCheckFramesBackToBack() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment region = arena.allocate(4096);
            final Crc32cFrames frames = new Crc32cFrames(region);
            long at = 0;
            final int[] lengths = {0, 1, 17, 300};
            for (final int length : lengths) {
                for (int i = 0; i < length; i++) {
                    region.set(ValueLayout.JAVA_BYTE, at + FrameLayout.HEADER_BYTES + i, (byte) (i * 31 + length));
                }
                at = frames.seal(at, length);
            }
            long read = 0;
            for (final int length : lengths) {
                assertThat(frames.check(read, at)).isEqualTo(length);
                read += FrameLayout.HEADER_BYTES + length;
            }
            assertThat(read).isEqualTo(at);
            assertThat(frames.check(read, at)).isEqualTo(Crc32cFrames.TRUNCATED_HEADER);
        }
    }

    @Test
    void shouldUseStandardCrc32cOverLengthAndPayload() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment region = arena.allocate(64);
            final byte[] payload = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            MemorySegment.copy(payload, 0, region, ValueLayout.JAVA_BYTE, FrameLayout.HEADER_BYTES, payload.length);
            new Crc32cFrames(region).seal(0, payload.length);
            final CRC32C expected = new CRC32C();
            expected.update(new byte[] {0, 0, 0, 9});
            expected.update(payload);
            assertThat(region.get(FrameLayout.U32, FrameLayout.CHECKSUM_OFFSET)).isEqualTo((int) expected.getValue());
        }
    }

    @Test
    void shouldDetectEverySingleByteDamageAndEveryTruncation() {
        final SplittableRandom random = new SplittableRandom(SEED);
        System.out.println("Crc32cFramesTest seed=" + SEED);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment region = arena.allocate(256);
            final Crc32cFrames frames = new Crc32cFrames(region);
            final int length = 100;
            for (int i = 0; i < length; i++) {
                region.set(ValueLayout.JAVA_BYTE, FrameLayout.HEADER_BYTES + i, (byte) random.nextInt(256));
            }
            final long end = frames.seal(0, length);
            for (long cut = 0; cut < end; cut++) {
                assertThat(frames.check(0, cut)).as("cut at %d", cut).isNegative();
            }
            for (long at = 0; at < end; at++) {
                final byte original = region.get(ValueLayout.JAVA_BYTE, at);
                region.set(ValueLayout.JAVA_BYTE, at, (byte) (original ^ (1 + random.nextInt(255))));
                final long result = frames.check(0, end);
                assertThat(result).as("damage at %d: %s", at, Crc32cFrames.describe(result)).isNegative();
                region.set(ValueLayout.JAVA_BYTE, at, original);
            }
            assertThat(frames.check(0, end)).isEqualTo(length);
        }
    }
}
