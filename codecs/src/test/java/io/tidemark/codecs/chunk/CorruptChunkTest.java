package io.tidemark.codecs.chunk;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CorruptChunkTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    private final ChunkCodecFixture codec = new ChunkCodecFixture();

    @AfterEach
    void close() {
        codec.close();
    }

    private MemorySegment sampleChunk(final ChunkEncoding encoding, final int n) {
        final long[] timestamps = new long[n];
        final double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            timestamps[i] = 1_700_000_000_000L + i * 15_000L + (i % 3);
            // i * 1.25 scales (PACKED_SCALED then takes out the common factor 125); square roots do not
            values[i] = encoding == ChunkEncoding.PACKED_DECIMAL || encoding == ChunkEncoding.PACKED_SCALED ? i * 1.25 : Math.sqrt(i);
        }
        return codec.encode(encoding, timestamps, values, n);
    }

    @ParameterizedTest
    @EnumSource(ChunkEncoding.class)
    void shouldRejectEveryTruncation(final ChunkEncoding encoding) {
        final MemorySegment chunk = sampleChunk(encoding, 200);
        final long[] timestamps = new long[ChunkLayout.MAX_SAMPLES];
        final double[] values = new double[ChunkLayout.MAX_SAMPLES];
        try (Arena arena = Arena.ofConfined()) {
            for (long length = 0; length < chunk.byteSize(); length++) {
                // an exact-size copy: reading one byte too far would throw IndexOutOfBoundsException, not pass
                final MemorySegment truncated = arena.allocate(Math.max(1, length));
                MemorySegment.copy(chunk, 0, truncated, 0, length);
                final long cut = length;
                assertThatThrownBy(() -> codec.decoder.decode(truncated, 0, cut, timestamps, values))
                    .as("%s truncated to %d of %d bytes", encoding, cut, chunk.byteSize())
                    .isInstanceOf(CorruptChunkException.class);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ChunkEncoding.class)
    void shouldFailOnlyWithItsOwnErrorOnRandomDamage(final ChunkEncoding encoding) {
        System.out.println("CorruptChunkTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final MemorySegment original = sampleChunk(encoding, 300);
        final long[] timestamps = new long[ChunkLayout.MAX_SAMPLES];
        final double[] values = new double[ChunkLayout.MAX_SAMPLES];
        final SplittableRandom random = new SplittableRandom(SEED);
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (Arena arena = Arena.ofConfined()) {
                final MemorySegment damaged = arena.allocate(original.byteSize());
                for (int round = 0; round < 5_000; round++) {
                    MemorySegment.copy(original, 0, damaged, 0, original.byteSize());
                    final int flips = random.nextInt(1, 4);
                    for (int f = 0; f < flips; f++) {
                        final long at = random.nextLong(original.byteSize());
                        damaged.set(ValueLayout.JAVA_BYTE, at, (byte) random.nextInt(256));
                    }
                    try {
                        codec.decoder.decode(damaged, 0, damaged.byteSize(), timestamps, values);
                    } catch (final CorruptChunkException expected) {
                        // the only acceptable failure; garbage that decodes is acceptable too (CRCs catch it upstream)
                    } catch (final IllegalArgumentException e) {
                        // the damaged count may exceed the caller's arrays; they hold MAX_SAMPLES, so this is a bug
                        fail("round " + round + ": " + e);
                    } catch (final RuntimeException e) {
                        fail("round " + round + " (seed " + SEED + "): decoder threw " + e);
                    }
                }
            }
        });
    }

    @Test
    void shouldRejectAScaledFormWithReservedBitsOrAFactorBelowTwo() {
        final MemorySegment chunk = sampleChunk(ChunkEncoding.PACKED_SCALED, 100);
        final long formAt = scaledFormOffset(chunk);
        final byte form = chunk.get(ValueLayout.JAVA_BYTE, formAt);
        final long[] timestamps = new long[100];
        final double[] values = new double[100];
        for (final int reserved : new int[] {0x40, 0x80}) {
            chunk.set(ValueLayout.JAVA_BYTE, formAt, (byte) (form | reserved));
            assertThatThrownBy(() -> codec.decoder.decode(chunk, 0, chunk.byteSize(), timestamps, values))
                .isInstanceOf(CorruptChunkException.class).hasMessageContaining("reserved bits");
        }
        chunk.set(ValueLayout.JAVA_BYTE, formAt, form);
        // the factor is a one-byte zigzag varint here (125 -> 250 takes two bytes; rewrite both)
        for (final long factor : new long[] {1, 0, -3}) {
            final long zigzag = Varint.zigzag(factor);
            chunk.set(ValueLayout.JAVA_BYTE, formAt + 1, (byte) (zigzag | 0x80));
            chunk.set(ValueLayout.JAVA_BYTE, formAt + 2, (byte) 0);
            assertThatThrownBy(() -> codec.decoder.decode(chunk, 0, chunk.byteSize(), timestamps, values))
                .isInstanceOf(CorruptChunkException.class).hasMessageContaining("scaled factor " + factor);
        }
    }

    /** Offset of a PACKED_SCALED chunk's form byte: just after its timestamp run. */
    private static long scaledFormOffset(final MemorySegment chunk) {
        final long[] timestamps = new long[ChunkLayout.MAX_SAMPLES];
        final DeltaPackedReader reader = new DeltaPackedReader(MiniblockUnpackers.SCALAR);
        final byte[] bytes = new byte[(int) chunk.byteSize() + ChunkBytes.PADDING];
        MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) chunk.byteSize());
        reader.read(bytes, ChunkLayout.HEADER_BYTES, (int) chunk.byteSize(), timestamps,
            ChunkDecoder.sampleCount(chunk, 0, chunk.byteSize()));
        return reader.position();
    }
}
