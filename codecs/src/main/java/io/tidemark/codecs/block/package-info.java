/**
 * What wraps data on its way to disk: CRC32C frames around every persisted record and block, and
 * zstd compression of sealed blocks. Both work on {@link java.lang.foreign.MemorySegment}s the
 * caller owns and allocate nothing per call. Layouts are in {@link io.tidemark.codecs.block.FrameLayout}
 * and {@code docs/format/frames.md}.
 */
package io.tidemark.codecs.block;
