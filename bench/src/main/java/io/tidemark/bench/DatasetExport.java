package io.tidemark.bench;

import io.tidemark.bench.data.Dataset;
import io.tidemark.bench.data.Datasets;
import io.tidemark.bench.data.PrometheusTextWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./tidemark bench dataset}: writes a benchmark dataset as Prometheus text with millisecond
 * timestamps, so the same samples can be imported into VictoriaMetrics or Prometheus and compared.
 */
final class DatasetExport {
    private DatasetExport() {
    }

    static void run(final BenchOptions options) throws IOException {
        final String name = options.text("dataset", "node");
        final Dataset dataset = Datasets.byName(name, options.integer("seed", 1), options.integer("scale", defaultScale(name)),
            options.integer("samples", 720));
        final String out = options.text("out", "-");
        try (Writer writer = "-".equals(out)
            ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)
            : Files.newBufferedWriter(Path.of(out), StandardCharsets.UTF_8)) {
            PrometheusTextWriter.write(dataset, writer);
        }
    }

    static int defaultScale(final String dataset) {
        return "tsbs".equals(dataset) ? 100 : 20;
    }
}
