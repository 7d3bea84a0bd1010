package io.tidemark.bench.jmh;

import io.tidemark.bench.BenchFiles;
import io.tidemark.bench.index.NodeLabelSets;
import io.tidemark.bench.remotewrite.RemoteWriteRequests;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.server.remote.RemoteWriteIngest;
import io.tidemark.server.remote.RemoteWriteLimits;
import io.tidemark.server.remote.RemoteWriteResult;
import io.tidemark.server.remote.SnappyBlockDecoder;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xerial.snappy.Snappy;

/**
 * Remote write per sample, for requests of {@value #SAMPLES} samples of node-exporter-like series (one
 * sample per series, as a Prometheus shard's batch of one scrape round): {@code ingest} is the whole
 * path (snappy, protobuf walk, series found by their raw label bytes in the remote-write cache, append, one
 * commit) into a running {@link Tidemark} (2 shards, WAL in the OS-write mode) whose series exist and were sent
 * before, as in a running Prometheus' remote write; {@code snappyPureJava}
 * and {@code snappyJava} decompress only, with Tidemark's decoder over a {@code MemorySegment} and with
 * snappy-java's native one over direct ByteBuffers: MB/s = decompressed bytes per request (printed at
 * setup) / (ns per sample x {@value #SAMPLES}). {@value #REQUESTS} requests with successive timestamps
 * are cycled: after the first pass, the samples repeat (the head drops them as duplicates; the producer's
 * cost is the same).
 *
 * <p>{@code ./tidemark bench jmh RemoteWriteBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@State(Scope.Thread)
public class RemoteWriteBenchmark {
    private static final int SAMPLES = 2_000;
    private static final int REQUESTS = 256;

    private Path directory;
    private Tidemark db;
    private RemoteWriteIngest ingest;
    private SnappyBlockDecoder snappy;
    private Arena arena;
    private MemorySegment[] bodies;
    private ByteBuffer[] directBodies;
    private ByteBuffer snappyJavaOutput;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory(Path.of("").toAbsolutePath(), "remote-write-bench-");
        db = Tidemark.open(TidemarkConfig.defaults(directory)
            .withWal(WalConfig.defaults().withDurability(Durability.OS_WRITE_LOST_ON_POWER_FAILURE)));
        final NativeAllocator allocator = NativeAllocator.withLimit(NativeAllocator.UNLIMITED);
        ingest = new RemoteWriteIngest(db, RemoteWriteLimits.DEFAULT, allocator, null);
        snappy = new SnappyBlockDecoder(allocator, RemoteWriteLimits.DEFAULT.maxDecompressedBytes());
        arena = Arena.ofShared();
        bodies = new MemorySegment[REQUESTS];
        directBodies = new ByteBuffer[REQUESTS];
        long raw = 0;
        long compressed = 0;
        try (NodeLabelSets sets = NodeLabelSets.generate(allocator, 1, SAMPLES)) {
            final long[] offsets = new long[SAMPLES];
            final int[] lengths = new int[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                offsets[i] = sets.offset(i);
                lengths[i] = sets.length(i);
            }
            for (int r = 0; r < REQUESTS; r++) {
                final byte[] request = RemoteWriteRequests.encode(sets.bytes(), offsets, lengths, SAMPLES, 1_700_000_000_000L + r * 15_000L);
                final byte[] body = RemoteWriteRequests.compress(request);
                raw += request.length;
                compressed += body.length;
                bodies[r] = arena.allocate(body.length);
                MemorySegment.copy(body, 0, bodies[r], ValueLayout.JAVA_BYTE, 0, body.length);
                directBodies[r] = ByteBuffer.allocateDirect(body.length).put(body).flip();
            }
        }
        snappyJavaOutput = ByteBuffer.allocateDirect((int) (raw / REQUESTS) * 2);
        System.out.println("remote-write request: samples=" + SAMPLES + " decompressedBytes=" + raw / REQUESTS
            + " compressedBytes=" + compressed / REQUESTS);
        final RemoteWriteResult first = ingest.ingest("bench", bodies[0], 0, bodies[0].byteSize());
        if (first.samplesStored() != SAMPLES) {
            throw new IllegalStateException("the benchmark's request does not store: " + first);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        ingest.close();
        snappy.close();
        db.close();
        arena.close();
        BenchFiles.deleteRecursively(directory);
    }

    /** Decompresses, decodes, validates, resolves and appends one request, and commits it. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public long ingest() {
        final MemorySegment body = bodies[advance()];
        return ingest.ingest("bench", body, 0, body.byteSize()).samplesStored();
    }

    /** Decompresses one request with Tidemark's pure-Java snappy block decoder. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public long snappyPureJava() {
        final MemorySegment body = bodies[advance()];
        return snappy.decompress(body, 0, body.byteSize());
    }

    /** Decompresses one request with snappy-java's native decoder, direct buffer to direct buffer. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public long snappyJava() throws IOException {
        final ByteBuffer body = directBodies[advance()];
        snappyJavaOutput.clear();
        return Snappy.uncompress(body, snappyJavaOutput);
    }

    private int advance() {
        final int current = next;
        next = current + 1 == REQUESTS ? 0 : current + 1;
        return current;
    }
}
