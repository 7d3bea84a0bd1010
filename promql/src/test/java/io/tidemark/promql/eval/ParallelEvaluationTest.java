package io.tidemark.promql.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.query.Queryable;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.promql.parser.ParserOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parallel evaluation of range functions answers exactly as the sequential path: the same series, timestamps and
 * value bits, the same annotations, the same errors, on random data (counter resets, NaN, stale markers, gaps,
 * jittered scrapes) and a random query set; the sample limit, cancellation and worker errors behave the same. The
 * seed is printed; {@code -Dtidemark.seed=S} replays a run.
 */
class ParallelEvaluationTest {
    private static final long SEED = Long.getLong("tidemark.seed", System.nanoTime());
    private static final int SERIES_PER_METRIC = 40;
    private static final long SCRAPE = 15_000;
    private static final int SAMPLES = 400;
    private static final PromQlEngine SEQUENTIAL = new PromQlEngine(EngineOptions.DEFAULT
        .withParser(ParserOptions.ALL_FEATURES).withParallelism(1));
    private static final PromQlEngine PARALLEL = new PromQlEngine(EngineOptions.DEFAULT
        .withParser(ParserOptions.ALL_FEATURES).withParallelism(3).withParallelThreshold(0));

    @TempDir
    static Path dir;
    private static Tidemark db;

    @BeforeAll
    static void load() throws IOException {
        System.out.println("ParallelEvaluationTest seed=" + SEED);
        final Random random = new Random(SEED);
        db = Tidemark.open(TidemarkConfig.defaults(dir));
        final TenantAppender appender = db.appender("default");
        for (final String metric : new String[] {"req_total", "temp", "mixed"}) {
            for (int s = 0; s < SERIES_PER_METRIC; s++) {
                final int id = appender.series(LabelSet.of("__name__", metric, "job", "j" + s % 4,
                    "instance", "i" + s));
                double counter = random.nextInt(1000);
                for (int i = 0; i < SAMPLES; i++) {
                    if (random.nextInt(20) == 0) {
                        continue; // a missed scrape
                    }
                    final long t = i * SCRAPE + random.nextInt(2000);
                    final double value;
                    final int kind = random.nextInt(200);
                    if (kind == 0) {
                        value = Double.longBitsToDouble(Evaluator.STALE_NAN_BITS);
                    } else if (kind == 1 && metric.equals("mixed")) {
                        value = Double.NaN;
                    } else if (kind == 2 && !metric.equals("temp")) {
                        counter = random.nextInt(10); // a counter reset
                        value = counter;
                    } else if (metric.equals("temp")) {
                        value = random.nextGaussian() * 1e3 + (kind == 3 ? 1e15 : 0);
                    } else {
                        counter += random.nextInt(100) + random.nextDouble();
                        value = counter;
                    }
                    appender.append(id, t, value);
                }
            }
        }
        appender.commit();
        assertThat(appender.awaitApplied(30_000_000_000L)).isTrue();
    }

    @AfterAll
    static void close() throws IOException {
        db.close();
    }

    private static final String[] FUNCTIONS = {"rate", "increase", "delta", "irate", "idelta", "count_over_time",
        "present_over_time", "last_over_time", "first_over_time", "ts_of_last_over_time", "ts_of_first_over_time",
        "sum_over_time", "avg_over_time", "min_over_time", "max_over_time", "ts_of_min_over_time",
        "ts_of_max_over_time", "stddev_over_time", "stdvar_over_time", "mad_over_time", "changes", "resets", "deriv",
        "absent_over_time"};
    private static final String[] SELECTORS = {"req_total", "temp", "mixed", "{__name__=~\"req_total|mixed\"}",
        "req_total{job=\"j1\"}", "temp{instance=~\"i1.*\"}", "{job=~\"j[123]\"}", "nothing"};
    private static final String[] RANGES = {"1m", "2m", "5m", "10m", "31s"};

    private static String randomQuery(final Random random) {
        final String selector = SELECTORS[random.nextInt(SELECTORS.length)];
        String range = "[" + RANGES[random.nextInt(RANGES.length)] + "]";
        if (random.nextInt(6) == 0) {
            range += " offset " + (random.nextInt(10) - 3) + "m";
        }
        if (random.nextInt(8) == 0) {
            range += " @ " + (random.nextInt(SAMPLES) * SCRAPE / 1000);
        }
        final String call = switch (random.nextInt(12)) {
            case 0 -> "quantile_over_time(" + (random.nextInt(12) / 10.0) + ", " + selector + range + ")";
            case 1 -> "predict_linear(" + selector + range + ", " + random.nextInt(600) + ")";
            case 2 -> "double_exponential_smoothing(" + selector + range + ", " + (random.nextInt(11) / 10.0) + ", 0.5)";
            case 3 -> FUNCTIONS[random.nextInt(FUNCTIONS.length)] + "((" + selector + range + "))";
            case 4 -> "max_over_time(rate(" + selector + "[1m])[5m:30s])";
            default -> FUNCTIONS[random.nextInt(FUNCTIONS.length)] + "(" + selector + range + ")";
        };
        return switch (random.nextInt(5)) {
            case 0 -> "sum by (job) (" + call + ")";
            case 1 -> "topk(3, " + call + ")";
            case 2 -> call + " / on(instance, job) group_left " + "max_over_time(temp[5m])";
            default -> call;
        };
    }

    @Test
    void shouldAnswerRandomQueriesBitForBitAsTheSequentialPath() {
        final Random random = new Random(SEED + 1);
        final Queryable data = db.queryable("default");
        int withData = 0;
        int errors = 0;
        for (int q = 0; q < 400; q++) {
            final String query = randomQuery(random);
            final long end = (random.nextInt(SAMPLES - 40) + 40) * SCRAPE;
            final long step = (1 + random.nextInt(60)) * 1000L;
            final long start = Math.max(0, end - (1 + random.nextInt(300)) * step);
            final boolean instant = random.nextInt(4) == 0;
            final String sequential = answer(SEQUENTIAL, data, query, instant, start, end, step);
            final String parallel = answer(PARALLEL, data, query, instant, start, end, step);
            assertThat(parallel).as("seed=%d query %s start=%d end=%d step=%d instant=%s", SEED, query, start, end,
                step, instant).isEqualTo(sequential);
            if (sequential.startsWith("error")) {
                errors++;
            } else if (sequential.contains("=")) {
                withData++;
            }
        }
        System.out.println("ParallelEvaluationTest: 400 queries, " + withData + " with data, " + errors + " errors");
        assertThat(withData).as("queries with data").isGreaterThan(200);
    }

    /** The result with each value's bits, its annotations, or its error. */
    private static String answer(final PromQlEngine engine, final Queryable data, final String query,
                                 final boolean instant, final long start, final long end, final long step) {
        final Annotations annotations = new Annotations();
        final StringBuilder out = new StringBuilder();
        try {
            final QueryResult result = instant ? engine.instantQuery(data, query, end, null, annotations)
                : engine.rangeQuery(data, query, start, end, step, null, annotations);
            switch (result) {
                case QueryResult.Matrix m -> m.series().forEach(s -> {
                    out.append(s.labels()).append(':');
                    for (int i = 0; i < s.timestamps().length; i++) {
                        out.append(s.timestamps()[i]).append('=')
                            .append(Long.toHexString(Double.doubleToRawLongBits(s.values()[i]))).append(' ');
                    }
                    out.append('\n');
                });
                case QueryResult.Vector v -> v.samples().forEach(s -> out.append(s.labels()).append('@')
                    .append(s.timestamp()).append('=').append(Long.toHexString(Double.doubleToRawLongBits(s.value())))
                    .append('\n'));
                default -> out.append(result);
            }
        } catch (final QueryException e) {
            out.append("error ").append(e.kind()).append(' ').append(e.getMessage());
        }
        return out.append(annotations.warnings()).append(annotations.infos()).toString();
    }

    @Test
    void shouldApplyTheSampleLimitToTheSameTotalInParallel() {
        final Queryable data = db.queryable("default");
        final String query = "last_over_time({__name__=~\"req_total|temp\"}[5m])";
        final long start = 600_000;
        final long end = 5_000_000;
        // The least limit the sequential path accepts: the exact number of samples the query holds.
        long low = 1;
        long high = 50_000_000;
        while (low < high) {
            final long middle = (low + high) >>> 1;
            if (passes(SEQUENTIAL, data, query, middle, start, end)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        for (int i = 0; i < 20; i++) {
            assertThat(passes(PARALLEL, data, query, low, start, end)).as("limit=%d", low).isTrue();
            assertThat(passes(PARALLEL, data, query, low - 1, start, end)).as("limit=%d", low - 1).isFalse();
        }
    }

    private static boolean passes(final PromQlEngine engine, final Queryable data, final String query,
                                  final long limit, final long start, final long end) {
        final PromQlEngine limited = new PromQlEngine(engine.options().withMaxSamples(limit));
        try {
            limited.rangeQuery(data, query, start, end, 15_000);
            return true;
        } catch (final QueryException e) {
            assertThat(e.kind()).isEqualTo(QueryException.Kind.TOO_MANY_SAMPLES);
            return false;
        }
    }

    @Test
    void shouldStopWorkersWhenTheQueryIsCancelledWhileTheyRead() {
        final QueryHandle handle = new QueryHandle();
        final AtomicInteger reads = new AtomicInteger();
        // The 50th series read, by whichever thread, cancels the query: a worker's check must see it.
        final Queryable cancelling = new CancellingQueryable(db.queryable("default"), () -> {
            if (reads.incrementAndGet() == 50) {
                handle.cancel();
            }
        });
        assertThatThrownBy(() -> PARALLEL.rangeQuery(cancelling, "rate({__name__=~\".+\"}[5m])", 600_000,
            5_000_000, 15_000, handle))
            .isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.CANCELED));
        assertThat(reads.get()).isLessThan(3 * SERIES_PER_METRIC);
    }

    @Test
    void shouldReportAWorkersErrorToTheCaller() {
        final Queryable data = db.queryable("default");
        final String query = "double_exponential_smoothing(temp[5m], 1.5, 0.5)";
        final String sequential = answer(SEQUENTIAL, data, query, false, 600_000, 5_000_000, 15_000);
        assertThat(sequential).startsWith("error EXECUTION invalid smoothing factor");
        assertThat(answer(PARALLEL, data, query, false, 600_000, 5_000_000, 15_000)).isEqualTo(sequential);
    }

    @Test
    void shouldSplitOnlyFromTheThresholdOn() {
        final EngineOptions options = EngineOptions.DEFAULT.withParallelism(2).withParallelThreshold(1000);
        final Evaluator ev = new Evaluator(new QueryContext(db.queryable("default"), options, 0, 0, null, "", null),
            0, 9 * SCRAPE, SCRAPE);
        final RangeSeriesChunks all = RangeSeriesChunks.of(ev, io.tidemark.promql.parser.PromQlParser
            .parse("{__name__=~\".+\"}[5m]", options.parser()));
        assertThat(all.chunkCount(options, 10)).as("120 series x 10 steps").isEqualTo(8);
        assertThat(all.chunkCount(options, 8)).as("120 series x 8 steps").isEqualTo(1);
        assertThat(all.chunkCount(options.withParallelism(1), 10)).isEqualTo(1);
    }

    /** Runs {@code onRead} before every series read, in whichever partition and thread. */
    private static final class CancellingQueryable implements Queryable {
        private final Queryable delegate;
        private final Runnable onRead;

        CancellingQueryable(final Queryable delegate, final Runnable onRead) {
            this.delegate = delegate;
            this.onRead = onRead;
        }

        @Override
        public SeriesSet select(final List<LabelMatcher> matchers, final long minTime, final long maxTime) {
            return wrap(delegate.select(matchers, minTime, maxTime));
        }

        private SeriesSet wrap(final SeriesSet set) {
            return new SeriesSet() {
                @Override
                public int size() {
                    return set.size();
                }

                @Override
                public boolean next() {
                    return set.next();
                }

                @Override
                public LabelSet labels() {
                    return set.labels();
                }

                @Override
                public int samples(final SampleBuffer into) {
                    onRead.run();
                    return set.samples(into);
                }

                @Override
                public boolean partitionable() {
                    return set.partitionable();
                }

                @Override
                public SeriesSet partition(final int from, final int to) {
                    return wrap(set.partition(from, to));
                }
            };
        }

        @Override
        public List<String> labelNames(final List<LabelMatcher> matchers) {
            return new ArrayList<>();
        }

        @Override
        public List<String> labelValues(final String name, final List<LabelMatcher> matchers) {
            return new ArrayList<>();
        }
    }
}
