package io.tidemark.bench.remotewrite;

import io.tidemark.bench.BenchFiles;
import io.tidemark.bench.BenchOptions;
import io.tidemark.bench.index.NodeLabelSets;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./tidemark bench remote-write}: drives a Tidemark server and VictoriaMetrics 1.79 in turn with
 * the same remote-write load over loopback ({@link RemoteWriteLoad}), each started fresh on
 * 127.0.0.1 with its own data directory and stopped by its pid, and prints per target: samples/s
 * accepted, request latency p50/p99/p99.9, the server's CPU seconds per million samples, resident
 * memory per series, and bytes on disk per sample after a flush (and, for VictoriaMetrics, its merge).
 *
 * <p>Options: {@code --series N} (100000), {@code --seconds S} (30, measured), {@code --warmup-seconds W} (30: the load runs
 * that long first, unmeasured, so that the figures are those of a running server, not of a JVM compiling its hot code;
 * bytes on disk per sample count the warm-up's samples too), {@code --connections C} (4),
 * {@code --samples-per-request B} (2000), {@code --targets tidemark,vm}, {@code --durability fsync|os-write} (the
 * Tidemark server's: {@code fsync}, its default, acknowledges after fdatasync; VictoriaMetrics acknowledges before
 * its data reaches the disk, which {@code os-write} is closer to), {@code --seed}, {@code --keep}, {@code --dir}.
 * The Tidemark server is started with {@code $TIDEMARK_ROOT/tidemark server}.
 */
public final class RemoteWriteBench {
    private RemoteWriteBench() {
    }

    /** One target's figures; {@code samplesHeld}: every sample it accepted, warm-up included, for bytes per sample. */
    private record Figures(String target, double samplesPerSecond, double cpuPerMillion, long samplesHeld) {
    }

    public static void run(final BenchOptions options) throws IOException, InterruptedException {
        final int seriesCount = options.integer("series", 100_000);
        final double seconds = options.integer("seconds", 30);
        final double warmup = options.integer("warmup-seconds", 30);
        final int connections = options.integer("connections", 4);
        final int perRequest = options.integer("samples-per-request", 2_000);
        final String[] targets = options.text("targets", "vm,tidemark").split(",");
        final String durability = switch (options.text("durability", "fsync")) {
            case "fsync" -> "fsync";
            case "os-write" -> "os-write-lost-on-power-failure";
            default -> throw new IllegalArgumentException("--durability takes fsync or os-write");
        };
        final Path directory = BenchFiles.newRunDirectory(options, "remote-write");
        final NativeAllocator allocator = NativeAllocator.withLimit(4L << 30);
        final List<Figures> figures = new ArrayList<>();
        try (NodeLabelSets labels = NodeLabelSets.generate(allocator, options.integer("seed", 1), seriesCount)) {
            final long[] offsets = new long[seriesCount];
            for (int i = 0; i < seriesCount; i++) {
                offsets[i] = labels.offset(i);
            }
            final RemoteWriteLoad load = new RemoteWriteLoad(labels.bytes(), offsets, seriesCount);
            // Recent timestamps (two days back, 15 s apart), so neither side's retention drops them.
            final long start = (System.currentTimeMillis() - 2 * 86_400_000L) / RemoteWriteLoad.INTERVAL_MILLIS
                * RemoteWriteLoad.INTERVAL_MILLIS;
            final long rounds = 2 * 86_400_000L / RemoteWriteLoad.INTERVAL_MILLIS - 10;
            for (final String target : targets) {
                final Figures result = switch (target.strip()) {
                    case "tidemark" -> runTidemark(directory.resolve("tidemark"), load, connections, perRequest, start, rounds,
                        new double[] {warmup, seconds}, durability);
                    case "vm" -> runVictoriaMetrics(directory.resolve("vm"), load, connections, perRequest, start, rounds,
                        new double[] {warmup, seconds});
                    default -> throw new IllegalArgumentException("--targets takes tidemark and vm: " + target);
                };
                if (result != null) {
                    figures.add(result);
                }
            }
        } finally {
            if (Boolean.parseBoolean(options.text("keep", "false"))) {
                System.out.println("remote_write=kept dir=" + directory);
            } else {
                BenchFiles.deleteRecursively(directory);
            }
        }
        if (figures.size() == 2) {
            final Figures vm = figures.stream().filter(f -> f.target().equals("vm")).findFirst().orElseThrow();
            final Figures tm = figures.stream().filter(f -> f.target().equals("tidemark")).findFirst().orElseThrow();
            System.out.printf(Locale.ROOT, "remote_write=compare tidemark_to_vm_samples_per_sec=%.2f tidemark_to_vm_cpu_per_million=%.2f%n",
                tm.samplesPerSecond() / vm.samplesPerSecond(), tm.cpuPerMillion() / vm.cpuPerMillion());
        }
    }

    private static Figures runTidemark(final Path directory, final RemoteWriteLoad load, final int connections, final int perRequest,
                                       final long start, final long rounds, final double[] seconds, final String durability)
        throws IOException, InterruptedException {
        final String root = System.getenv().getOrDefault("TIDEMARK_ROOT", ".");
        final Path data = directory.resolve("data");
        Files.createDirectories(data);
        final int port = BenchFiles.freeLoopbackPort();
        final List<String> command = List.of(Path.of(root, "tidemark").toString(), "server", "--data-dir", data.toString(),
            "--http-host", "127.0.0.1", "--http-port", Integer.toString(port), "--tcp-port", Integer.toString(BenchFiles.freeLoopbackPort()),
            "--durability", durability);
        System.out.println("remote_write=config target=tidemark durability=" + durability);
        try (PeerProcess server = PeerProcess.start("tidemark", command, port, "/-/ready", directory.resolve("tidemark.log"))) {
            final Figures figures = drive(server, load, connections, perRequest, start, rounds, seconds);
            final long flushStarted = System.nanoTime();
            final int status = server.post("/api/v1/admin/flush").statusCode();
            final double flushSeconds = (System.nanoTime() - flushStarted) / 1e9;
            final long blocks = bytesOfBlocks(data);
            System.out.printf(Locale.ROOT, "remote_write=disk target=tidemark flush_status=%d flush_seconds=%.2f block_bytes=%d "
                + "bytes_per_sample=%.4f%n", status, flushSeconds, blocks, blocks / (double) figures.samplesHeld());
            return figures;
        }
    }

    private static Figures runVictoriaMetrics(final Path directory, final RemoteWriteLoad load, final int connections,
                                              final int perRequest, final long start, final long rounds, final double[] seconds)
        throws IOException, InterruptedException {
        final Path binary = BenchFiles.onPath("victoria-metrics");
        if (binary == null) {
            System.out.println("remote_write=skipped target=vm reason=victoria-metrics_not_on_PATH(run_scripts/install-test-peers.sh)");
            return null;
        }
        final Path storage = directory.resolve("storage");
        Files.createDirectories(storage);
        final int port = BenchFiles.freeLoopbackPort();
        final List<String> command = List.of(binary.toString(), "-storageDataPath", storage.toString(), "-httpListenAddr",
            "127.0.0.1:" + port, "-retentionPeriod", "100y");
        try (PeerProcess server = PeerProcess.start("vm", command, port, "/health", directory.resolve("victoria-metrics.log"))) {
            final Figures figures = drive(server, load, connections, perRequest, start, rounds, seconds);
            server.get("/internal/force_flush");
            server.get("/internal/force_merge");
            long size = -1;
            int settled = 0;
            final long deadline = System.nanoTime() + 600_000_000_000L;
            while (settled < 3 && System.nanoTime() < deadline) {
                PeerProcess.sleep(1_000);
                final long now = BenchFiles.bytesUnder(storage);
                settled = now == size ? settled + 1 : 0;
                size = now;
            }
            System.out.printf(Locale.ROOT, "remote_write=disk target=vm storage_bytes=%d bytes_per_sample=%.4f%n", size,
                size / (double) figures.samplesHeld());
            return figures;
        }
    }

    private static Figures drive(final PeerProcess server, final RemoteWriteLoad load, final int connections, final int perRequest,
                                 final long start, final long rounds, final double[] seconds) throws IOException, InterruptedException {
        final double[] cpuBefore = new double[1];
        final RemoteWriteLoad.Result result = load.run(server.base, connections, perRequest, start, RemoteWriteLoad.INTERVAL_MILLIS,
            rounds, seconds[0], seconds[1], null, () -> {
                try {
                    cpuBefore[0] = server.cpuSeconds();
                } catch (final IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        final double cpu = server.cpuSeconds() - cpuBefore[0];
        final long rss = server.residentBytes();
        final double rate = result.samplesAccepted() / result.seconds();
        final double cpuPerMillion = cpu / (result.samplesAccepted() / 1e6);
        System.out.printf(Locale.ROOT, "remote_write=run target=%s series=%d connections=%d samples_per_request=%d warmup_seconds=%.0f "
                + "requests=%d failed_requests=%d samples_accepted=%d seconds=%.2f samples_per_sec=%.0f latency_p50_ms=%.2f latency_p99_ms=%.2f "
                + "latency_p999_ms=%.2f server_cpu_seconds=%.2f server_cpu_seconds_per_million_samples=%.3f rss_bytes=%d "
                + "rss_bytes_per_series=%.0f%s%n", server.name, load.series(), connections, perRequest, seconds[0], result.requests(),
            result.failedRequests(), result.samplesAccepted(), result.seconds(), rate,
            result.latencyMicros().getValueAtPercentile(50) / 1e3, result.latencyMicros().getValueAtPercentile(99) / 1e3,
            result.latencyMicros().getValueAtPercentile(99.9) / 1e3, cpu, cpuPerMillion, rss, rss / (double) load.series(),
            result.firstFailure() == null ? "" : " first_failure=\"" + result.firstFailure().replace('"', '\'') + "\"");
        return new Figures(server.name, rate, cpuPerMillion, result.totalAccepted());
    }

    private static long bytesOfBlocks(final Path data) throws IOException {
        long bytes = 0;
        final Path tenants = data.resolve("tenants");
        if (Files.isDirectory(tenants)) {
            try (var each = Files.list(tenants)) {
                for (final Path tenant : each.toList()) {
                    if (Files.isDirectory(tenant.resolve("blocks"))) {
                        bytes += BenchFiles.bytesUnder(tenant.resolve("blocks"));
                    }
                }
            }
        }
        return bytes;
    }
}
