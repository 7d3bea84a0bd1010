package io.tidemark.bench.remotewrite;

import io.tidemark.bench.BenchFiles;
import io.tidemark.bench.BenchOptions;
import io.tidemark.bench.index.NodeLabelSets;
import io.tidemark.client.Durability;
import io.tidemark.index.series.LabelSetLayout;
import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * {@code ./tidemark bench tcp}: one Tidemark server (started fresh with {@code $TIDEMARK_ROOT/tidemark server} on
 * 127.0.0.1, stopped by its pid) driven in one run by the remote-write load ({@link RemoteWriteLoad}, tenant
 * {@code default}) and then by the binary protocol ({@link TcpLoad}, tenant {@code tcp}, the same node-like series and
 * values): as fast as it goes with {@code APPLIED} acknowledgements, then with {@code DURABLE} ones, then
 * {@code APPLIED} at half the rate the first run reached. Prints per run samples/s, acknowledgement latency
 * p50/p99/p99.9/max (HdrHistogram), and CPU seconds per million samples of the server and of this process (the load
 * generator and client) together, and the ratio of binary-protocol to remote-write throughput. Each binary-protocol
 * run also prints the server's own publish→applied latency over the run ({@code server_applied_p99_le_ms} and the like,
 * bucket bounds of {@code tidemark_ingest_applied_latency_seconds} read from {@code /metrics} before and after), so the
 * part of an acknowledgement's tail spent queued at the shards is told apart from the rest.
 *
 * <p>Options: {@code --series N} (100000), {@code --seconds S} (20, per run), {@code --connections C} (4),
 * {@code --batch B} (2000 samples per WRITE flush), {@code --rw-connections} (4) and {@code --rw-batch} (2000 samples
 * per request: the remote-write load at its own best setting, as {@code bench remote-write} runs it),
 * {@code --interval-ms} (15000: the data time between rounds; the default writes two days of node data, so the
 * server seals blocks while it takes writes, as in a backfill; 10 keeps every run within the head, as live writes
 * are), {@code --rate-fractions} (0.5: the paced applied runs, as fractions of the applied maximum),
 * {@code --rates} (none: more paced applied runs at these samples/s, comma-separated, to compare builds at one rate
 * when their maxima differ by the machine's noise),
 * {@code --durability fsync|os-write} (the server's mode), {@code --keep}, {@code --dir}.
 */
public final class TcpBench {
    private TcpBench() {
    }

    /** Runs the bench. */
    public static void run(final BenchOptions options) throws IOException, InterruptedException {
        final int seriesCount = options.integer("series", 100_000);
        final double seconds = options.integer("seconds", 20);
        final int connections = options.integer("connections", 4);
        final int batch = options.integer("batch", 2_000);
        final int rwConnections = options.integer("rw-connections", 4);
        final int rwBatch = options.integer("rw-batch", 2_000);
        final long interval = options.integer("interval-ms", 15_000);
        final String durability = switch (options.text("durability", "fsync")) {
            case "fsync" -> "fsync";
            case "os-write" -> "os-write-lost-on-power-failure";
            default -> throw new IllegalArgumentException("--durability takes fsync or os-write");
        };
        final Path directory = BenchFiles.newRunDirectory(options, "tcp");
        final NativeAllocator allocator = NativeAllocator.withLimit(4L << 30);
        try (NodeLabelSets sets = NodeLabelSets.generate(allocator, options.integer("seed", 1), seriesCount)) {
            final long[] offsets = new long[seriesCount];
            final String[][] labels = new String[seriesCount][];
            for (int i = 0; i < seriesCount; i++) {
                offsets[i] = sets.offset(i);
                labels[i] = pairs(sets.bytes(), sets.offset(i));
            }
            final RemoteWriteLoad remoteWrite = new RemoteWriteLoad(sets.bytes(), offsets, seriesCount);
            final TcpLoad tcp = new TcpLoad(labels);
            final long start = (System.currentTimeMillis() - 2 * 86_400_000L) / 15_000 * 15_000;
            final long rounds = 2 * 86_400_000L / interval - 10;
            final String root = System.getenv().getOrDefault("TIDEMARK_ROOT", ".");
            final Path data = directory.resolve("data");
            Files.createDirectories(data);
            final int httpPort = BenchFiles.freeLoopbackPort();
            final int tcpPort = BenchFiles.freeLoopbackPort();
            final List<String> command = List.of(Path.of(root, "tidemark").toString(), "server", "--data-dir", data.toString(),
                "--http-host", "127.0.0.1", "--http-port", Integer.toString(httpPort), "--tcp-port", Integer.toString(tcpPort),
                "--durability", durability);
            System.out.printf(Locale.ROOT, "tcp=config series=%d seconds=%.0f connections=%d batch=%d rw_connections=%d rw_batch=%d "
                + "interval_ms=%d durability=%s cores=%d%n", seriesCount, seconds, connections, batch, rwConnections, rwBatch,
                interval, durability,
                Runtime.getRuntime().availableProcessors());
            try (PeerProcess server = PeerProcess.start("tidemark", command, httpPort, "/-/ready",
                directory.resolve("tidemark.log"))) {
                double cpu = cpuSeconds(server);
                final RemoteWriteLoad.Result rw = remoteWrite.run(server.base, rwConnections, rwBatch, start, interval, rounds, seconds, null);
                double used = cpuSeconds(server) - cpu;
                final double rwRate = rw.samplesAccepted() / rw.seconds();
                System.out.printf(Locale.ROOT, "tcp=remote_write samples_accepted=%d failed_requests=%d seconds=%.2f samples_per_sec=%.0f "
                        + "latency_p50_ms=%.2f latency_p99_ms=%.2f latency_p999_ms=%.2f cpu_seconds_per_million_samples=%.3f%n",
                    rw.samplesAccepted(), rw.failedRequests(), rw.seconds(), rwRate, rw.latencyMicros().getValueAtPercentile(50) / 1e3,
                    rw.latencyMicros().getValueAtPercentile(99) / 1e3, rw.latencyMicros().getValueAtPercentile(99.9) / 1e3,
                    used / (rw.samplesAccepted() / 1e6));

                // One round of every series first, unmeasured: the series are created and registered.
                long round = tcp.run(tcpPort, "tcp", connections, batch, Durability.APPLIED, start, interval, 0, 0, 0).lastRound() + 1;
                cpu = cpuSeconds(server);
                ServerIngestLatency shards = ServerIngestLatency.read(server.base);
                final TcpLoad.Result applied = tcp.run(tcpPort, "tcp", connections, batch, Durability.APPLIED, start, interval, round,
                    seconds, 0);
                used = cpuSeconds(server) - cpu;
                final double appliedRate = print("applied_max", applied, used, ServerIngestLatency.read(server.base).since(shards));
                round = applied.lastRound() + 1;
                cpu = cpuSeconds(server);
                shards = ServerIngestLatency.read(server.base);
                final TcpLoad.Result durable = tcp.run(tcpPort, "tcp", connections, batch, Durability.DURABLE, start, interval, round,
                    seconds, 0);
                used = cpuSeconds(server) - cpu;
                print("durable_max", durable, used, ServerIngestLatency.read(server.base).since(shards));
                round = durable.lastRound() + 1;
                TcpLoad.Result half = null;
                for (final String text : options.text("rate-fractions", "0.5").split(",")) {
                    final double fraction = Double.parseDouble(text.strip());
                    cpu = cpuSeconds(server);
                    shards = ServerIngestLatency.read(server.base);
                    final TcpLoad.Result paced = tcp.run(tcpPort, "tcp", connections, batch, Durability.APPLIED, start, interval,
                        round, seconds, appliedRate * fraction);
                    used = cpuSeconds(server) - cpu;
                    print(String.format(Locale.ROOT, "applied_at_%.2f_of_max", fraction), paced, used,
                        ServerIngestLatency.read(server.base).since(shards));
                    round = paced.lastRound() + 1;
                    if (half == null || fraction == 0.5) {
                        half = paced;
                    }
                }
                final String rates = options.text("rates", "");
                for (final String text : rates.isBlank() ? new String[0] : rates.split(",")) {
                    final double rate = Double.parseDouble(text.strip());
                    cpu = cpuSeconds(server);
                    shards = ServerIngestLatency.read(server.base);
                    final TcpLoad.Result paced = tcp.run(tcpPort, "tcp", connections, batch, Durability.APPLIED, start, interval,
                        round, seconds, rate);
                    used = cpuSeconds(server) - cpu;
                    print(String.format(Locale.ROOT, "applied_at_%.0f_per_sec", rate), paced, used,
                        ServerIngestLatency.read(server.base).since(shards));
                    round = paced.lastRound() + 1;
                }
                System.out.printf(Locale.ROOT, "tcp=compare tcp_applied_to_remote_write_samples_per_sec=%.2f "
                    + "tcp_durable_to_remote_write_samples_per_sec=%.2f paced_applied_p99_ms=%.3f%n", appliedRate / rwRate,
                    durable.samplesAcknowledged() / durable.seconds() / rwRate,
                    half.ackLatencyNanos().getValueAtPercentile(99) / 1e6);
                final URI check = server.base;
                System.out.println("tcp=server base=" + check + " rss_bytes=" + server.residentBytes());
            }
        } finally {
            if (Boolean.parseBoolean(options.text("keep", "false"))) {
                System.out.println("tcp=kept dir=" + directory);
            } else {
                BenchFiles.deleteRecursively(directory);
            }
        }
    }

    /** Server CPU plus this process' CPU, seconds. */
    private static double cpuSeconds(final PeerProcess server) throws IOException {
        final double self = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime() / 1e9;
        return server.cpuSeconds() + self;
    }

    private static double print(final String run, final TcpLoad.Result result, final double cpu, final String shards) {
        final double rate = result.samplesAcknowledged() / result.seconds();
        final Histogram latency = result.ackLatencyNanos();
        System.out.printf(Locale.ROOT, "tcp=%s samples_acknowledged=%d samples_refused=%d writes_failed=%d seconds=%.2f "
                + "samples_per_sec=%.0f ack_p50_ms=%.3f ack_p99_ms=%.3f ack_p999_ms=%.3f ack_max_ms=%.3f "
                + "cpu_seconds_per_million_samples=%.3f%s%s%n", run, result.samplesAcknowledged(), result.samplesRefused(),
            result.writesFailed(), result.seconds(), rate, latency.getValueAtPercentile(50) / 1e6,
            latency.getValueAtPercentile(99) / 1e6, latency.getValueAtPercentile(99.9) / 1e6, latency.getMaxValue() / 1e6,
            cpu / (result.samplesAcknowledged() / 1e6),
            (result.pingNanos().getTotalCount() == 0 ? "" : String.format(Locale.ROOT, " ping_p50_ms=%.3f ping_p99_ms=%.3f ping_max_ms=%.3f",
                result.pingNanos().getValueAtPercentile(50) / 1e6, result.pingNanos().getValueAtPercentile(99) / 1e6,
                result.pingNanos().getMaxValue() / 1e6)), shards
                + (result.firstFailure() == null ? "" : " first_failure=\"" + result.firstFailure().replace('"', '\'') + "\""));
        return rate;
    }

    /** The canonical label bytes at {@code offset} ({@link LabelSetLayout}) as names and values alternating. */
    private static String[] pairs(final MemorySegment bytes, final long offset) {
        final int count = bytes.get(LabelSetLayout.U16, offset) & 0xFFFF;
        final String[] pairs = new String[count * 2];
        long at = offset + 2;
        for (int i = 0; i < pairs.length; i++) {
            final int length = bytes.get(LabelSetLayout.U16, at) & 0xFFFF;
            pairs[i] = new String(bytes.asSlice(at + 2, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            at += 2 + length;
        }
        return pairs;
    }
}
