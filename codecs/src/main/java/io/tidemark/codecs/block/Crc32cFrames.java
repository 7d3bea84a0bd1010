package io.tidemark.codecs.block;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Writes and checks {@link FrameLayout CRC32C frames} in one region of memory (a WAL buffer, a
 * mapped file). The JDK's CRC32C is an intrinsic (SSE4.2 / ARMv8 CRC instructions) but reads only
 * {@link ByteBuffer}s, so the region's view is made once here and repositioned per call: no
 * allocation per frame.
 *
 * <p>Not thread-safe: one per thread and region. The region must be at most 2 GiB.
 */
public final class Crc32cFrames {
    /** {@link #check} result: fewer than {@link FrameLayout#HEADER_BYTES} bytes left. */
    public static final long TRUNCATED_HEADER = -1;
    /** {@link #check} result: the declared payload runs past the end. */
    public static final long TRUNCATED_PAYLOAD = -2;
    /** {@link #check} result: the declared length is above {@link FrameLayout#MAX_PAYLOAD_BYTES}. */
    public static final long LENGTH_OUT_OF_RANGE = -3;
    /** {@link #check} result: the checksum does not match. */
    public static final long CHECKSUM_MISMATCH = -4;

    private final MemorySegment region;
    private final ByteBuffer view;
    private final CRC32C crc = new CRC32C();

    public Crc32cFrames(final MemorySegment region) {
        if (region.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("region larger than 2 GiB: bytes=" + region.byteSize());
        }
        this.region = region;
        this.view = region.asByteBuffer();
    }

    /**
     * Seals the frame at {@code offset} whose payload (already written at {@code offset + 8}) is
     * {@code payloadLength} bytes long. Returns the offset just after the frame.
     */
    public long seal(final long offset, final int payloadLength) {
        if (payloadLength < 0 || payloadLength > FrameLayout.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payloadLength out of range: payloadLength=" + payloadLength);
        }
        region.set(FrameLayout.U32, offset + FrameLayout.LENGTH_OFFSET, payloadLength);
        region.set(FrameLayout.U32, offset + FrameLayout.CHECKSUM_OFFSET, checksum(offset, payloadLength));
        return offset + FrameLayout.HEADER_BYTES + payloadLength;
    }

    /**
     * Checks the frame at {@code offset}, which must end before {@code end}. Returns the payload
     * length, or one of the negative results above: a reader stops at the first of those (a torn
     * or damaged tail) and keeps every frame before it.
     */
    public long check(final long offset, final long end) {
        if (end - offset < FrameLayout.HEADER_BYTES) {
            return TRUNCATED_HEADER;
        }
        final long length = Integer.toUnsignedLong(region.get(FrameLayout.U32, offset + FrameLayout.LENGTH_OFFSET));
        if (length > FrameLayout.MAX_PAYLOAD_BYTES) {
            return LENGTH_OUT_OF_RANGE;
        }
        if (end - offset - FrameLayout.HEADER_BYTES < length) {
            return TRUNCATED_PAYLOAD;
        }
        final int stored = region.get(FrameLayout.U32, offset + FrameLayout.CHECKSUM_OFFSET);
        return stored == checksum(offset, (int) length) ? length : CHECKSUM_MISMATCH;
    }

    /** What a negative {@link #check} result means, for logs and errors. */
    public static String describe(final long result) {
        return switch ((int) result) {
            case (int) TRUNCATED_HEADER -> "truncated frame header";
            case (int) TRUNCATED_PAYLOAD -> "frame payload runs past the end";
            case (int) LENGTH_OUT_OF_RANGE -> "frame length above " + FrameLayout.MAX_PAYLOAD_BYTES;
            case (int) CHECKSUM_MISMATCH -> "CRC32C mismatch";
            default -> result >= 0 ? "valid frame of " + result + " bytes" : "unknown frame result " + result;
        };
    }

    private int checksum(final long offset, final int payloadLength) {
        crc.reset();
        final int start = (int) offset;
        view.limit(start + FrameLayout.CHECKSUM_OFFSET).position(start + FrameLayout.LENGTH_OFFSET);
        crc.update(view);
        final int payload = start + FrameLayout.HEADER_BYTES;
        view.limit(payload + payloadLength).position(payload);
        crc.update(view);
        return (int) crc.getValue();
    }
}
