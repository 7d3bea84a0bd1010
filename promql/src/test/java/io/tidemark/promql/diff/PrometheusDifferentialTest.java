package io.tidemark.promql.diff;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.index.series.LabelSet;
import io.tidemark.promql.eval.EngineOptions;
import io.tidemark.promql.eval.Labels;
import io.tidemark.promql.eval.PromQlEngine;
import io.tidemark.promql.eval.QueryResult;
import io.tidemark.promql.parser.ParserOptions;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test against a real Prometheus 2.x: the same generated data ({@link DiffDataset}) goes into
 * Prometheus (as blocks built by promtool from OpenMetrics text) and into a Tidemark; every query of
 * {@link DiffQueries} is asked of both, Prometheus over its HTTP API and Tidemark through {@link PromQlEngine} in
 * {@code PROMETHEUS2} mode, and the answers must agree: the same series, timestamps, and values within 1e-9
 * relative (NaN equals NaN), or both an error.
 *
 * <p>Needs the {@code prometheus} package and takes about half a minute, so it runs only from
 * {@code ./tidemark test-promql-diff} (which installs the package and sets {@code -Dtidemark.promqlDiff=true});
 * the default suite reports it as skipped. Queries whose difference is understood are listed with the reason in
 * {@code promql-diff/known-differences.txt}; any other difference fails the test.
 */
@EnabledIfSystemProperty(named = "tidemark.promqlDiff", matches = "true",
    disabledReason = "differential test against Prometheus 2.42: run ./tidemark test-promql-diff")
class PrometheusDifferentialTest {
    private static final long SEED = 42;
    /** PROMETHEUS2 unless {@code -Dtidemark.promqlDiff.compat=PROMETHEUS3}, to see what the compat mode changes. */
    private static final PromQlEngine ENGINE = new PromQlEngine(EngineOptions.DEFAULT
        .withParser(ParserOptions.DEFAULT.withCompat(ParserOptions.Compat.valueOf(
            System.getProperty("tidemark.promqlDiff.compat", "PROMETHEUS2")))));

    @TempDir
    Path scratch;

    @Test
    void shouldAnswerLikePrometheus2() throws Exception {
        // Asked for explicitly, so a missing peer is a failure, not a quiet skip.
        assertThat(PrometheusPeer.installed())
            .as("prometheus and promtool on PATH (scripts/install-test-peers.sh installs them)").isTrue();
        final DiffDataset data = new DiffDataset(SEED);
        final Path text = scratch.resolve("data.om.txt");
        try (Writer out = Files.newBufferedWriter(text, StandardCharsets.UTF_8)) {
            data.writeOpenMetrics(out);
        }
        final String dump = System.getProperty("tidemark.promqlDiff.dump");
        if (dump != null) {
            // To look at a difference by hand: the same text, for promtool and a Prometheus of one's own.
            Files.copy(text, Path.of(dump), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        final Path promDir = Files.createDirectories(scratch.resolve("prometheus-data"));
        final Path tidemarkDir = Files.createDirectories(scratch.resolve("tidemark-data"));
        // -Dtidemark.promqlDiff.only=REGEX asks only the queries whose expression contains a match.
        final String only = System.getProperty("tidemark.promqlDiff.only", "");
        final java.util.regex.Pattern filter = java.util.regex.Pattern.compile(only);
        final List<DiffQueries.Query> queries = DiffQueries.all().stream()
            .filter(q -> filter.matcher(q.expr()).find()).toList();
        final List<String> known = KnownDifferences.load();
        final List<String> differences = new ArrayList<>();
        final List<String> unexpected = new ArrayList<>();
        final java.util.Set<String> stillDifferent = new java.util.HashSet<>();
        int equal = 0;
        int bothError = 0;
        System.out.println("promql-diff: peer=\"" + PrometheusPeer.version() + "\" series=" + data.series().size()
            + " samples=" + data.sampleCount() + " seed=" + SEED + " tidemark=" + ENGINE.options().parser().compat());
        try (PrometheusPeer prometheus = PrometheusPeer.start(text, promDir, scratch);
             Tidemark db = Tidemark.open(TidemarkConfig.defaults(tidemarkDir))) {
            load(db, data);
            for (final DiffQueries.Query q : queries) {
                final Answer theirs = Answer.fromPrometheus(q.range()
                    ? prometheus.rangeQuery(q.expr(), q.start(), q.end(), q.step())
                    : prometheus.instantQuery(q.expr(), q.start()));
                final Answer ours = ask(db, q);
                final String difference = Answer.difference(theirs, ours);
                if (difference == null) {
                    equal++;
                    bothError += theirs.isError() ? 1 : 0;
                    continue;
                }
                final boolean isKnown = known.contains(KnownDifferences.key(q));
                stillDifferent.add(KnownDifferences.key(q));
                final String line = "  #" + q.id() + " " + q.describe() + (isKnown ? "  [known]" : "")
                    + "\n      " + difference;
                differences.add(line);
                if (!isKnown) {
                    unexpected.add(line);
                }
            }
        }
        final String summary = "promql-diff: queries=" + queries.size() + " equal=" + equal + " different="
            + differences.size() + " (both-error=" + bothError + " known=" + (differences.size() - unexpected.size())
            + " unexpected=" + unexpected.size() + ")";
        final StringBuilder report = new StringBuilder(summary).append('\n');
        differences.forEach(d -> report.append(d).append('\n'));
        for (final String k : known) {
            if (!stillDifferent.contains(k) && queries.stream().anyMatch(q -> KnownDifferences.key(q).equals(k))) {
                report.append("  fixed? known difference now agrees: ").append(k.replace('\t', ' ')).append('\n');
            }
        }
        System.out.print(report);
        final Path reportFile = Path.of("target", "promql-diff-report.txt");
        Files.createDirectories(reportFile.getParent());
        Files.writeString(reportFile, report);
        assertThat(unexpected).as("differences from Prometheus 2.42 not listed in known-differences.txt").isEmpty();
    }

    private static Answer ask(final Tidemark db, final DiffQueries.Query q) {
        try {
            final QueryResult r = q.range()
                ? ENGINE.rangeQuery(db.queryable("default"), q.expr(), q.start(), q.end(), q.step())
                : ENGINE.instantQuery(db.queryable("default"), q.expr(), q.start());
            return Answer.fromTidemark(r);
        } catch (RuntimeException e) {
            return Answer.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static void load(final Tidemark db, final DiffDataset data) throws IOException {
        final TenantAppender appender = db.appender("default");
        for (final DiffDataset.Series s : data.series()) {
            final Labels labels = s.labels();
            final String[] pairs = new String[labels.size() * 2];
            for (int i = 0; i < labels.size(); i++) {
                pairs[2 * i] = labels.name(i);
                pairs[2 * i + 1] = labels.value(i);
            }
            final int id = appender.series(LabelSet.of(pairs));
            for (int k = 0; k < s.timestamps().length; k++) {
                appender.append(id, s.timestamps()[k], s.values()[k]);
            }
            appender.commit();
        }
        if (!appender.awaitApplied(60_000_000_000L)) {
            throw new IOException("samples not applied within 60 s");
        }
    }
}
