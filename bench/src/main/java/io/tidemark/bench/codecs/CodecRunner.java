package io.tidemark.bench.codecs;

import io.tidemark.codecs.block.ZstdBlockCodec;
import io.tidemark.codecs.chunk.ChunkDecoder;
import io.tidemark.codecs.chunk.ChunkEncoder;
import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/** Encodes and decodes a whole {@link ChunkCorpus} with one codec and times it. Not thread-safe. */
final class CodecRunner implements AutoCloseable {
    /** Compressed unit of the zstd codec: best-encoded chunks gathered until this many bytes. */
    static final int ZSTD_FRAME_BYTES = 64 << 10;
    private static final int WARMUP_ROUNDS = 3;

    /** The codecs measured: the chunk codecs, and the best one compressed with zstd as sealed blocks are. */
    enum Codec {
        GORILLA("gorilla", BenchCodec.GORILLA),
        PACKED("packed", BenchCodec.PACKED),
        BEST("best", BenchCodec.BEST),
        BEST_ZSTD("best+zstd", BenchCodec.BEST);

        private final String label;
        private final BenchCodec chunks;

        Codec(final String label, final BenchCodec chunks) {
            this.label = label;
            this.chunks = chunks;
        }

        String label() {
            return label;
        }
    }

    /** Total encoded bytes and median nanoseconds of one encode and one decode of the corpus. */
    record Result(double bytes, double encodeNanos, double decodeNanos) {
    }

    private final ChunkCorpus corpus;
    private final ChunkEncoder encoder;
    private final ChunkDecoder decoder = new ChunkDecoder();
    private final Allocation encoded;
    private final Allocation compressed;
    private final Allocation frameScratch;
    private final long[] offsets;
    private final int[] lengths;
    private final long[] frameOffsets;
    private final long[] frameLengths;
    private final int[] frameFirstChunk;
    private final long[] decodedTimestamps;
    private final double[] decodedValues;
    private int frames;
    private long encodedBytes;
    private long checksum;

    CodecRunner(final NativeAllocator allocator, final ChunkCorpus corpus) {
        this.corpus = corpus;
        this.encoder = new ChunkEncoder(allocator, corpus.maxChunkSamples());
        final long capacity = corpus.chunks() * ChunkEncoder.maxBytes(corpus.maxChunkSamples());
        this.encoded = allocator.allocate(MemoryTag.TEST, capacity);
        this.compressed = allocator.allocate(MemoryTag.TEST, ZstdBlockCodec.maxCompressedBytes(capacity));
        this.frameScratch = allocator.allocate(MemoryTag.TEST, ZSTD_FRAME_BYTES + ChunkEncoder.maxBytes(corpus.maxChunkSamples()));
        this.offsets = new long[corpus.chunks() + 1];
        this.lengths = new int[corpus.chunks()];
        this.frameOffsets = new long[corpus.chunks() + 1];
        this.frameLengths = new long[corpus.chunks() + 1];
        this.frameFirstChunk = new int[corpus.chunks() + 1];
        this.decodedTimestamps = new long[corpus.maxChunkSamples()];
        this.decodedValues = new double[corpus.maxChunkSamples()];
    }

    Result measure(final Codec codec, final int rounds) {
        final long[] encodeTimes = new long[rounds];
        final long[] decodeTimes = new long[rounds];
        for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
            final long start = System.nanoTime();
            final long bytes = encodeAll(codec);
            final long encodedAt = System.nanoTime();
            decodeAll(codec);
            final long decodedAt = System.nanoTime();
            if (round >= 0) {
                encodeTimes[round] = encodedAt - start;
                decodeTimes[round] = decodedAt - encodedAt;
            }
            encodedBytes = bytes;
        }
        verify();
        return new Result(encodedBytes, median(encodeTimes), median(decodeTimes));
    }

    private long encodeAll(final Codec codec) {
        final MemorySegment out = encoded.segment();
        long position = 0;
        for (int i = 0; i < corpus.chunks(); i++) {
            final int bytes = codec.chunks.encode(encoder, corpus.timestamps(i), corpus.values(i), out, position);
            offsets[i] = position;
            lengths[i] = bytes;
            position += bytes;
        }
        offsets[corpus.chunks()] = position;
        return codec == Codec.BEST_ZSTD ? compressFrames() : position;
    }

    /** Gathers consecutive chunks into frames of about {@link #ZSTD_FRAME_BYTES} and compresses each. */
    private long compressFrames() {
        final MemorySegment source = encoded.segment();
        final MemorySegment target = compressed.segment();
        long written = 0;
        frames = 0;
        int first = 0;
        while (first < corpus.chunks()) {
            int last = first;
            while (last < corpus.chunks() && offsets[last + 1] - offsets[first] <= ZSTD_FRAME_BYTES) {
                last++;
            }
            last = Math.max(last, first + 1);
            final MemorySegment raw = source.asSlice(offsets[first], offsets[last] - offsets[first]);
            final long length = ZstdBlockCodec.compress(raw, target.asSlice(written), ZstdBlockCodec.DEFAULT_LEVEL);
            frameOffsets[frames] = written;
            frameLengths[frames] = length;
            frameFirstChunk[frames] = first;
            frames++;
            written += length;
            first = last;
        }
        frameFirstChunk[frames] = corpus.chunks();
        return written;
    }

    private void decodeAll(final Codec codec) {
        long sum = 0;
        if (codec == Codec.BEST_ZSTD) {
            final MemorySegment scratch = frameScratch.segment();
            for (int f = 0; f < frames; f++) {
                final int first = frameFirstChunk[f];
                final int end = frameFirstChunk[f + 1];
                final long rawBytes = offsets[end] - offsets[first];
                ZstdBlockCodec.decompress(compressed.segment().asSlice(frameOffsets[f], frameLengths[f]),
                    scratch.asSlice(0, rawBytes));
                for (int i = first; i < end; i++) {
                    sum += decodeOne(scratch, offsets[i] - offsets[first], lengths[i]);
                }
            }
        } else {
            final MemorySegment in = encoded.segment();
            for (int i = 0; i < corpus.chunks(); i++) {
                sum += decodeOne(in, offsets[i], lengths[i]);
            }
        }
        checksum += sum;
    }

    private long decodeOne(final MemorySegment in, final long offset, final int length) {
        final int n = decoder.decode(in, offset, length, decodedTimestamps, decodedValues);
        return decodedTimestamps[n - 1] ^ Double.doubleToRawLongBits(decodedValues[n - 1]);
    }

    /** Decodes every chunk once more and compares it with the input: a benchmark of a wrong codec is worthless. */
    private void verify() {
        final MemorySegment in = encoded.segment();
        for (int i = 0; i < corpus.chunks(); i++) {
            final int n = decoder.decode(in, offsets[i], lengths[i], decodedTimestamps, decodedValues);
            final long[] expectedTimestamps = corpus.timestamps(i);
            final double[] expectedValues = corpus.values(i);
            for (int j = 0; j < n; j++) {
                if (decodedTimestamps[j] != expectedTimestamps[j]
                    || Double.doubleToRawLongBits(decodedValues[j]) != Double.doubleToRawLongBits(expectedValues[j])) {
                    throw new IllegalStateException("round trip differs at chunk " + i + " sample " + j);
                }
            }
            if (n != expectedTimestamps.length) {
                throw new IllegalStateException("chunk " + i + " decoded " + n + " samples, expected " + expectedTimestamps.length);
            }
        }
    }

    private static double median(final long[] times) {
        final long[] sorted = times.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Consumed so the JIT cannot drop decoding. */
    long checksum() {
        return checksum;
    }

    @Override
    public void close() {
        encoder.close();
        encoded.close();
        compressed.close();
        frameScratch.close();
    }
}
