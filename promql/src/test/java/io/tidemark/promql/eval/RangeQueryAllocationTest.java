package io.tidemark.promql.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.query.Queryable;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Allocation of range queries over 100 input series, measured with the thread's allocated-bytes counter after a
 * warm-up. The figure asserted is the marginal cost of a step: the bytes a query over 480 steps allocates beyond the
 * same query over 240 steps, per input series and added step. Per-query and per-series costs (parsing, label sets,
 * signatures, maps from labels to output series) cancel out in that difference; what remains is what evaluation
 * allocates per step and sample.
 *
 * <p>The bound's reasoning: the evaluator is columnar, so each node of the plan materializes one {@code double} and
 * one {@code boolean} per series and step (9 B), a range selector copies the raw samples it keeps (16 B per sample,
 * one per step here), and a matrix result holds a {@code long} timestamp and a {@code double} per point (16 B).
 * Those arrays are the whole per-step budget; each bound is their cost plus 2 B. One boxed key or map entry per
 * sample and step would add 16 B (a boxed {@code Long}) to 48 B (a {@code HashMap} node), so the bounds fail on
 * any per-sample object. The absolute cost at 240 steps is printed beside it.
 *
 * <p>The asserted figures read from an in-memory {@link Queryable} whose selects allocate only a match list, so they
 * measure the evaluator alone; the same queries over a real {@link Tidemark} are printed for comparison.
 */
class RangeQueryAllocationTest {
    private static final int SERIES = 100;
    private static final int STEPS = 240;
    private static final long STEP_MILLIS = 15_000;
    private static final long START = 3_600_000;
    private static final long LAST = START + (2 * STEPS - 1) * STEP_MILLIS;
    private static final double SLACK = 2;
    private static final PromQlEngine ENGINE = new PromQlEngine(EngineOptions.DEFAULT);

    @TempDir
    static Path dir;
    private static Tidemark db;
    private static InMemory memory;

    @BeforeAll
    static void load() throws IOException {
        db = Tidemark.open(TidemarkConfig.defaults(dir));
        memory = new InMemory();
        final TenantAppender appender = db.appender("default");
        for (int s = 0; s < SERIES; s++) {
            final String instance = "i" + s;
            final LabelSet x = LabelSet.of("__name__", "x", "job", "j" + (s % 5), "instance", instance);
            final LabelSet a = LabelSet.of("__name__", "a", "instance", instance);
            final LabelSet b = LabelSet.of("__name__", "b", "instance", instance);
            final int xid = appender.series(x);
            final int aid = appender.series(a);
            final int bid = appender.series(b);
            final int n = (int) (LAST / STEP_MILLIS) + 1;
            final long[] ts = new long[n];
            final double[] xs = new double[n];
            final double[] as = new double[n];
            final double[] bs = new double[n];
            for (int i = 0; i < n; i++) {
                final long t = i * STEP_MILLIS;
                ts[i] = t;
                xs[i] = t / 1000.0 * (s + 1);
                as[i] = s + t / 1e6;
                bs[i] = 1 + s + t / 1e7;
                appender.append(xid, t, xs[i]);
                appender.append(aid, t, as[i]);
                appender.append(bid, t, bs[i]);
            }
            memory.add(x, ts, xs);
            memory.add(a, ts, as);
            memory.add(b, ts, bs);
        }
        appender.commit();
        assertThat(appender.awaitApplied(30_000_000_000L)).isTrue();
    }

    @AfterAll
    static void close() throws IOException {
        db.close();
    }

    @Test
    void shouldAllocatePerSeriesNotPerStepForOneToOneMatching() {
        // a, b and the output: 3 x 9 B of step arrays; the result: 16 B.
        assertThat(bytesPerStepSample("a / on(instance) b")).isLessThan(3 * 9 + 16 + SLACK);
    }

    @Test
    void shouldAllocatePerSeriesNotPerStepForManyToOneMatching() {
        assertThat(bytesPerStepSample("a * on(instance) group_left(job) x")).isLessThan(3 * 9 + 16 + SLACK);
    }

    @Test
    void shouldAllocatePerSeriesNotPerStepForAggregatedRate() {
        // x's kept samples (16 B), rate's output (9 B); the sum and the result: 5 groups for 100 inputs.
        assertThat(bytesPerStepSample("sum by (job) (rate(x[5m]))")).isLessThan(16 + 9 + 0.05 * (9 + 16) + SLACK);
    }

    @Test
    void shouldAllocatePerSeriesNotPerStepForCountValues() {
        // a (9 B; floor and % work in place); 10 outputs, one per value, for 100 inputs, each with its step arrays
        // and result points.
        assertThat(bytesPerStepSample("count_values(\"v\", floor(a) % 10)")).isLessThan(9 + 0.1 * (9 + 16) + SLACK);
    }

    @Test
    void shouldAllocatePerSeriesNotPerStepForTopk() {
        // a (9 B); 5 of 100 series chosen per step, so result points are 0.05 x 16 B.
        assertThat(bytesPerStepSample("topk(5, a)")).isLessThan(9 + 0.05 * 16 + SLACK);
    }

    @Test
    void shouldAllocatePerSeriesNotPerStepForRangeFunctionsWithCompensatedSums() {
        // a's kept samples (16 B), the function's output (9 B), the result (16 B).
        for (final String function : new String[] {"sum_over_time", "avg_over_time", "stddev_over_time", "deriv"}) {
            assertThat(bytesPerStepSample(function + "(a[5m])")).as(function).isLessThan(16 + 9 + 16 + SLACK);
        }
    }

    private static double bytesPerStepSample(final String query) {
        final long short240 = measure(memory, query, STEPS);
        final long long480 = measure(memory, query, 2 * STEPS);
        final double marginal = (double) (long480 - short240) / ((long) SERIES * STEPS);
        final Queryable tidemark = db.queryable("default");
        final double marginalTidemark = (double) (measure(tidemark, query, 2 * STEPS)
            - measure(tidemark, query, STEPS)) / ((long) SERIES * STEPS);
        System.out.printf("allocation %s: %.1f B per step-sample per added step (%.1f B over Tidemark); "
            + "%.1f B per step-sample at %d steps (%.1f B over Tidemark)%n", query, marginal, marginalTidemark,
            (double) short240 / ((long) SERIES * STEPS), STEPS,
            (double) measure(tidemark, query, STEPS) / ((long) SERIES * STEPS));
        return marginal;
    }

    private static long measure(final Queryable data, final String query, final int steps) {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        final long end = START + (steps - 1) * STEP_MILLIS;
        for (int i = 0; i < 20; i++) {
            ENGINE.rangeQuery(data, query, START, end, STEP_MILLIS);
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            final long before = threads.getThreadAllocatedBytes(thread);
            ENGINE.rangeQuery(data, query, START, end, STEP_MILLIS);
            best = Math.min(best, threads.getThreadAllocatedBytes(thread) - before);
        }
        return best;
    }

    /** Series held in arrays, listed in label order as the SPI requires; reads copy into the caller's buffer. */
    private static final class InMemory implements Queryable {
        private final List<LabelSet> labels = new ArrayList<>();
        private final List<String[]> pairs = new ArrayList<>();
        private final List<long[]> timestamps = new ArrayList<>();
        private final List<double[]> values = new ArrayList<>();

        void add(final LabelSet set, final long[] ts, final double[] vs) {
            int at = 0;
            while (at < labels.size() && compare(labels.get(at), set) < 0) {
                at++;
            }
            labels.add(at, set);
            // LabelSet decodes a String per name(i)/value(i) call; matching reads these copies instead.
            final String[] decoded = new String[set.size() * 2];
            for (int i = 0; i < set.size(); i++) {
                decoded[2 * i] = set.name(i);
                decoded[2 * i + 1] = set.value(i);
            }
            pairs.add(at, decoded);
            timestamps.add(at, ts);
            values.add(at, vs);
        }

        private static int compare(final LabelSet a, final LabelSet b) {
            final int n = Math.min(a.size(), b.size());
            for (int i = 0; i < n; i++) {
                int c = a.name(i).compareTo(b.name(i));
                if (c == 0) {
                    c = a.value(i).compareTo(b.value(i));
                }
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a.size(), b.size());
        }

        @Override
        public SeriesSet select(final List<LabelMatcher> matchers, final long minTime, final long maxTime) {
            final int[] matched = new int[labels.size()];
            int count = 0;
            for (int s = 0; s < labels.size(); s++) {
                if (matches(matchers, pairs.get(s))) {
                    matched[count++] = s;
                }
            }
            final int size = count;
            return new SeriesSet() {
                private int position = -1;

                @Override
                public int size() {
                    return size;
                }

                @Override
                public boolean next() {
                    return ++position < size;
                }

                @Override
                public LabelSet labels() {
                    return labels.get(matched[position]);
                }

                @Override
                public int samples(final SampleBuffer into) {
                    into.clear();
                    final long[] ts = timestamps.get(matched[position]);
                    final double[] vs = values.get(matched[position]);
                    for (int i = 0; i < ts.length; i++) {
                        if (ts[i] >= minTime && ts[i] <= maxTime) {
                            into.add(ts[i], vs[i]);
                        }
                    }
                    return into.size();
                }
            };
        }

        private static boolean matches(final List<LabelMatcher> matchers, final String[] set) {
            for (final LabelMatcher m : matchers) {
                String value = "";
                for (int i = 0; i < set.length; i += 2) {
                    if (set[i].equals(m.name())) {
                        value = set[i + 1];
                    }
                }
                if (!m.matches(value)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public List<String> labelNames(final List<LabelMatcher> matchers) {
            return List.of();
        }

        @Override
        public List<String> labelValues(final String name, final List<LabelMatcher> matchers) {
            return List.of();
        }
    }
}
