package io.tidemark.server.imports;

import io.tidemark.engine.query.Queryable;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes series as JSON lines, VictoriaMetrics' export format, which {@link Importer} reads back:
 * one line per series, {@code {"metric":{...},"values":[...],"timestamps":[...]}}. Values are JSON
 * numbers, or the strings {@code "NaN"}, {@code "+Inf"}, {@code "-Inf"}; Prometheus stale markers are
 * left out (they mark the end of a series, not a value). A series selected by several selectors is
 * written once.
 */
public final class JsonLinesExporter {
    private JsonLinesExporter() {
    }

    /** Where {@link #export} stopped: series and samples written. */
    public record Exported(long series, long samples) {
    }

    /**
     * Writes every series that any of {@code selectors} selects, with its samples in
     * {@code [minTime, maxTime]}, to {@code out}; series without samples in the range are left out.
     *
     * @throws IllegalStateException if more than {@code maxSamples} samples would be written
     */
    public static Exported export(final Queryable data, final List<List<LabelMatcher>> selectors, final long minTime,
                                  final long maxTime, final long maxSamples, final OutputStream out) throws IOException {
        final Set<LabelSet> written = new HashSet<>();
        final SampleBuffer buffer = new SampleBuffer(1024);
        final StringBuilder line = new StringBuilder(4096);
        long series = 0;
        long samples = 0;
        for (final List<LabelMatcher> selector : selectors) {
            final SeriesSet set = data.select(selector, minTime, maxTime);
            while (set.next()) {
                if (!written.add(set.labels())) {
                    continue;
                }
                set.samples(buffer);
                int kept = 0;
                for (int i = 0; i < buffer.size(); i++) {
                    kept += isStale(buffer.values()[i]) ? 0 : 1;
                }
                if (kept == 0) {
                    continue;
                }
                samples += kept;
                if (samples > maxSamples) {
                    throw new IllegalStateException("the export would hold more than " + maxSamples
                        + " samples: narrow match[] or the time range");
                }
                series++;
                line.setLength(0);
                append(line, set.labels(), buffer);
                out.write(line.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return new Exported(series, samples);
    }

    private static boolean isStale(final double value) {
        return Double.doubleToRawLongBits(value) == 0x7ff0000000000002L;
    }

    static void append(final StringBuilder line, final LabelSet labels, final SampleBuffer samples) {
        line.append("{\"metric\":{");
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            string(line, labels.name(i));
            line.append(':');
            string(line, labels.value(i));
        }
        line.append("},\"values\":[");
        boolean first = true;
        for (int i = 0; i < samples.size(); i++) {
            final double v = samples.values()[i];
            if (isStale(v)) {
                continue;
            }
            if (!first) {
                line.append(',');
            }
            first = false;
            number(line, v);
        }
        line.append("],\"timestamps\":[");
        first = true;
        for (int i = 0; i < samples.size(); i++) {
            if (isStale(samples.values()[i])) {
                continue;
            }
            if (!first) {
                line.append(',');
            }
            first = false;
            line.append(samples.timestamps()[i]);
        }
        line.append("]}\n");
    }

    /** A value as JSON: integers without a fraction, others in Java's shortest round-trip form. */
    static void number(final StringBuilder line, final double v) {
        if (Double.isNaN(v)) {
            line.append("\"NaN\"");
        } else if (Double.isInfinite(v)) {
            line.append(v > 0 ? "\"+Inf\"" : "\"-Inf\"");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
            line.append((long) v);
        } else {
            line.append(v);
        }
    }

    /** A JSON string with the escapes JSON requires. */
    static void string(final StringBuilder line, final String s) {
        line.append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }
}
