package io.tidemark.bench.churn;

import io.tidemark.bench.BenchFiles;
import io.tidemark.bench.BenchOptions;
import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.db.TidemarkStats;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.memory.MemoryTag;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./tidemark bench churn}: {@code --generations} generations of {@code --pods} kubelet-like series (a pod
 * label unique to its generation), each written for one hour with a sample every {@code --step-seconds}, then
 * sealed with {@link Tidemark#flush}. A generation leaves the head at the flush after its own (a flush keeps the
 * chunks whose window runs past its boundary). After each flush it prints the head's series, the series removed
 * so far, off-heap bytes of the index and of the head, and the heap in use after a full collection; the last
 * line gives the growth per removed series between the third flush and the last, when every flush removes a
 * whole generation and adds one.
 *
 * <p>Options: {@code --pods N} (50000); {@code --generations N} (10); {@code --step-seconds N} (300);
 * {@code --shards N} (2); {@code --dir DIR}; {@code --keep true|false} (false).
 */
public final class ChurnBench {
    private static final long HOUR = TimeUnit.HOURS.toMillis(1);
    private static final long TIMEOUT = TimeUnit.MINUTES.toNanos(5);

    private ChurnBench() {
    }

    public static void run(final BenchOptions options) throws IOException {
        final int pods = options.integer("pods", 50_000);
        final int generations = options.integer("generations", 10);
        final long step = TimeUnit.SECONDS.toMillis(options.integer("step-seconds", 300));
        if (generations < 4) {
            throw new IllegalArgumentException("--generations must be at least 4");
        }
        final Path directory = BenchFiles.newRunDirectory(options, "churn");
        final TidemarkConfig config = TidemarkConfig.defaults(directory)
            .withIngest(new IngestConfig(options.integer("shards", 2), 1024, 1024, IngestConfig.BackPressure.BLOCK, TIMEOUT,
                IngestConfig.Idle.BACKOFF))
            .withWal(WalConfig.defaults().withDurability(Durability.OS_WRITE_LOST_ON_POWER_FAILURE))
            .withBlockRange(HOUR)
            .withSealCheck(0);
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (Tidemark db = Tidemark.open(config)) {
            final TenantAppender appender = db.appender("bench");
            long[] atThird = null;
            long[] last = null;
            for (int g = 0; g < generations; g++) {
                final int[] ids = new int[pods];
                for (int i = 0; i < pods; i++) {
                    ids[i] = appender.series(pod(g, i));
                }
                for (long t = g * HOUR; t < (g + 1) * HOUR; t += step) {
                    for (int i = 0; i < pods; i++) {
                        appender.append(ids[i], t, i + (double) t / step);
                    }
                    appender.commit();
                }
                if (!appender.awaitApplied(TIMEOUT)) {
                    throw new IllegalStateException("generation " + g + " not applied within 5 minutes");
                }
                db.flush();
                System.gc();
                final TidemarkStats.Tenant stats = db.stats().tenants().getFirst();
                final Map<MemoryTag, Long> tags = db.nativeBytesByTag();
                final long heap = memory.getHeapMemoryUsage().getUsed();
                last = new long[] {stats.seriesRemoved(), tags.get(MemoryTag.INDEX), tags.get(MemoryTag.HEAD_CHUNKS), heap};
                if (g == 2) {
                    atThird = last;
                }
                System.out.println("churn_generation=" + g + " series=" + stats.series() + " series_removed=" + stats.seriesRemoved()
                    + " index_native_bytes=" + last[1] + " head_native_bytes=" + last[2] + " heap_used_bytes=" + heap);
            }
            final double removed = last[0] - atThird[0];
            System.out.printf("churn_pods=%d churn_generations=%d removed_between=%d index_native_bytes_per_removed=%.0f "
                    + "head_native_bytes_per_removed=%.0f heap_bytes_per_removed=%.0f%n", pods, generations, (long) removed,
                (last[1] - atThird[1]) / removed, (last[2] - atThird[2]) / removed, (last[3] - atThird[3]) / removed);
        } finally {
            if (Boolean.parseBoolean(options.text("keep", "false"))) {
                System.out.println("churn=kept dir=" + directory);
            } else {
                BenchFiles.deleteRecursively(directory);
            }
        }
    }

    /** Labels of a container of a pod of generation {@code generation}, as a kubelet's cAdvisor reports them. */
    private static LabelSet pod(final int generation, final int i) {
        return LabelSet.of("__name__", "container_cpu_usage_seconds_total", "container", "app", "instance",
            "10.0." + (i % 250) + ".1:10250", "job", "kubelet", "namespace", "ns-" + (i % 50), "pod", "pod-" + generation + "-" + i);
    }
}
