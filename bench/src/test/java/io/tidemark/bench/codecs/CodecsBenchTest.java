package io.tidemark.bench.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.bench.BenchOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecsBenchTest {
    private static final String LINE = "codec=(gorilla|packed|best|best\\+zstd) dataset=(node|tsbs) samples=\\d+ "
        + "bytes_per_sample=\\d+\\.\\d{3} encode_ns_per_sample=\\d+\\.\\d{2} decode_ns_per_sample=\\d+\\.\\d{2} "
        + "ratio_to_gorilla=\\d+\\.\\d{3}";

    @Test
    void shouldPrintOneKeyValueLinePerCodecAndDataset() {
        final PrintStream original = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            CodecsBench.run(BenchOptions.parse(new String[] {"--scale", "1", "--samples", "100", "--chunk", "40", "--rounds", "1"}));
        } finally {
            System.setOut(original);
        }
        final List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(8).allMatch(line -> line.matches(LINE), "matches " + LINE);
        assertThat(lines).filteredOn(line -> line.startsWith("codec=gorilla")).allMatch(line -> line.endsWith("ratio_to_gorilla=1.000"));
    }
}
