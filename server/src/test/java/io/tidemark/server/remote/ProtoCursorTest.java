package io.tidemark.server.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Varints of every length from 1 to 10 bytes, followed by bytes with and without their continuation bit and at every
 * distance from the end, give their value and end where they end; truncated and over-long ones fail with the
 * decoder's own error.
 */
class ProtoCursorTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    private static byte[] varint(final long value) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.write((int) (rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.write((int) rest);
        return out.toByteArray();
    }

    /** {@code bytes} at offset 3 of a segment with {@code after} bytes of {@code fill} after them; end = the varint's end + after. */
    private static long read(final byte[] bytes, final int after, final byte fill, final long[] position) {
        final byte[] all = new byte[3 + bytes.length + after];
        java.util.Arrays.fill(all, fill);
        System.arraycopy(bytes, 0, all, 3, bytes.length);
        final ProtoCursor cursor = new ProtoCursor();
        cursor.reset(MemorySegment.ofArray(all), 3);
        final long value = cursor.varint(all.length);
        position[0] = cursor.position();
        return value;
    }

    @Test
    void shouldReadEveryLengthOfVarintAtAnyDistanceFromTheEnd() {
        System.out.println("ProtoCursorTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        final long[] position = new long[1];
        for (int bits = 0; bits <= 64; bits++) {
            for (int n = 0; n < 50; n++) {
                final long value = bits == 0 ? 0 : (random.nextLong() >>> (64 - bits)) | (1L << (bits - 1));
                final byte[] bytes = varint(value);
                for (int after = 0; after <= 10; after++) {
                    // bytes after the varint with and without their continuation bit: they must not be read into it
                    for (final byte fill : new byte[] {0, (byte) 0xFF, 0x7F}) {
                        assertThat(read(bytes, after, fill, position)).as("value %d, %d bytes after", value, after).isEqualTo(value);
                        assertThat(position[0]).isEqualTo(3 + bytes.length);
                    }
                }
            }
        }
        // a millisecond timestamp (6 bytes), and 8 bytes (56 bits) followed by continued bytes
        assertThat(read(varint(1_700_000_000_000L), 8, (byte) 0x80, position)).isEqualTo(1_700_000_000_000L);
        assertThat(read(varint((1L << 56) - 1), 8, (byte) 0x80, position)).isEqualTo((1L << 56) - 1);
        assertThat(position[0]).isEqualTo(3 + 8);
        // a non-minimal encoding (zero continued) reads as protobuf readers read it
        assertThat(read(new byte[] {(byte) 0x81, (byte) 0x80, 0}, 8, (byte) 0xFF, position)).isEqualTo(1);
        assertThat(position[0]).isEqualTo(6);
    }

    @Test
    void shouldRefuseTruncatedAndOverlongVarints() {
        final byte[] continued = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1};
        final ProtoCursor cursor = new ProtoCursor();
        cursor.reset(MemorySegment.ofArray(continued), 0);
        assertThatThrownBy(() -> cursor.varint(continued.length)).isInstanceOf(RemoteWriteFormatException.class)
            .hasMessageContaining("longer than 10 bytes");
        for (int end = 0; end < 10; end++) {
            final int stop = end;
            cursor.reset(MemorySegment.ofArray(continued), 0);
            assertThatThrownBy(() -> cursor.varint(stop)).isInstanceOf(RemoteWriteFormatException.class)
                .hasMessageContaining("truncated varint");
        }
    }
}
