package io.tidemark.codecs.block;

import com.github.luben.zstd.Zstd;
import java.lang.foreign.MemorySegment;

/**
 * zstd compression of sealed blocks, between native {@link MemorySegment}s, through zstd-jni's
 * address-based calls: no copies onto the heap and no allocation per call.
 *
 * <p>The native call sees raw addresses, so the caller must keep both segments alive (their arenas
 * open) for the duration of the call. Stateless and thread-safe.
 */
public final class ZstdBlockCodec {
    /** The level sealed blocks use unless configured: zstd's default, a measured balance for our chunks. */
    public static final int DEFAULT_LEVEL = 3;

    private ZstdBlockCodec() {
    }

    /** Most bytes compressing {@code sourceBytes} bytes can take. */
    public static long maxCompressedBytes(final long sourceBytes) {
        return Zstd.compressBound(sourceBytes);
    }

    /**
     * Compresses {@code source} into {@code target}; returns the compressed length.
     *
     * @throws IllegalArgumentException if a segment is not native or {@code target} is too small
     */
    public static long compress(final MemorySegment source, final MemorySegment target, final int level) {
        requireNative(source, "source");
        requireNative(target, "target");
        final long result = Zstd.compressUnsafe(target.address(), target.byteSize(), source.address(), source.byteSize(), level);
        if (Zstd.isError(result)) {
            throw new IllegalArgumentException("zstd compression failed: " + Zstd.getErrorName(result)
                + " sourceBytes=" + source.byteSize() + " targetBytes=" + target.byteSize());
        }
        return result;
    }

    /**
     * Decompresses {@code source} into {@code target}, which must be exactly the original length.
     *
     * @throws CorruptBlockException if the data is damaged or does not decompress to exactly that length
     */
    public static void decompress(final MemorySegment source, final MemorySegment target) {
        requireNative(source, "source");
        requireNative(target, "target");
        final long result = Zstd.decompressUnsafe(target.address(), target.byteSize(), source.address(), source.byteSize());
        if (Zstd.isError(result)) {
            throw new CorruptBlockException("zstd says " + Zstd.getErrorName(result) + " (compressedBytes=" + source.byteSize()
                + " expectedBytes=" + target.byteSize() + ')');
        }
        if (result != target.byteSize()) {
            throw new CorruptBlockException("decompressed to " + result + " bytes, expected " + target.byteSize());
        }
    }

    private static void requireNative(final MemorySegment segment, final String name) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException(name + " must be a native segment: " + segment);
        }
    }
}
