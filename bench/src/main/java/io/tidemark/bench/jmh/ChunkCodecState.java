package io.tidemark.bench.jmh;

import io.tidemark.bench.codecs.BenchCodec;
import io.tidemark.bench.codecs.ChunkCorpus;
import io.tidemark.bench.data.Datasets;
import io.tidemark.codecs.chunk.ChunkDecoder;
import io.tidemark.codecs.chunk.ChunkEncoder;
import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** {@value #CHUNKS} full chunks of {@value #CHUNK_SAMPLES} samples of a dataset, and their encoding with one codec. */
@State(Scope.Thread)
public class ChunkCodecState {
    /** Chunks per benchmark invocation. */
    public static final int CHUNKS = 1000;
    /** Samples per chunk. */
    public static final int CHUNK_SAMPLES = 240;
    /** Samples per benchmark invocation. */
    public static final int SAMPLES = CHUNKS * CHUNK_SAMPLES;

    @Param({"node", "tsbs"})
    public String dataset;

    /** gorilla, packed (decimal where it applies, else XOR) or best (the encoder's choice). */
    @Param({"gorilla", "packed", "best"})
    public String codec;

    final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
    ChunkEncoder encoder;
    BenchCodec chunkCodec;
    final ChunkDecoder decoder = new ChunkDecoder();
    ChunkCorpus corpus;
    Allocation encoded;
    final long[] offsets = new long[CHUNKS];
    final int[] lengths = new int[CHUNKS];
    final long[] timestamps = new long[CHUNK_SAMPLES];
    final double[] values = new double[CHUNK_SAMPLES];

    @Setup(Level.Trial)
    public void setUp() {
        corpus = ChunkCorpus.of(Datasets.byName(dataset, 1, "tsbs".equals(dataset) ? 200 : 20, 720), CHUNK_SAMPLES);
        if (corpus.chunks() < CHUNKS) {
            throw new IllegalStateException("corpus too small: chunks=" + corpus.chunks());
        }
        for (int i = 0; i < CHUNKS; i++) {
            if (corpus.timestamps(i).length != CHUNK_SAMPLES) {
                throw new IllegalStateException("chunk " + i + " is not full");
            }
        }
        chunkCodec = BenchCodec.named(codec);
        encoder = new ChunkEncoder(allocator, CHUNK_SAMPLES);
        encoded = allocator.allocate(MemoryTag.TEST, CHUNKS * ChunkEncoder.maxBytes(CHUNK_SAMPLES));
        long position = 0;
        for (int i = 0; i < CHUNKS; i++) {
            offsets[i] = position;
            lengths[i] = encode(i, encoded.segment(), position);
            position += lengths[i];
        }
    }

    /** Encodes chunk {@code i} at {@code offset} with this state's codec; returns its length. */
    int encode(final int i, final MemorySegment out, final long offset) {
        return chunkCodec.encode(encoder, corpus.timestamps(i), corpus.values(i), out, offset);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.close();
        encoded.close();
        allocator.assertNoLeaks();
    }
}
