package io.tidemark.promql.parser;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Parses every query of Prometheus' PromQL conformance suite ({@code shared/promql-testdata/*.test}, beside the
 * repository): each {@code eval} line's expression. Prometheus parses them all when it loads a file, with every
 * experimental feature on, so all must parse here with {@link ParserOptions#ALL_FEATURES}; an eval that expects a
 * parse error (its {@code expect fail msg:} says "parse error") must fail with that message instead. Each parsed query
 * must also print to text that parses back to the same text. Prints how many parse, also with the default options. Skips, saying so, when the suite is not there.
 */
class PromQlTestdataTest {
    private static final Pattern EVAL_INSTANT =
        Pattern.compile("^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
    private static final Pattern EVAL_RANGE =
        Pattern.compile("^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+?)\\s+(.+)$");
    private static final Pattern EXPECT_FAIL_MESSAGE = Pattern.compile("^expect\\s+fail\\s+msg:\\s*(.+)$");

    private record Eval(String file, int line, String expr, String expectedFailure) {
    }

    @Test
    void shouldParseEveryQueryOfPrometheusConformanceSuite() throws IOException {
        final Path suite = locateSuite();
        assumeTrue(suite != null, "shared/promql-testdata not found beside the repository (looked from "
            + Paths.get("").toAbsolutePath() + "); skipping the conformance parse check");
        final List<Eval> evals = readEvals(suite);
        final Map<String, int[]> perFile = new TreeMap<>();
        final List<String> failures = new ArrayList<>();
        int parsedWithDefaults = 0;
        for (final Eval eval : evals) {
            final int[] counts = perFile.computeIfAbsent(eval.file, f -> new int[2]);
            counts[0]++;
            String error = null;
            try {
                final String printed = PromQlParser.parse(eval.expr, ParserOptions.ALL_FEATURES).toString();
                // A \x escape forming invalid UTF-8 reads as U+FFFD, which does not print back (see the docs).
                final String reprinted = printed.indexOf('\uFFFD') >= 0 ? printed
                    : PromQlParser.parse(printed, ParserOptions.ALL_FEATURES).toString();
                if (!reprinted.equals(printed)) {
                    failures.add(eval.file + ":" + eval.line + " prints as " + printed + ", which reprints as "
                        + reprinted);
                }
            } catch (final PromQlParseException e) {
                error = e.getMessage();
            }
            if (eval.expectedFailure != null) {
                if (error == null || !error.contains(eval.expectedFailure)) {
                    failures.add(eval.file + ":" + eval.line + " expected " + eval.expectedFailure + ", got " + error);
                }
            } else if (error != null) {
                failures.add(eval.file + ":" + eval.line + " " + eval.expr + " -> " + error);
            } else {
                counts[1]++;
            }
            try {
                PromQlParser.parse(eval.expr);
                parsedWithDefaults++;
            } catch (final PromQlParseException expectedForExperimentalQueries) {
                // counted below: queries that need a feature flag
            }
        }
        final int parsed = perFile.values().stream().mapToInt(c -> c[1]).sum();
        perFile.forEach((file, c) -> System.out.println("promql-testdata " + file + ": " + c[1] + "/" + c[0]
            + " parse"));
        System.out.println("promql-testdata total: " + parsed + "/" + evals.size() + " parse with all features, "
            + parsedWithDefaults + " with the default options");
        assertThat(failures).isEmpty();
        assertThat(evals).hasSizeGreaterThan(1000);
    }

    private static List<Eval> readEvals(final Path suite) throws IOException {
        final List<Path> files;
        try (Stream<Path> listing = Files.list(suite)) {
            files = listing.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
        final List<Eval> evals = new ArrayList<>();
        for (final Path file : files) {
            final List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                final String line = lines.get(i).trim();
                final String expr = evalExpression(line);
                if (expr == null) {
                    continue;
                }
                String expectedFailure = null;
                for (int j = i + 1; j < lines.size() && !lines.get(j).isBlank(); j++) {
                    final Matcher fail = EXPECT_FAIL_MESSAGE.matcher(lines.get(j).trim());
                    if (fail.matches() && fail.group(1).contains("parse error")) {
                        expectedFailure = fail.group(1).trim();
                    }
                }
                evals.add(new Eval(file.getFileName().toString(), i + 1, expr, expectedFailure));
            }
        }
        return evals;
    }

    private static String evalExpression(final String line) {
        final Matcher instant = EVAL_INSTANT.matcher(line);
        if (instant.matches()) {
            return instant.group(3);
        }
        final Matcher range = EVAL_RANGE.matcher(line);
        return range.matches() ? range.group(5) : null;
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
