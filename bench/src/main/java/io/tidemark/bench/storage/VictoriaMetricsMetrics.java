package io.tidemark.bench.storage;

/**
 * The few of VictoriaMetrics' own metrics ({@code /metrics}, Prometheus text) the bench reads. Each
 * figure is the sum over the metric's label variants.
 *
 * @param activeMerges      {@code vm_active_merges} (indexdb, storage/small, storage/big)
 * @param activeForceMerges {@code vm_active_force_merges}
 * @param pendingRows       {@code vm_pending_rows}: rows not yet written into parts
 * @param storageRows       {@code vm_rows} of {@code storage/*}: samples in data parts
 * @param rowsInserted      {@code vm_rows_inserted_total{type="prometheus"}}: rows the import took
 * @param rowsIgnored       {@code vm_rows_ignored_total}: rows dropped (for example outside the retention)
 * @param dataSizeBytes     {@code vm_data_size_bytes} of {@code storage/*}: its own count of data bytes
 * @param indexSizeBytes    {@code vm_data_size_bytes{type="indexdb"}}
 */
record VictoriaMetricsMetrics(long activeMerges, long activeForceMerges, long pendingRows, long storageRows, long rowsInserted,
                              long rowsIgnored, long dataSizeBytes, long indexSizeBytes) {
    /** Merges of any kind still running. */
    long mergesRunning() {
        return activeMerges + activeForceMerges;
    }

    static VictoriaMetricsMetrics parse(final String text) {
        long activeMerges = 0;
        long activeForceMerges = 0;
        long pendingRows = 0;
        long storageRows = 0;
        long rowsInserted = 0;
        long rowsIgnored = 0;
        long dataSize = 0;
        long indexSize = 0;
        for (final String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            final int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            final String series = line.substring(0, space);
            final long value;
            try {
                value = (long) Double.parseDouble(line.substring(space + 1));
            } catch (final NumberFormatException e) {
                continue;
            }
            final boolean storage = series.contains("type=\"storage/");
            if (series.startsWith("vm_active_merges{")) {
                activeMerges += value;
            } else if (series.equals("vm_active_force_merges")) {
                activeForceMerges += value;
            } else if (series.startsWith("vm_pending_rows{")) {
                pendingRows += value;
            } else if (series.startsWith("vm_rows{") && storage) {
                storageRows += value;
            } else if (series.equals("vm_rows_inserted_total{type=\"prometheus\"}")) {
                rowsInserted += value;
            } else if (series.startsWith("vm_rows_ignored_total{")) {
                rowsIgnored += value;
            } else if (series.startsWith("vm_data_size_bytes{")) {
                if (storage) {
                    dataSize += value;
                } else if (series.contains("type=\"indexdb\"")) {
                    indexSize += value;
                }
            }
        }
        return new VictoriaMetricsMetrics(activeMerges, activeForceMerges, pendingRows, storageRows, rowsInserted, rowsIgnored,
            dataSize, indexSize);
    }
}
