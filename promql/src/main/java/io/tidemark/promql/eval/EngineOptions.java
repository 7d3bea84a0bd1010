package io.tidemark.promql.eval;

import io.tidemark.promql.parser.ParserOptions;
import java.time.Duration;

/**
 * Settings of the PromQL engine, mirroring Prometheus' engine options.
 *
 * @param parser                 the language accepted, including the compatibility mode: {@code PROMETHEUS2} also
 *                               evaluates ranges and lookback as closed intervals, as Prometheus 2.x did
 * @param lookbackDelta          how far back an instant selector looks for a sample (Prometheus' 5 minutes default)
 * @param maxSamples             the most samples a query may hold in memory at once
 * @param timeout                how long a query may run
 * @param noStepSubqueryInterval the step of a subquery written without one ({@code x[1h:]})
 * @param parallelism            the most threads one range function over a range selector uses to load and evaluate
 *                               its series (the query's thread and up to {@code parallelism - 1} threads of a pool
 *                               shared by all engines with this setting); 1 evaluates on the query's thread alone
 * @param parallelThreshold      the least work, in series times steps, for which a range function splits its series
 *                               among threads; below it the split costs more than it saves (0 splits always)
 */
public record EngineOptions(ParserOptions parser, Duration lookbackDelta, long maxSamples, Duration timeout,
                            Duration noStepSubqueryInterval, int parallelism, long parallelThreshold) {
    /**
     * The work (series times steps) below which splitting a range function among threads did not pay on the
     * benchmark machine: see docs/BENCHMARKS.md (2026-11-22).
     */
    public static final long DEFAULT_PARALLEL_THRESHOLD = 12_000;

    /**
     * Prometheus 3 defaults: 5 minute lookback, 50 million samples, 2 minute timeout, 1 minute subquery step; range
     * functions parallel over the available processors from {@link #DEFAULT_PARALLEL_THRESHOLD} on.
     */
    public static final EngineOptions DEFAULT = new EngineOptions(ParserOptions.DEFAULT, Duration.ofMinutes(5),
        50_000_000L, Duration.ofMinutes(2), Duration.ofMinutes(1), Runtime.getRuntime().availableProcessors(),
        DEFAULT_PARALLEL_THRESHOLD);

    /** Checks the settings. */
    public EngineOptions {
        if (lookbackDelta.isNegative() || lookbackDelta.isZero()) {
            throw new IllegalArgumentException("lookbackDelta=" + lookbackDelta);
        }
        if (maxSamples <= 0) {
            throw new IllegalArgumentException("maxSamples=" + maxSamples);
        }
        if (noStepSubqueryInterval.isNegative() || noStepSubqueryInterval.isZero()) {
            throw new IllegalArgumentException("noStepSubqueryInterval=" + noStepSubqueryInterval);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism=" + parallelism);
        }
        if (parallelThreshold < 0) {
            throw new IllegalArgumentException("parallelThreshold=" + parallelThreshold);
        }
    }

    /** A copy with other parser options. */
    public EngineOptions withParser(final ParserOptions value) {
        return new EngineOptions(value, lookbackDelta, maxSamples, timeout, noStepSubqueryInterval, parallelism,
            parallelThreshold);
    }

    /** A copy with another lookback delta. */
    public EngineOptions withLookbackDelta(final Duration value) {
        return new EngineOptions(parser, value, maxSamples, timeout, noStepSubqueryInterval, parallelism,
            parallelThreshold);
    }

    /** A copy with another sample limit. */
    public EngineOptions withMaxSamples(final long value) {
        return new EngineOptions(parser, lookbackDelta, value, timeout, noStepSubqueryInterval, parallelism,
            parallelThreshold);
    }

    /** A copy with another timeout. */
    public EngineOptions withTimeout(final Duration value) {
        return new EngineOptions(parser, lookbackDelta, maxSamples, value, noStepSubqueryInterval, parallelism,
            parallelThreshold);
    }

    /** A copy with another parallelism (1: every query on its own thread alone). */
    public EngineOptions withParallelism(final int value) {
        return new EngineOptions(parser, lookbackDelta, maxSamples, timeout, noStepSubqueryInterval, value,
            parallelThreshold);
    }

    /** A copy with another parallel threshold in series times steps (0: split whenever there are two series). */
    public EngineOptions withParallelThreshold(final long value) {
        return new EngineOptions(parser, lookbackDelta, maxSamples, timeout, noStepSubqueryInterval, parallelism,
            value);
    }

    /** True in Prometheus 2 compatibility mode: closed range and lookback windows. */
    boolean closedWindows() {
        return prometheus2();
    }

    /**
     * True in Prometheus 2 compatibility mode, where the evaluator follows the 2.x rules that differ from 3.x: closed
     * windows, the 2.x topk/bottomk heap, the extrapolation order of rate/increase, atan2 keeping the metric name.
     */
    boolean prometheus2() {
        return parser.compat() == ParserOptions.Compat.PROMETHEUS2;
    }
}
