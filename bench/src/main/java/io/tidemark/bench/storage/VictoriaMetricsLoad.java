package io.tidemark.bench.storage;

import io.tidemark.bench.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The VictoriaMetrics side of {@code ./tidemark bench storage}: exports the dataset as Prometheus text,
 * starts a {@link VictoriaMetricsPeer}, imports the text, forces a flush and a merge, waits for the
 * merges to finish, measures its storage directory and stops it.
 */
final class VictoriaMetricsLoad {
    private VictoriaMetricsLoad() {
    }

    /** Returns VictoriaMetrics' bytes per sample (data and indexdb) for {@code samples} samples. */
    static double run(final Dataset dataset, final long samples, final Path directory, final long retentionDays)
        throws IOException, PeerUnavailableException {
        Files.createDirectories(directory);
        final Path text = directory.resolve("import.prom");
        final long exportStart = System.nanoTime();
        StorageBench.export(dataset, text);
        final double exportSeconds = (System.nanoTime() - exportStart) / 1e9;
        final long textBytes = Files.size(text);
        try (VictoriaMetricsPeer peer = VictoriaMetricsPeer.start(directory, retentionDays)) {
            final long importStart = System.nanoTime();
            peer.importPrometheusText(text);
            peer.forceFlush();
            final double importSeconds = (System.nanoTime() - importStart) / 1e9;
            Files.delete(text);
            final long mergeStart = System.nanoTime();
            peer.forceMergeAndSettle();
            final double mergeSeconds = (System.nanoTime() - mergeStart) / 1e9;
            final VictoriaMetricsMetrics metrics = peer.metrics();
            final long data = peer.storageBytes("data");
            final long index = peer.storageBytes("indexdb");
            final long all = peer.storageBytes();
            final double bytesPerSample = (data + index) / (double) samples;
            System.out.printf(Locale.ROOT, "storage=vm dataset=%s version=1.79 pid=%d retention_days=%d text_bytes=%d "
                    + "export_seconds=%.2f import_seconds=%.2f import_samples_per_sec=%.0f merge_seconds=%.2f rows_inserted=%d "
                    + "rows_ignored=%d rows_stored=%d%n", dataset.name(), peer.pid(), retentionDays, textBytes, exportSeconds,
                importSeconds, samples / importSeconds, mergeSeconds, metrics.rowsInserted(), metrics.rowsIgnored(),
                metrics.storageRows());
            System.out.printf(Locale.ROOT, "storage=vm_disk dataset=%s vm_bytes=%d vm_data_bytes=%d vm_indexdb_bytes=%d "
                    + "vm_storage_dir_bytes=%d vm_reported_data_bytes=%d vm_reported_indexdb_bytes=%d vm_bytes_per_sample=%.4f%n",
                dataset.name(), data + index, data, index, all, metrics.dataSizeBytes(), metrics.indexSizeBytes(), bytesPerSample);
            if (metrics.storageRows() != samples) {
                System.out.printf(Locale.ROOT, "storage=warning dataset=%s what=vm_rows_differ loaded=%d stored=%d%n",
                    dataset.name(), samples, metrics.storageRows());
            }
            return bytesPerSample;
        } finally {
            Files.deleteIfExists(text);
        }
    }
}
