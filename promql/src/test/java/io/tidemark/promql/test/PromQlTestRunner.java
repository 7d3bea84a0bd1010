package io.tidemark.promql.test;

import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.promql.eval.Annotations;
import io.tidemark.promql.eval.EngineOptions;
import io.tidemark.promql.eval.Labels;
import io.tidemark.promql.eval.PromQlEngine;
import io.tidemark.promql.eval.QueryResult;
import io.tidemark.promql.parser.ParserOptions;
import io.tidemark.promql.parser.PromQlParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs files in Prometheus' promqltest format against a real {@link Tidemark} in a temporary directory (a fresh one
 * per file and per {@code clear}), evaluating through the engine's query SPI. Counts passes, failures and skips (with
 * reasons) per file.
 */
public final class PromQlTestRunner {
    private static final Pattern LOAD = Pattern.compile("^load(?:_(with_nhcb))?\\s+(.+?)$");
    private static final Pattern EVAL_INSTANT =
        Pattern.compile("^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
    private static final Pattern EVAL_RANGE =
        Pattern.compile("^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+?)\\s+(.+)$");
    private static final Pattern EXPECT =
        Pattern.compile("^expect\\s+(ordered|fail|warn|no_warn|info|no_info)(?:\\s+(regex|msg):(.+))?$");
    private static final double EPSILON = 1e-6;
    private static final double MIN_NORMAL = Double.MIN_NORMAL;
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    /** Outcome counts of one file. */
    public static final class Counts {
        int passed;
        int failed;
        /** {@code @}-modifier variants run for the instant evals (each must agree for its eval to pass). */
        int atVariants;
        final Map<String, Integer> skipped = new TreeMap<>();
        final List<String> failures = new ArrayList<>();

        int skippedTotal() {
            return skipped.values().stream().mapToInt(Integer::intValue).sum();
        }

        void skip(final String reason) {
            skipped.merge(reason, 1, Integer::sum);
        }
    }

    private final EngineOptions baseOptions;
    private final Path scratch;

    /** A runner with the given engine settings, making databases under {@code scratch}. */
    public PromQlTestRunner(final EngineOptions baseOptions, final Path scratch) {
        this.baseOptions = baseOptions;
        this.scratch = scratch;
    }

    /** Runs every {@code *.test} file in {@code dir}; counts by file name. */
    public Map<String, Counts> runDirectory(final Path dir) throws IOException {
        final List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
        final Map<String, Counts> out = new TreeMap<>();
        for (final Path file : files) {
            out.put(file.getFileName().toString(), runFile(file));
        }
        return out;
    }

    /** Runs one file. */
    public Counts runFile(final Path file) throws IOException {
        final List<String> raw = Files.readAllLines(file);
        final List<String> lines = new ArrayList<>();
        for (final String l : raw) {
            final String t = l.strip();
            lines.add(t.startsWith("#") ? "" : t);
        }
        final Counts counts = new Counts();
        final String name = file.getFileName().toString();
        final EngineOptions options = optionsFor(name);
        final PromQlEngine engine = new PromQlEngine(options);
        Database db = new Database(scratch);
        final DroppedSeries dropped = new DroppedSeries();
        try {
            for (int i = 0; i < lines.size(); i++) {
                final String line = lines.get(i);
                if (line.isEmpty()) {
                    continue;
                }
                final String command = line.split("[\\t ]+", 2)[0].toLowerCase(java.util.Locale.ROOT);
                if (command.equals("clear")) {
                    db.close();
                    db = new Database(scratch);
                    dropped.clear();
                } else if (command.startsWith("load")) {
                    final Matcher m = LOAD.matcher(line);
                    final int startLine = i;
                    final List<String> defs = new ArrayList<>();
                    while (i + 1 < lines.size() && !lines.get(i + 1).isEmpty()) {
                        defs.add(lines.get(++i));
                    }
                    if (!m.matches()) {
                        counts.failed++;
                        counts.failures.add(name + ":" + (startLine + 1) + " bad load command: " + line);
                        continue;
                    }
                    final long interval = PromQlParser.parseDuration(m.group(2)).toMillis();
                    try {
                        db.load(interval, defs, m.group(1) != null, dropped);
                    } catch (final RuntimeException e) {
                        counts.failed++;
                        counts.failures.add(name + ":" + (startLine + 1) + " load failed: " + e);
                    }
                } else if (command.startsWith("eval")) {
                    final int startLine = i;
                    final List<String> body = new ArrayList<>();
                    while (i + 1 < lines.size() && !lines.get(i + 1).isEmpty()) {
                        body.add(lines.get(++i));
                    }
                    final EvalCase eval = EvalCase.parse(line, body);
                    final String skip = eval.skipReason(dropped, name);
                    if (skip != null) {
                        counts.skip(skip);
                        continue;
                    }
                    final String failure = run(engine, db, eval, counts);
                    if (failure == null) {
                        counts.passed++;
                    } else {
                        counts.failed++;
                        counts.failures.add(name + ":" + (startLine + 1) + " " + eval.expr + " -> " + failure);
                    }
                }
            }
        } finally {
            db.close();
        }
        return counts;
    }

    private EngineOptions optionsFor(final String fileName) {
        final ParserOptions parser = fileName.contains("compat2") ? ParserOptions.ALL_FEATURES
            .withCompat(ParserOptions.Compat.PROMETHEUS2) : ParserOptions.ALL_FEATURES;
        return baseOptions.withParser(parser);
    }

    /**
     * Runs an eval, and for an instant eval also the {@code @}-modifier variants Prometheus' runner adds; the first
     * mismatch, or null.
     */
    private static String run(final PromQlEngine engine, final Database db, final EvalCase eval,
                              final Counts counts) {
        final String failure = run(engine, db, eval, eval.expr, eval.start);
        if (failure != null || eval.range) {
            return failure;
        }
        for (final AtModifierVariants.Variant v : AtModifierVariants.of(eval.expr, eval.start)) {
            counts.atVariants++;
            final String variantFailure = run(engine, db, eval, v.expr(), v.time());
            if (variantFailure != null) {
                return "@ variant " + v.expr() + " at " + v.time() + ": " + variantFailure;
            }
        }
        return null;
    }

    private static String run(final PromQlEngine engine, final Database db, final EvalCase eval, final String expr,
                              final long time) {
        QueryResult result;
        final Annotations annotations = new Annotations();
        try {
            if (eval.range) {
                result = engine.rangeQuery(db.queryable(), eval.expr, eval.start, eval.end, eval.step, null,
                    annotations);
            } else {
                result = engine.instantQuery(db.queryable(), expr, time, null, annotations);
            }
        } catch (final RuntimeException e) {
            if (eval.fail) {
                return eval.checkFailure(e.getMessage());
            }
            return "unexpected error: " + e;
        }
        if (eval.fail) {
            return "expected an error, got " + result;
        }
        final String annotationMismatch = eval.checkAnnotations(annotations.warnings(), annotations.infos());
        if (annotationMismatch != null) {
            return annotationMismatch;
        }
        final String mismatch = eval.compare(result);
        if (mismatch != null || eval.range || eval.excludeFromRange || eval.ordered
            || expr.matches(".*\\b(start|end|range|step)\\(\\).*")) {
            return mismatch;
        }
        // As Prometheus' runner: the same query as a range query must give the same result at its middle step.
        final QueryResult asRange;
        try {
            asRange = engine.rangeQuery(db.queryable(), expr, time - 60_000, time + 60_000, 60_000);
        } catch (final RuntimeException e) {
            return "range mode: unexpected error: " + e;
        }
        final List<QueryResult.Sample> middle = new ArrayList<>();
        for (final QueryResult.Series s : ((QueryResult.Matrix) asRange).series()) {
            for (int i = 0; i < s.timestamps().length; i++) {
                if (s.timestamps()[i] == time) {
                    middle.add(new QueryResult.Sample(s.labels(), time, s.values()[i]));
                }
            }
        }
        final String rangeMismatch = result instanceof QueryResult.Scalar
            ? eval.compare(new QueryResult.Scalar(time, middle.isEmpty() ? Double.NaN : middle.get(0).value()))
            : eval.compare(new QueryResult.Vector(middle));
        return rangeMismatch == null ? null : "range mode: " + rangeMismatch;
    }

    /** Prometheus' {@code almost.Equal}. */
    static boolean almostEqual(final double a, final double b) {
        final boolean staleA = Double.doubleToRawLongBits(a) == STALE_NAN_BITS;
        final boolean staleB = Double.doubleToRawLongBits(b) == STALE_NAN_BITS;
        if (staleA || staleB) {
            return staleA && staleB;
        }
        if (Double.isNaN(a) && Double.isNaN(b)) {
            return true;
        }
        if (a == b) {
            return true;
        }
        final double absSum = Math.abs(a) + Math.abs(b);
        final double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || absSum < MIN_NORMAL) {
            return diff < EPSILON * MIN_NORMAL;
        }
        return diff / Math.min(absSum, Double.MAX_VALUE) < EPSILON;
    }

    /** A Tidemark database in a fresh temporary directory, with the test's data. */
    static final class Database implements AutoCloseable {
        private final Path dir;
        private final Tidemark db;
        private final TenantAppender appender;

        Database(final Path scratch) throws IOException {
            this.dir = Files.createTempDirectory(scratch, "promqltest");
            this.db = Tidemark.open(TidemarkConfig.defaults(dir));
            this.appender = db.appender("default");
        }

        io.tidemark.engine.query.Queryable queryable() {
            return db.queryable("default");
        }

        /**
         * Loads the float series of a {@code load} block and records in {@code dropped} the series it cannot hold:
         * native-histogram series, series with start timestamps (their floats are loaded, their start timestamps
         * not), and with {@code withCustomBucketHistograms} ({@code load_with_nhcb}) the native histograms Prometheus
         * derives from the classic ones.
         */
        void load(final long interval, final List<String> defs, final boolean withCustomBucketHistograms,
                  final DroppedSeries dropped) {
            // As in Prometheus' runner, a later description of the same series in a block replaces the earlier one.
            final Map<Labels, String> samples = new LinkedHashMap<>();
            for (final String def : defs) {
                switch (SeriesDescription.kind(def)) {
                    case START_TIMESTAMPS -> dropped.add(SeriesDescription.labelsOf(def),
                        DroppedSeries.START_TIMESTAMPS);
                    default -> samples.put(SeriesDescription.labelsOf(def), def);
                }
            }
            for (final String def : samples.values()) {
                switch (SeriesDescription.kind(def)) {
                    case NATIVE_HISTOGRAMS -> dropped.add(SeriesDescription.labelsOf(def), DroppedSeries.HISTOGRAMS);
                    default -> {
                        final SeriesDescription series = SeriesDescription.parse(def);
                        if (withCustomBucketHistograms) {
                            dropped.addCustomBucketHistogramOf(series.labels());
                        }
                        final int id = appender.series(toLabelSet(series.labels()));
                        final List<Double> values = series.values();
                        for (int i = 0; i < values.size(); i++) {
                            final Double v = values.get(i);
                            if (v != null) {
                                appender.append(id, i * interval, v);
                            }
                        }
                    }
                }
            }
            appender.commit();
            if (!appender.awaitApplied(30_000_000_000L)) {
                throw new IllegalStateException("load not applied in 30 s");
            }
        }

        private static LabelSet toLabelSet(final Labels labels) {
            final String[] pairs = new String[labels.size() * 2];
            for (int i = 0; i < labels.size(); i++) {
                pairs[2 * i] = labels.name(i);
                pairs[2 * i + 1] = labels.value(i);
            }
            return LabelSet.of(pairs);
        }

        @Override
        public void close() throws IOException {
            db.close();
            try (Stream<Path> walk = Files.walk(dir)) {
                for (final Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static Labels labelsOf(final List<LabelMatcher> matchers) {
        final Map<String, String> map = new LinkedHashMap<>();
        for (final LabelMatcher m : matchers) {
            map.put(m.name(), m.value());
        }
        final List<String> pairs = new ArrayList<>();
        map.forEach((k, v) -> {
            pairs.add(k);
            pairs.add(v);
        });
        return Labels.of(pairs.toArray(new String[0]));
    }
}
