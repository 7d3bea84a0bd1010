package io.tidemark.bench.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.bench.BenchOptions;
import io.tidemark.index.SeriesIndex;
import io.tidemark.index.series.LabelSet;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexBenchTest {

    @Test
    void shouldPrintOneKeyValueLinePerFigure() {
        final PrintStream original = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            IndexBench.run(BenchOptions.parse(new String[] {"--series", "2000", "--rounds", "1", "--create-rounds", "1", "--warmup-ms", "20", "--clock", "cpu"}));
        } finally {
            System.setOut(original);
        }
        final Map<String, String> figures = new LinkedHashMap<>();
        for (final String line : captured.toString(StandardCharsets.UTF_8).lines().toList()) {
            assertThat(line).matches("[a-z0-9_]+=\\S+");
            figures.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        assertThat(figures).containsKeys("create_series_per_sec", "lookup_ns", "lookup_alloc_bytes_per_op",
            "lookup_scrape_order_ns", "native_bytes_per_series", "heap_bytes_per_series", "heap_estimate_bytes_per_series",
            "bytes_per_series", "select_2matcher_us", "select_regex_us", "select_host_us", "label_values_us");
        assertThat(figures).containsEntry("series", "2000").containsEntry("clock", "cpu").containsEntry("targets", "13")
            // 12 whole targets and 44 series of a 13th, which has its CPU series but not node_load1
            .containsEntry("select_2matcher_result", "12").containsEntry("select_regex_result", "104")
            .containsEntry("select_host_result", "32").containsEntry("label_values_result", "13");
    }

    @Test
    void shouldEncodeTheNodeDatasetsLabelSetsInCanonicalForm() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (NodeLabelSets sets = NodeLabelSets.generate(allocator, 1, 400);
             NodeLabelSets reordered = sets.reordered(allocator, NodeLabelSets.permutation(400, 9));
             SeriesIndex index = new SeriesIndex(allocator)) {
            assertThat(NodeLabelSets.seriesPerTarget()).isEqualTo(163);
            assertThat(NodeLabelSets.targetsFor(400)).isEqualTo(3);
            for (int i = 0; i < sets.size(); i++) {
                assertThat(index.getOrCreate(sets.bytes(), sets.offset(i), sets.length(i))).isEqualTo(i);
            }
            assertThat(index.labels(0)).isEqualTo(LabelSet.of("__name__", "node_cpu_seconds_total", "cpu", "0",
                "instance", "10.0.0.0:9100", "job", "node", "mode", "user"));
            final int[] order = NodeLabelSets.permutation(400, 9);
            for (int i = 0; i < reordered.size(); i++) {
                assertThat(index.find(reordered.bytes(), reordered.offset(i), reordered.length(i))).isEqualTo(order[i]);
            }
            assertThat(allocator.bytesInUse(MemoryTag.TEST)).isEqualTo(sets.totalBytes() + reordered.totalBytes());
        }
        allocator.assertNoLeaks();
    }
}
