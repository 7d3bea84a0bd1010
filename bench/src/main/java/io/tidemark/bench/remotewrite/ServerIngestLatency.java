package io.tidemark.bench.remotewrite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The server's own publish→applied histogram ({@code tidemark_ingest_applied_latency_seconds} on {@code /metrics}),
 * read before and after a run, so that a bench can say how much of an acknowledgement's latency a batch spent
 * between its publish into a shard's ring and its apply, and how much elsewhere (network, event loop, client).
 * Quantiles are bucket upper bounds: "at most".
 */
final class ServerIngestLatency {
    private static final String BUCKET = "tidemark_ingest_applied_latency_seconds_bucket{le=\"";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final double[] bounds;
    private final long[] cumulative;

    private ServerIngestLatency(final double[] bounds, final long[] cumulative) {
        this.bounds = bounds;
        this.cumulative = cumulative;
    }

    /** The histogram as the server at {@code base} shows it now. */
    static ServerIngestLatency read(final URI base) throws IOException {
        final String page;
        try {
            page = HTTP.send(HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading /metrics", e);
        }
        final List<Double> bounds = new ArrayList<>();
        final List<Long> counts = new ArrayList<>();
        for (final String line : page.split("\n")) {
            if (line.startsWith(BUCKET)) {
                final int end = line.indexOf('"', BUCKET.length());
                final String le = line.substring(BUCKET.length(), end);
                bounds.add(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le));
                counts.add((long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        if (bounds.isEmpty()) {
            throw new IOException("no tidemark_ingest_applied_latency_seconds on " + base.resolve("/metrics"));
        }
        return new ServerIngestLatency(bounds.stream().mapToDouble(Double::doubleValue).toArray(),
            counts.stream().mapToLong(Long::longValue).toArray());
    }

    /** ` server_applied_batches=.. server_applied_p50_le_ms=.. server_applied_p99_le_ms=..` for the batches since {@code before}. */
    String since(final ServerIngestLatency before) {
        final long total = cumulative[cumulative.length - 1] - before.cumulative[before.cumulative.length - 1];
        return String.format(Locale.ROOT, " server_applied_batches=%d server_applied_p50_le_ms=%s server_applied_p99_le_ms=%s "
            + "server_applied_p999_le_ms=%s", total, atMost(before, total, 0.5), atMost(before, total, 0.99), atMost(before, total, 0.999));
    }

    private String atMost(final ServerIngestLatency before, final long total, final double quantile) {
        for (int i = 0; i < bounds.length && total > 0; i++) {
            if (cumulative[i] - before.cumulative[i] >= Math.ceil(quantile * total)) {
                return Double.isInfinite(bounds[i]) ? "inf" : String.format(Locale.ROOT, "%.3f", bounds[i] * 1e3);
            }
        }
        return "none";
    }
}
