package io.tidemark.promql.eval;

import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.MatrixSelector;
import io.tidemark.promql.ast.ParenExpr;
import java.util.ArrayList;
import java.util.List;

/**
 * The series of a range function's argument, evaluated in chunks of contiguous series. Over a range selector a
 * chunk reads its series from its own partition of the selection ({@link SeriesSet#partition}) and evaluates each
 * series as soon as it is read, so a thread loads and computes without waiting for the others; over a subquery the
 * series are already loaded and chunks only compute. Chunks run on {@link ParallelChunks} when the work (series
 * times steps) reaches {@link EngineOptions#parallelThreshold()} and the selection can be partitioned, else as one
 * chunk on the query's thread.
 *
 * <p>The result does not depend on the chunking: each series is evaluated by one thread, in the same order within
 * the series as a sequential run, the chunks' outputs are concatenated in chunk order, and the samples held are
 * counted on the query's atomic counter, so the {@code maxSamples} limit applies to the same total.
 */
final class RangeSeriesChunks {
    /** Chunks per thread: a thread that finishes early takes another chunk instead of idling. */
    private static final int CHUNKS_PER_THREAD = 4;

    /** The selection of a range selector, or null when the series are {@link #loaded}. */
    private final SeriesSet set;
    private final List<RangeSeries> loaded;
    private final long range;
    private final long[] refs;
    private final int seriesCount;

    private RangeSeriesChunks(final SeriesSet set, final List<RangeSeries> loaded, final long range,
                              final long[] refs) {
        this.set = set;
        this.loaded = loaded;
        this.range = range;
        this.refs = refs;
        this.seriesCount = set != null ? set.size() : loaded.size();
    }

    /** Opens {@code arg}: a range selector (possibly in parentheses) for reading, anything else loaded. */
    static RangeSeriesChunks of(final Evaluator ev, final Expr arg) {
        Expr inner = arg;
        while (inner instanceof ParenExpr p) {
            inner = p.expr();
        }
        if (inner instanceof MatrixSelector ms) {
            final Evaluator.OpenRange open = ev.openMatrixSelector(ms);
            if (open.set != null) {
                return new RangeSeriesChunks(open.set, null, open.range, open.refs);
            }
            return new RangeSeriesChunks(null, List.of(), open.range, open.refs);
        }
        final Evaluator.RangeInput input = ev.loadRange(arg);
        return new RangeSeriesChunks(null, input.series, input.range, input.refs);
    }

    /** How many chunks: one unless parallelism, work and the selection all allow a split. */
    int chunkCount(final EngineOptions options, final int steps) {
        if (options.parallelism() == 1 || seriesCount < 2) {
            return 1;
        }
        if (set != null && !set.partitionable()) {
            return 1;
        }
        if ((long) seriesCount * steps < options.parallelThreshold()) {
            return 1;
        }
        return Math.min(seriesCount, options.parallelism() * CHUNKS_PER_THREAD);
    }

    /**
     * Function {@code name} over every series, in series order; the series with no result are left out. Marks in
     * {@code anyPresent} the steps where any series has a window.
     */
    List<StepSeries> evaluate(final Evaluator ev, final String name, final double[][] scalars, final boolean keepName,
                              final boolean[] anyPresent) {
        final int chunks = chunkCount(ev.ctx.options, ev.steps);
        if (chunks == 1) {
            final List<StepSeries> out = new ArrayList<>();
            final Worker worker = new Worker(ev, name, scalars, keepName, ev.ctx.buffer);
            if (set != null) {
                worker.readAndEvaluate(set, out, anyPresent, null);
            } else {
                worker.evaluate(loaded, 0, loaded.size(), out, anyPresent, null);
            }
            return out;
        }
        final SeriesSet[] partitions = set == null ? null : new SeriesSet[chunks];
        final List<StepSeries>[] outputs = newOutputs(chunks);
        final boolean[][] present = new boolean[chunks][];
        for (int c = 0; c < chunks; c++) {
            final int from = (int) ((long) c * seriesCount / chunks);
            final int to = (int) ((long) (c + 1) * seriesCount / chunks);
            if (partitions != null) {
                partitions[c] = set.partition(from, to);
            }
            outputs[c] = new ArrayList<>(to - from);
            present[c] = new boolean[ev.steps];
        }
        ParallelChunks.run(ev.ctx.options.parallelism(), chunks, new ParallelChunks.Task<Worker>() {
            @Override
            public Worker newWorker() {
                return new Worker(ev, name, scalars, keepName, new SampleBuffer(1024));
            }

            @Override
            public void run(final Worker worker, final int chunk, final ParallelChunks control) {
                if (partitions != null) {
                    worker.readAndEvaluate(partitions[chunk], outputs[chunk], present[chunk], control);
                } else {
                    worker.evaluate(loaded, (int) ((long) chunk * seriesCount / chunks),
                        (int) ((long) (chunk + 1) * seriesCount / chunks), outputs[chunk], present[chunk], control);
                }
            }
        });
        int total = 0;
        for (final List<StepSeries> output : outputs) {
            total += output.size();
        }
        final List<StepSeries> out = new ArrayList<>(total);
        for (int c = 0; c < chunks; c++) {
            out.addAll(outputs[c]);
            final boolean[] p = present[c];
            for (int i = 0; i < p.length; i++) {
                anyPresent[i] |= p[i];
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<StepSeries>[] newOutputs(final int chunks) {
        return (List<StepSeries>[]) new List<?>[chunks];
    }

    /** The state one thread reuses over the chunks it runs: its sample buffer, kept-sample arrays and scratch. */
    private final class Worker {
        private final Evaluator ev;
        private final String name;
        private final double[][] scalars;
        private final boolean keepName;
        private final SampleBuffer buffer;
        private final RangeFunctions.WindowScratch scratch = new RangeFunctions.WindowScratch();
        private long[] keptTs = new long[0];
        private double[] keptVals = new double[0];

        Worker(final Evaluator ev, final String name, final double[][] scalars, final boolean keepName,
               final SampleBuffer buffer) {
            this.ev = ev;
            this.name = name;
            this.scalars = scalars;
            this.keepName = keepName;
            this.buffer = buffer;
        }

        /**
         * Reads each series of {@code series} and evaluates it at once. The kept samples go to arrays reused from
         * series to series: a series' result holds its step values, not its samples.
         */
        void readAndEvaluate(final SeriesSet series, final List<StepSeries> out, final boolean[] anyPresent,
                             final ParallelChunks control) {
            final QueryContext ctx = ev.ctx;
            final long from = refs[0] - range;
            final boolean closed = ev.closed();
            while (series.next()) {
                stopIfAnotherFailed(control);
                ctx.check();
                final int n = series.samples(buffer);
                if (keptTs.length < n) {
                    keptTs = new long[n];
                    keptVals = new double[n];
                }
                final int kept = Evaluator.keepRangeSamples(buffer.timestamps(), buffer.values(), n, from, closed,
                    keptTs, keptVals);
                if (kept == 0) {
                    continue;
                }
                ctx.hold(kept);
                evaluateOne(new RangeSeries(Labels.of(series.labels()), keptTs, keptVals, kept, false), out,
                    anyPresent);
            }
        }

        /** Evaluates the loaded series {@code from <= i < to}. */
        void evaluate(final List<RangeSeries> series, final int from, final int to, final List<StepSeries> out,
                      final boolean[] anyPresent, final ParallelChunks control) {
            for (int i = from; i < to; i++) {
                stopIfAnotherFailed(control);
                ev.ctx.check();
                evaluateOne(series.get(i), out, anyPresent);
            }
        }

        private void evaluateOne(final RangeSeries s, final List<StepSeries> out, final boolean[] anyPresent) {
            final StepSeries result = RangeFunctions.evalSeries(ev, name, s, refs, range, scalars, keepName,
                anyPresent, scratch);
            if (result != null) {
                ev.ctx.hold(result.count());
                out.add(result);
            }
        }

        private static void stopIfAnotherFailed(final ParallelChunks control) {
            if (control != null && control.stopped()) {
                throw ParallelChunks.StoppedException.INSTANCE;
            }
        }
    }
}
