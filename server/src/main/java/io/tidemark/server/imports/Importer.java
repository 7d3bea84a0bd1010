package io.tidemark.server.imports;

import io.tidemark.engine.db.SeriesLimitException;
import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.index.series.LabelSet;
import io.tidemark.server.remote.MetadataSink;
import java.util.concurrent.TimeUnit;

/**
 * Imports a request body into a tenant: JSON lines ({@code /api/v1/import}) or the Prometheus text
 * format ({@code /api/v1/import/prometheus}). Line by line: a line that cannot be parsed is rejected
 * with its number and reason, the others are stored. Returns after the samples are durable as the
 * database's durability mode defines, with what the heads refused while it ran (counted per tenant,
 * so a concurrent writer's refusals count too).
 *
 * <p>Allocation: per line (labels, a {@link LabelSet}); an import is a backfill, not the ingest path
 * (that is remote write or the binary protocol). Thread-safe: each call uses its own parsers and appender.
 */
public final class Importer {
    /** Samples per commit to the ring. */
    private static final int COMMIT_EVERY = 10_000;

    /** The two formats. */
    public enum Format {
        /** VictoriaMetrics' JSON lines. */
        JSON_LINES,
        /** The Prometheus text exposition format, optional millisecond timestamps. */
        PROMETHEUS_TEXT
    }

    private final Tidemark database;
    private final ImportLimits limits;
    private final long durableTimeoutNanos;
    private final MetadataSink metadata;

    /** An importer into {@code database}; a call waits at most {@code durableTimeoutNanos} for durability. */
    public Importer(final Tidemark database, final ImportLimits limits, final long durableTimeoutNanos) {
        this(database, limits, durableTimeoutNanos, null);
    }

    /**
     * An importer into {@code database} that reports the {@code # HELP} and {@code # TYPE} lines of text imports to
     * {@code metadata} (null: they are checked, not kept).
     */
    public Importer(final Tidemark database, final ImportLimits limits, final long durableTimeoutNanos, final MetadataSink metadata) {
        this.database = database;
        this.limits = limits;
        this.durableTimeoutNanos = durableTimeoutNanos;
        this.metadata = metadata;
    }

    /**
     * Imports {@code body[from, to)} into {@code tenant}; text lines without a timestamp get
     * {@code defaultTimestamp} (ms).
     *
     * @throws java.util.concurrent.TimeoutException if the samples were not durable in time (they may still become so)
     * @throws io.tidemark.engine.db.DiskFullException or {@link io.tidemark.ingest.RingFullException} when the
     *                                                 database cannot take writes now
     */
    public ImportResult importBody(final String tenant, final Format format, final byte[] body, final int from, final int to,
                                   final long defaultTimestamp) throws java.util.concurrent.TimeoutException {
        final long[] before = refusals(tenant);
        final TenantAppender appender = database.appender(tenant);
        final ParsedSeries parsed = new ParsedSeries();
        final JsonLineParser json = format == Format.JSON_LINES ? new JsonLineParser(limits) : null;
        final PrometheusTextParser text = format == Format.PROMETHEUS_TEXT ? new PrometheusTextParser(limits) : null;
        final ExpositionMetadata comments = text == null ? null : new ExpositionMetadata();
        long lines = 0;
        long rejected = 0;
        long samples = 0;
        int pending = 0;
        String firstError = null;
        int start = from;
        while (start < to) {
            int end = start;
            while (end < to && body[end] != '\n') {
                end++;
            }
            lines++;
            try {
                if (end - start > limits.maxLineBytes()) {
                    throw new ImportFormatException("a line of " + (end - start) + " bytes, more than the limit of "
                        + limits.maxLineBytes(), 0);
                }
                final boolean sample;
                if (json != null) {
                    sample = !blank(body, start, end);
                    if (sample) {
                        json.parse(body, start, end, parsed);
                    }
                } else {
                    sample = text.parse(body, start, end, parsed);
                    if (sample && !text.hasTimestamp()) {
                        parsed.addTimestamp(defaultTimestamp);
                    } else if (!sample) {
                        comments.read(body, start, end);
                    }
                }
                if (sample) {
                    final LabelSet labels = LabelSet.of(parsed.labels);
                    if (labels.size() == 0) {
                        throw new ImportFormatException("every label is empty", 0);
                    }
                    final int id = appender.series(labels);
                    for (int i = 0; i < parsed.valueCount; i++) {
                        appender.append(id, parsed.timestamps[i], parsed.values[i]);
                        if (++pending == COMMIT_EVERY) {
                            appender.commit();
                            pending = 0;
                        }
                    }
                    samples += parsed.valueCount;
                }
            } catch (final ImportFormatException | IllegalArgumentException | SeriesLimitException e) {
                rejected++;
                if (firstError == null) {
                    firstError = "line " + lines + ": " + e.getMessage();
                }
            }
            start = end + 1;
        }
        appender.commit();
        if (!appender.awaitApplied(durableTimeoutNanos) || !appender.awaitDurable(durableTimeoutNanos)) {
            throw new java.util.concurrent.TimeoutException("the imported samples were not durable within "
                + TimeUnit.NANOSECONDS.toMillis(durableTimeoutNanos) + " ms");
        }
        if (comments != null && metadata != null) {
            comments.report(tenant, metadata);
        }
        final long[] after = refusals(tenant);
        return new ImportResult(lines, rejected, samples, firstError, after[0] - before[0], after[1] - before[1], after[2] - before[2]);
    }

    private long[] refusals(final String tenant) {
        final long[] refused = database.refused(tenant);
        return new long[] {refused[0], refused[1], database.outOfBounds(tenant)};
    }

    private static boolean blank(final byte[] body, final int from, final int to) {
        for (int i = from; i < to; i++) {
            if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r') {
                return false;
            }
        }
        return true;
    }
}
