package io.tidemark.promql.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidemark.promql.eval.EngineOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs promqltest files through the evaluator: the project's own (every case must pass) and Prometheus' conformance
 * suite in {@code shared/promql-testdata} beside the repository, whose pass count must not drop below the floor
 * recorded in {@code promqltest/floor.txt}. Parallel evaluation is forced on for every query (parallelism 3, no
 * threshold), so every range function over two or more series runs in chunks on several threads.
 */
class PromQlConformanceTest {
    private static final EngineOptions TEST_ENGINE = EngineOptions.DEFAULT.withMaxSamples(50_000_000L)
        .withParallelism(3).withParallelThreshold(0);

    @TempDir
    Path scratch;

    @Test
    void shouldPassEveryCaseOfOurOwnTestFiles() throws IOException {
        final Path dir = Paths.get("src/test/resources/promqltest");
        final Map<String, PromQlTestRunner.Counts> counts = new PromQlTestRunner(TEST_ENGINE, scratch)
            .runDirectory(dir);
        final List<String> failures = report("own", counts);
        assertThat(failures).isEmpty();
        assertThat(counts.values().stream().mapToInt(c -> c.passed).sum()).isGreaterThan(10);
    }

    @Test
    void shouldNotFallBelowTheRecordedFloorOnPrometheusSuite() throws IOException {
        final Path suite = locateSuite();
        assumeTrue(suite != null, "shared/promql-testdata not found beside the repository (looked from "
            + Paths.get("").toAbsolutePath() + "); skipping Prometheus' conformance suite");
        final Map<String, PromQlTestRunner.Counts> counts = new PromQlTestRunner(TEST_ENGINE, scratch)
            .runDirectory(suite);
        report("prometheus", counts);
        final int passed = counts.values().stream().mapToInt(c -> c.passed).sum();
        assertThat(passed).as("promqltest pass count against the floor in promqltest/floor.txt")
            .isGreaterThanOrEqualTo(floor());
    }

    private static List<String> report(final String suite, final Map<String, PromQlTestRunner.Counts> counts) {
        final Map<String, Integer> skips = new TreeMap<>();
        final List<String> failures = new ArrayList<>();
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        int atVariants = 0;
        for (final Map.Entry<String, PromQlTestRunner.Counts> e : counts.entrySet()) {
            final PromQlTestRunner.Counts c = e.getValue();
            System.out.println("promqltest " + suite + " " + e.getKey() + ": passed=" + c.passed + " failed="
                + c.failed + " skipped=" + c.skippedTotal() + (c.skipped.isEmpty() ? "" : " " + c.skipped));
            passed += c.passed;
            failed += c.failed;
            skipped += c.skippedTotal();
            atVariants += c.atVariants;
            c.skipped.forEach((reason, n) -> skips.merge(reason, n, Integer::sum));
            failures.addAll(c.failures);
        }
        failures.forEach(f -> System.out.println("promqltest FAIL " + f));
        System.out.println("promqltest: passed=" + passed + " failed=" + failed + " skipped=" + skipped
            + " (@-modifier variants run: " + atVariants + ")");
        skips.forEach((reason, n) -> System.out.println("promqltest skipped " + n + ": " + reason));
        return failures;
    }

    private static int floor() throws IOException {
        try (InputStream in = PromQlConformanceTest.class.getResourceAsStream("/promqltest/floor.txt")) {
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (final String line : text.split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    return Integer.parseInt(line.strip());
                }
            }
        }
        throw new IllegalStateException("no floor in promqltest/floor.txt");
    }

    private static Path locateSuite() {
        final String override = System.getProperty("tidemark.promqlTestdata");
        if (override != null) {
            return Files.isDirectory(Paths.get(override)) ? Paths.get(override) : null;
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            final Path candidate = dir.resolve("shared").resolve("promql-testdata");
            if (Files.isDirectory(candidate) && Files.exists(dir.resolve("shared").resolve("DESIGN.md"))) {
                return candidate;
            }
        }
        return null;
    }
}
