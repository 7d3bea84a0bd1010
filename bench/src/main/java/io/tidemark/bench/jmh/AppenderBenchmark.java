package io.tidemark.bench.jmh;

import io.tidemark.bench.BenchFiles;
import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.index.series.LabelSet;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The producer's cost of one sample through the embeddable database's in-process API, per sample:
 * append by a kept series handle, and append by the canonical label bytes of an existing series (a
 * lookup in the index per sample, as a decoded remote-write request brings them), committing every
 * 1,000 samples into a running {@link Tidemark} (2 shards, WAL in the OS-write mode). The shard
 * threads run on the other core; when the rings fill, the producer waits, so the time includes
 * back-pressure. The point of {@code -prof gc} here: the whole write path allocates nothing per sample.
 *
 * <p>{@code ./tidemark bench jmh AppenderBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@State(Scope.Thread)
public class AppenderBenchmark {
    private static final int ROUND = 1_000;

    @Param({"10000"})
    public int series;

    private Path directory;
    private Tidemark db;
    private TenantAppender appender;
    private Arena arena;
    private MemorySegment labels;
    private long[] offsets;
    private int[] lengths;
    private int[] ids;
    private long time = 1_700_000_000_000L;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory(Path.of("").toAbsolutePath(), "appender-bench-");
        db = Tidemark.open(TidemarkConfig.defaults(directory)
            .withWal(WalConfig.defaults().withDurability(Durability.OS_WRITE_LOST_ON_POWER_FAILURE)));
        appender = db.appender("bench");
        arena = Arena.ofShared();
        final LabelSet[] sets = new LabelSet[series];
        long bytes = 0;
        for (int i = 0; i < series; i++) {
            sets[i] = LabelSet.of("__name__", "bench_metric_" + i % 200, "instance", "host-" + i / 200, "job", "bench");
            bytes += sets[i].encodedBytes();
        }
        labels = arena.allocate(bytes);
        offsets = new long[series];
        lengths = new int[series];
        ids = new int[series];
        long at = 0;
        for (int i = 0; i < series; i++) {
            offsets[i] = at;
            lengths[i] = sets[i].encode(labels, at);
            at += lengths[i];
            ids[i] = appender.series(labels, offsets[i], lengths[i]);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        db.close();
        arena.close();
        BenchFiles.deleteRecursively(directory);
    }

    /** Appends {@value #ROUND} samples by handle and commits them. */
    @Benchmark
    @OperationsPerInvocation(ROUND)
    public void appendByHandle() {
        for (int i = 0; i < ROUND; i++) {
            appender.append(ids[next], time, next & 0xFF);
            advance();
        }
        appender.commit();
    }

    /** Appends {@value #ROUND} samples, each resolved from its canonical label bytes, and commits them. */
    @Benchmark
    @OperationsPerInvocation(ROUND)
    public void appendByLabelSet() {
        for (int i = 0; i < ROUND; i++) {
            appender.append(appender.series(labels, offsets[next], lengths[next]), time, next & 0xFF);
            advance();
        }
        appender.commit();
    }

    private void advance() {
        if (++next == series) {
            next = 0;
            time += 15_000;
        }
    }
}
