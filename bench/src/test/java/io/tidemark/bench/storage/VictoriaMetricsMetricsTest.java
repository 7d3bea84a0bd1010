package io.tidemark.bench.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VictoriaMetricsMetricsTest {
    /** Lines as VictoriaMetrics 1.79 prints them on /metrics, with others around them. */
    private static final String METRICS = """
        vm_active_force_merges 1
        vm_active_merges{type="indexdb"} 0
        vm_active_merges{type="storage/big"} 2
        vm_active_merges{type="storage/small"} 1
        vm_data_size_bytes{type="indexdb"} 312
        vm_data_size_bytes{type="storage/big"} 1000
        vm_data_size_bytes{type="storage/small"} 284
        vm_pending_rows{type="indexdb"} 5
        vm_pending_rows{type="storage"} 7
        vm_rows_ignored_total{reason="big_timestamp"} 0
        vm_rows_ignored_total{reason="small_timestamp"} 4
        vm_rows_inserted_total{type="prometheus"} 3.051360e+06
        vm_rows_inserted_total{type="promremotewrite"} 9
        vm_rows{type="indexdb"} 16
        vm_rows{type="storage/big"} 3051000
        vm_rows{type="storage/small"} 360
        vm_rows_merged_total{type="storage/small"} 77
        process_resident_memory_bytes 1.2e+08
        """;

    @Test
    void shouldSumTheVariantsOfEachMetricItReads() {
        final VictoriaMetricsMetrics metrics = VictoriaMetricsMetrics.parse(METRICS);

        assertThat(metrics.activeMerges()).isEqualTo(3);
        assertThat(metrics.activeForceMerges()).isEqualTo(1);
        assertThat(metrics.mergesRunning()).isEqualTo(4);
        assertThat(metrics.pendingRows()).isEqualTo(12);
        assertThat(metrics.storageRows()).isEqualTo(3_051_360);
        assertThat(metrics.rowsInserted()).isEqualTo(3_051_360);
        assertThat(metrics.rowsIgnored()).isEqualTo(4);
        assertThat(metrics.dataSizeBytes()).isEqualTo(1_284);
        assertThat(metrics.indexSizeBytes()).isEqualTo(312);
    }

    @Test
    void shouldReadNothingFromAnEmptyOrForeignPage() {
        assertThat(VictoriaMetricsMetrics.parse("")).isEqualTo(new VictoriaMetricsMetrics(0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(VictoriaMetricsMetrics.parse("# HELP x\nsomething else\nvm_rows{type=\"storage/big\"} notanumber\n"))
            .isEqualTo(new VictoriaMetricsMetrics(0, 0, 0, 0, 0, 0, 0, 0));
    }
}
