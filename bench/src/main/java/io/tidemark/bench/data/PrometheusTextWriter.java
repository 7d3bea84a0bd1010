package io.tidemark.bench.data;

import java.io.IOException;
import java.util.Arrays;

/**
 * Writes a dataset in the Prometheus text exposition format with millisecond timestamps, one line
 * per sample: {@code name{label="value",...} value timestampMs}.
 *
 * <p>Samples of all series are merged by timestamp, as a scraper would have collected them; samples
 * with equal timestamps come in series order, so all samples of one node scrape stay together. Label
 * values are escaped as the format requires (backslash, double quote, line feed); values are
 * {@code NaN}, {@code +Inf}, {@code -Inf} or {@link Double#toString}, which parses back to the same
 * double. No {@code # HELP} or {@code # TYPE} lines are written.
 *
 * <p>Memory stays bounded whatever the dataset size: when the dataset holds more than a budget of
 * samples, the time range is cut into windows and every series is generated again for each window,
 * trading generation time for memory. Stateless and thread-safe; the appendable is not flushed.
 */
public final class PrometheusTextWriter {
    /** Samples held in memory at once by {@link #write(Dataset, Appendable)}: about 128 MiB of arrays. */
    static final long DEFAULT_BUFFERED_SAMPLES = 8_000_000L;
    private static final int FLUSH_CHARS = 1 << 16;

    private PrometheusTextWriter() {
    }

    /** Writes every sample of every series of {@code dataset} to {@code out}, ordered by timestamp. */
    public static void write(final Dataset dataset, final Appendable out) throws IOException {
        write(dataset, out, DEFAULT_BUFFERED_SAMPLES);
    }

    /** As {@link #write(Dataset, Appendable)}, holding at most about {@code maxBufferedSamples} samples. */
    static void write(final Dataset dataset, final Appendable out, final long maxBufferedSamples) throws IOException {
        if (maxBufferedSamples <= 0) {
            throw new IllegalArgumentException("maxBufferedSamples must be positive: maxBufferedSamples=" + maxBufferedSamples);
        }
        final int seriesCount = dataset.seriesCount();
        final String[] prefixes = new String[seriesCount];
        final SampleMerge merge = new SampleMerge(seriesCount);
        long totalSamples = 0;
        long firstTimestamp = Long.MAX_VALUE;
        long lastTimestamp = Long.MIN_VALUE;
        boolean allBuffered = true;
        for (int index = 0; index < seriesCount; index++) {
            final SeriesData series = dataset.series(index);
            prefixes[index] = linePrefix(series);
            totalSamples += series.size();
            if (series.size() > 0) {
                firstTimestamp = Math.min(firstTimestamp, series.timestamps()[0]);
                lastTimestamp = Math.max(lastTimestamp, series.timestamps()[series.size() - 1]);
            }
            allBuffered = allBuffered && totalSamples <= maxBufferedSamples;
            merge.set(index, allBuffered ? series.timestamps() : null, allBuffered ? series.values() : null);
        }
        final StringBuilder buffer = new StringBuilder(FLUSH_CHARS + 1024);
        if (allBuffered || totalSamples == 0) {
            merge.drain(prefixes, buffer, out);
        } else {
            final long windows = Math.ceilDiv(totalSamples, maxBufferedSamples);
            final long span = Math.addExact(Math.subtractExact(lastTimestamp, firstTimestamp), 1);
            final long step = Math.ceilDiv(span, windows);
            for (long start = firstTimestamp; start <= lastTimestamp; start = Math.addExact(start, step)) {
                final long end = start + Math.min(step, lastTimestamp - start + 1);
                for (int index = 0; index < seriesCount; index++) {
                    final SeriesData series = dataset.series(index);
                    final int from = firstAtOrAfter(series.timestamps(), start);
                    final int to = firstAtOrAfter(series.timestamps(), end);
                    merge.set(index, Arrays.copyOfRange(series.timestamps(), from, to),
                        Arrays.copyOfRange(series.values(), from, to));
                }
                merge.drain(prefixes, buffer, out);
            }
        }
        out.append(buffer);
    }

    /** Index of the first timestamp at or after {@code timestamp}, in a strictly increasing array. */
    private static int firstAtOrAfter(final long[] timestamps, final long timestamp) {
        final int found = Arrays.binarySearch(timestamps, timestamp);
        return found >= 0 ? found : -found - 1;
    }

    /** The text before a sample's value: the name, the other labels if any, and a space. */
    static String linePrefix(final SeriesData series) {
        final String name = series.metricName();
        if (name == null) {
            throw new IllegalArgumentException("series without a metric name: labels=" + series.labels());
        }
        final StringBuilder prefix = new StringBuilder(name);
        char separator = '{';
        for (final var label : series.labels().entrySet()) {
            if (label.getKey().equals(SeriesData.METRIC_NAME_LABEL)) {
                continue;
            }
            prefix.append(separator).append(label.getKey()).append("=\"");
            appendEscaped(label.getValue(), prefix);
            prefix.append('"');
            separator = ',';
        }
        if (separator == ',') {
            prefix.append('}');
        }
        return prefix.append(' ').toString();
    }

    /** Appends a label value with backslash, double quote and line feed escaped. */
    static void appendEscaped(final String value, final StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /** The exposition text of a sample value; parses back to the same double, NaN payloads aside. */
    static String formatValue(final double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value);
    }

    static void flushIfFull(final StringBuilder buffer, final Appendable out) throws IOException {
        if (buffer.length() >= FLUSH_CHARS) {
            out.append(buffer);
            buffer.setLength(0);
        }
    }
}
