/**
 * Chunk encodings: a run of samples (millisecond timestamps and float64 values) of one series,
 * encoded into a region of a {@link java.lang.foreign.MemorySegment} that the caller owns.
 *
 * <p>{@link io.tidemark.codecs.chunk.GorillaEncoder} appends sample by sample (the head's format);
 * {@link io.tidemark.codecs.chunk.ChunkEncoder} re-encodes a finished chunk into whichever encoding
 * is smallest (Gorilla, packed timestamps with XOR values, or packed timestamps with values as
 * scaled integers: decimal quotients, products of an integer and 10^-e, with a common factor taken out); {@link io.tidemark.codecs.chunk.ChunkDecoder} decodes any of them in bulk into arrays
 * the caller owns. Every layout is in {@link io.tidemark.codecs.chunk.ChunkLayout} and
 * {@code docs/format/chunks.md}. Decoders treat their input as untrusted: damage is reported as
 * {@link io.tidemark.codecs.chunk.CorruptChunkException}, never as a read outside the chunk.
 */
package io.tidemark.codecs.chunk;
