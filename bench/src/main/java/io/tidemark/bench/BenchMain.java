package io.tidemark.bench;

import io.tidemark.bench.codecs.CodecsBench;
import io.tidemark.bench.index.IndexBench;
import io.tidemark.bench.ingest.IngestBench;
import io.tidemark.bench.promql.PromQlBench;
import io.tidemark.bench.restart.RestartBench;
import io.tidemark.bench.storage.StorageBench;
import io.tidemark.bench.wal.WalBench;
import java.util.Arrays;

/**
 * Entry point of {@code ./tidemark bench <what>}: each benchmark prints its results as
 * {@code key=value} lines, one result per line, on standard output; progress goes to standard error.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h") || "help".equals(args[0])) {
            usage();
            return;
        }
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            run(args[0], rest);
        } catch (final BenchOptions.BadOption badOption) {
            System.err.println("tidemark bench " + args[0] + ": " + badOption.getMessage() + " (./tidemark bench --help lists the options)");
            System.exit(2);
        }
    }

    private static void run(final String what, final String[] rest) throws Exception {
        switch (what) {
            case "codecs" -> CodecsBench.run(BenchOptions.parse(rest));
            case "dataset" -> DatasetExport.run(BenchOptions.parse(rest));
            case "wal" -> WalBench.run(BenchOptions.parse(rest));
            case "ingest" -> IngestBench.run(BenchOptions.parse(rest));
            case "handoff" -> io.tidemark.bench.ingest.HandoffBench.run(BenchOptions.parse(rest));
            case "index" -> IndexBench.run(BenchOptions.parse(rest));
            case "promql" -> PromQlBench.run(BenchOptions.parse(rest));
            case "storage" -> StorageBench.run(BenchOptions.parse(rest));
            case "restart" -> RestartBench.run(BenchOptions.parse(rest));
            case "remote-write" -> io.tidemark.bench.remotewrite.RemoteWriteBench.run(BenchOptions.parse(rest));
            case "tcp" -> io.tidemark.bench.remotewrite.TcpBench.run(BenchOptions.parse(rest));
            case "churn" -> io.tidemark.bench.churn.ChurnBench.run(BenchOptions.parse(rest));
            default -> {
                System.err.println("unknown benchmark '" + what + "'");
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("""
            usage: ./tidemark bench <what> [--key value ...]
              codecs   bytes/sample and encode/decode ns/sample per codec and dataset
                       --dataset node|tsbs|all (all)  --scale N (node: 20 targets, tsbs: 100 hosts)
                       --samples N per series (720)  --chunk N samples per chunk (240)  --seed S (1)
                       --rounds N timed rounds (7)
              dataset  write a dataset as Prometheus text with millisecond timestamps
                       --dataset node|tsbs  --scale N  --samples N  --seed S  --out FILE (stdout)
              wal      WAL append samples/s per durability mode, fsync latency, bytes/sample, replay samples/s
                       --samples N (20000000)  --batch N (1000)  --series N (100000)  --rounds N (5)
                       --shards N (4)  --threads N (cores)  --encoding fixed_16|delta_varint|all (all)
                       --commit-records N  --commit-micros N (WalConfig defaults)  --cold true|false (true)
                       --dir DIR (a new directory under the current one, deleted afterwards; use a real disk)
              index    series index over node series: creation rate, lookup ns, bytes per series,
                       selection and label-values times
                       --series N (1000000)  --seed S (1)  --rounds N timed rounds (11)
                       --create-rounds N timed builds of the whole index (3)
                       --warmup-ms N calls of each query before timing it (1000)
                       --clock wall|cpu  wall time, or the thread's CPU time on a shared machine (wall)
              ingest   the database end to end: samples/s, publish->applied and ->durable latency, bytes/series
                       --samples N (20000000)  --series N (100000)  --shards N (2)  --producers N (1)
                       --batch N samples per commit (1000)  --durability os_write|fsync  --dir DIR
                       (./tidemark bench ingest --gc epsilon ... runs it under -XX:+UseEpsilonGC -Xmx256m)
              handoff  the floor under ingest's publish->applied tail: the same ring, shard thread and paced
                       producer with a handler that only keeps its core busy for a fixed time per batch
                       --cost-ns N (10000)  --batch N (100)  --rate N samples/s (1000000)  --seconds S (5)
                       --rounds N (4)  --idle backoff|yield|busy_spin|sleep (busy_spin)
              promql   dashboard range queries (1 h at 15 s) over node series: p50/p99 ms, samples/s, bytes/query
                       --series N (1000)  --samples N per series (360)  --warmup N (50)  --runs N (200)  --seed S (1)
              storage  bytes on disk per sample after sealing and after compaction (index, chunks, meta), seal,
                       compaction and ingest rates, WAL bytes around the checkpoint, and VictoriaMetrics 1.79 on
                       the same data (started on 127.0.0.1)
                       --dataset node|tsbs|all (all)  --series N (1000, whole targets/hosts)  --hours H (26)
                       --seed S (1)  --shards N (2)  --batch N (1000)  --block-range-hours H (2)
                       --wal-segment-mib N (8)  --vm true|false (true)  --keep true|false (false)  --dir DIR
              restart  reopen time of a head that was never sealed: WAL replay samples/s, native bytes after open
                       --series N (100000)  --hours H (2, samples every 15 s)  --shards N (2)  --batch N (1000)
                       --durability os_write|fsync (os_write)  --seed S (1)  --keep true|false (false)  --dir DIR
              remote-write  remote-write load over loopback against a Tidemark server and VictoriaMetrics 1.79:
                       samples/s, latency p50/p99/p99.9, server CPU-s per million samples, RSS per series, bytes/sample
                       --series N (100000)  --seconds S measured (30)  --warmup-seconds W (30)  --connections C (4)
                       --samples-per-request B (2000)  --targets vm,tidemark  --durability fsync|os-write (fsync)
                       --seed S (1)  --keep true|false (false)  --dir DIR
              tcp      the binary protocol against remote write in one run: samples/s, ack latency, CPU per sample
                       --series N (100000)  --seconds S (20)  --connections C (4)  --batch N (2000)
                       --rw-connections C (4)  --rw-batch N (2000)  --interval-ms N (15000)
                       --durability fsync|os-write (fsync)  --rate-fractions F,... (0.5)  --seed S (1)
              churn    memory per series that came and went (pods), after it left the head, against the live ones
                       --pods N per hourly generation (50000)  --generations N (10)  --step-seconds N (300)
                       --shards N (2)  --keep true|false (false)  --dir DIR
              jmh      JMH benchmarks, e.g. ./tidemark bench jmh ChunkCodecBenchmark -prof gc""");
    }
}
