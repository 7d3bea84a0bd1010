package io.tidemark.codecs.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class ZstdBlockCodecTest {

    @Test
    void shouldRoundTripBetweenNativeSegments() {
        try (Arena arena = Arena.ofConfined()) {
            final int n = 100_000;
            final MemorySegment source = arena.allocate(n);
            for (int i = 0; i < n; i++) {
                source.set(ValueLayout.JAVA_BYTE, i, (byte) (i % 251 < 200 ? 7 : i));
            }
            final MemorySegment compressed = arena.allocate(ZstdBlockCodec.maxCompressedBytes(n));
            final long length = ZstdBlockCodec.compress(source, compressed, ZstdBlockCodec.DEFAULT_LEVEL);
            assertThat(length).isPositive().isLessThan(n / 4);
            final MemorySegment restored = arena.allocate(n);
            ZstdBlockCodec.decompress(compressed.asSlice(0, length), restored);
            assertThat(restored.mismatch(source)).isEqualTo(-1);
        }
    }

    @Test
    void shouldReportDamageAndWrongLengthsAsCorruptBlocks() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment source = arena.allocate(10_000);
            source.fill((byte) 3);
            final MemorySegment compressed = arena.allocate(ZstdBlockCodec.maxCompressedBytes(source.byteSize()));
            final long length = ZstdBlockCodec.compress(source, compressed, 1);
            final MemorySegment frame = compressed.asSlice(0, length);
            assertThatThrownBy(() -> ZstdBlockCodec.decompress(frame, arena.allocate(9_999)))
                .isInstanceOf(CorruptBlockException.class);
            assertThatThrownBy(() -> ZstdBlockCodec.decompress(frame, arena.allocate(10_001)))
                .isInstanceOf(CorruptBlockException.class);
            assertThatThrownBy(() -> ZstdBlockCodec.decompress(frame.asSlice(0, length - 3), arena.allocate(10_000)))
                .isInstanceOf(CorruptBlockException.class);
            frame.set(ValueLayout.JAVA_BYTE, 0, (byte) 0);
            assertThatThrownBy(() -> ZstdBlockCodec.decompress(frame, arena.allocate(10_000)))
                .isInstanceOf(CorruptBlockException.class);
        }
    }

    @Test
    void shouldRefuseHeapSegments() {
        assertThatThrownBy(() -> ZstdBlockCodec.compress(MemorySegment.ofArray(new byte[8]), MemorySegment.ofArray(new byte[64]), 1))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
