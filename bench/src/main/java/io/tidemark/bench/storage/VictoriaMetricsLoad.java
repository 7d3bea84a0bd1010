package io.tidemark.bench.storage;

import io.tidemark.bench.data.Dataset;
import io.tidemark.bench.data.SeriesData;
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
    private static final int CHECKED_SERIES = 20;

    private VictoriaMetricsLoad() {
    }

    /**
     * Reads back {@value #CHECKED_SERIES} series spread over the dataset and counts the values that differ
     * from what was imported (bit for bit, NaN payloads aside): VictoriaMetrics stores floats as decimals
     * of limited precision, so on full-precision data its bytes hold less than ours.
     */
    private static void checkValues(final Dataset dataset, final VictoriaMetricsPeer peer) throws IOException,
        PeerUnavailableException {
        long compared = 0;
        long changed = 0;
        long missing = 0;
        double worstRelative = 0;
        final int step = Math.max(1, dataset.seriesCount() / CHECKED_SERIES);
        for (int index = 0; index < dataset.seriesCount(); index += step) {
            final SeriesData series = dataset.series(index);
            final double[] stored = peer.exportValues(series.labels(), series.timestamps()[0],
                series.timestamps()[series.size() - 1]);
            missing += Math.max(0, series.size() - stored.length);
            for (int i = 0; i < Math.min(stored.length, series.size()); i++) {
                final double original = series.values()[i];
                compared++;
                final boolean same = Double.isNaN(original) ? Double.isNaN(stored[i])
                    : Double.doubleToRawLongBits(original) == Double.doubleToRawLongBits(stored[i]);
                if (!same) {
                    changed++;
                    if (original != 0 && !Double.isNaN(original)) {
                        worstRelative = Math.max(worstRelative, Math.abs((stored[i] - original) / original));
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "storage=vm_values dataset=%s checked_series=%d compared=%d changed=%d missing=%d "
            + "worst_relative_error=%.3g%n", dataset.name(), Math.ceilDiv(dataset.seriesCount(), step), compared, changed, missing,
            worstRelative);
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
            checkValues(dataset, peer);
            return bytesPerSample;
        } finally {
            Files.deleteIfExists(text);
        }
    }
}
