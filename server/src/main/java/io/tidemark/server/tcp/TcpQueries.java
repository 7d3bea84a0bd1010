package io.tidemark.server.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.ErrorFrame;
import io.tidemark.client.protocol.FrameWriter;
import io.tidemark.client.protocol.QueryFrame;
import io.tidemark.client.protocol.QueryResultFrame;
import io.tidemark.client.protocol.SelectEndFrame;
import io.tidemark.client.protocol.SelectFrame;
import io.tidemark.client.protocol.SelectSeriesFrame;
import io.tidemark.client.protocol.SeriesPoints;
import io.tidemark.codecs.prometheus.PrometheusXorChunkEncoder;
import io.tidemark.codecs.prometheus.PrometheusXorLayout;
import io.tidemark.engine.query.Queryable;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.promql.eval.Annotations;
import io.tidemark.promql.eval.EngineOptions;
import io.tidemark.promql.eval.Labels;
import io.tidemark.promql.eval.PromQlEngine;
import io.tidemark.promql.eval.QueryException;
import io.tidemark.promql.eval.QueryResult;
import io.tidemark.promql.parser.PromQlParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * QUERY and SELECT, run on the query threads: PromQL with the rules of {@code /api/v1/query} and
 * {@code /api/v1/query_range}, answered as QUERY_RESULT frames; raw selections streamed as one SELECT_SERIES frame per
 * series (Prometheus XOR chunks of 120 samples) and a SELECT_END. A slow reader holds its query thread while the
 * channel is not writable, up to the query timeout, so a connection cannot make the server buffer a whole result.
 */
final class TcpQueries {
    /** Prometheus' limit on the points of one series a range query may return. */
    static final long MAX_POINTS = 11_000;

    private final TcpServer server;
    private final Executor executor;
    private final PromQlEngine engine;

    TcpQueries(final TcpServer server, final Executor executor, final EngineOptions options) {
        this.server = server;
        this.executor = executor;
        this.engine = new PromQlEngine(options);
    }

    void query(final TcpConnection connection, final QueryFrame query) {
        submit(connection, query.requestId(), () -> runQuery(connection, query));
    }

    void select(final TcpConnection connection, final SelectFrame select) {
        submit(connection, select.requestId(), () -> runSelect(connection, select));
    }

    private void submit(final TcpConnection connection, final long requestId, final Runnable work) {
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (final RuntimeException e) {
                    send(connection.channel(), error(requestId, ErrorCode.INTERNAL, "query failed: " + e));
                } finally {
                    connection.queryDone();
                }
            });
        } catch (final RejectedExecutionException e) {
            send(connection.channel(), error(requestId, ErrorCode.OVERLOADED, "every query thread is busy; retry later"));
            connection.queryDone();
        }
    }

    private void runQuery(final TcpConnection connection, final QueryFrame query) {
        final long id = query.requestId();
        final Channel channel = connection.channel();
        PromQlEngine run = engine;
        final long configured = engine.options().timeout().toMillis();
        if (query.timeoutMillis() > 0 && query.timeoutMillis() < configured) {
            run = new PromQlEngine(engine.options().withTimeout(Duration.ofMillis(query.timeoutMillis())));
        }
        final Queryable data = server.database().queryable(connection.tenant());
        final Annotations annotations = new Annotations();
        final QueryResult result;
        try {
            if (query.kind() == QueryFrame.INSTANT) {
                result = run.instantQuery(data, query.query(), query.time(), null, annotations);
            } else {
                if (query.end() < query.time()) {
                    throw new BadQuery("end timestamp must not be before start time");
                }
                if (query.step() <= 0) {
                    throw new BadQuery("zero or negative query resolution step widths are not accepted");
                }
                if ((query.end() - query.time()) / query.step() > MAX_POINTS) {
                    throw new BadQuery("exceeded maximum resolution of 11,000 points per timeseries");
                }
                result = run.rangeQuery(data, query.query(), query.time(), query.end(), query.step(), null, annotations);
            }
        } catch (final BadQuery | PromQlParseException e) {
            send(channel, error(id, ErrorCode.BAD_QUERY, e.getMessage()));
            return;
        } catch (final QueryException e) {
            final int code = switch (e.kind()) {
                case BAD_DATA -> ErrorCode.BAD_QUERY;
                case TIMEOUT, CANCELED -> ErrorCode.QUERY_TIMEOUT;
                case EXECUTION, TOO_MANY_SAMPLES -> ErrorCode.QUERY_FAILED;
            };
            send(channel, error(id, code, e.getMessage()));
            return;
        }
        final List<String> warnings = new ArrayList<>(annotations.warnings());
        warnings.addAll(annotations.infos());
        final FrameWriter out = writer();
        switch (result) {
            case QueryResult.Scalar s -> new QueryResultFrame(id, QueryResultFrame.SCALAR, false, warnings, s.timestamp(),
                s.value(), null, List.of()).encode(out);
            case QueryResult.Str s -> new QueryResultFrame(id, QueryResultFrame.STRING, false, warnings, s.timestamp(), 0,
                s.value(), List.of()).encode(out);
            case QueryResult.Vector v -> {
                final List<SeriesPoints> series = new ArrayList<>(v.samples().size());
                for (final QueryResult.Sample sample : v.samples()) {
                    series.add(new SeriesPoints(pairs(sample.labels()), new long[] {sample.timestamp()},
                        new double[] {sample.value()}));
                }
                if (!sendSeries(channel, out, id, QueryResultFrame.VECTOR, warnings, series)) {
                    return;
                }
            }
            case QueryResult.Matrix m -> {
                final List<SeriesPoints> series = new ArrayList<>(m.series().size());
                for (final QueryResult.Series s : m.series()) {
                    series.add(new SeriesPoints(pairs(s.labels()), s.timestamps(), s.values()));
                }
                if (!sendSeries(channel, out, id, QueryResultFrame.MATRIX, warnings, series)) {
                    return;
                }
            }
        }
        send(channel, out);
    }

    /** Splits a vector or matrix between frames at series boundaries; false if one series is too large for a frame. */
    private boolean sendSeries(final Channel channel, final FrameWriter out, final long id, final int type,
                               final List<String> warnings, final List<SeriesPoints> series) {
        final long budget = server.limits().maxFrameBytes() - 64L - warningBytes(warnings);
        int from = 0;
        boolean first = true;
        do {
            long bytes = 0;
            int to = from;
            while (to < series.size() && bytes + series.get(to).encodedBytes() <= budget) {
                bytes += series.get(to).encodedBytes();
                to++;
            }
            if (to == from && from < series.size()) {
                send(channel, error(id, ErrorCode.QUERY_FAILED, "one series of the result is larger than the frame limit "
                    + server.limits().maxFrameBytes()));
                return false;
            }
            new QueryResultFrame(id, type, to < series.size(), first ? warnings : List.of(), 0, 0, null,
                series.subList(from, to)).encode(out);
            send(channel, out);
            out.clear();
            first = false;
            from = to;
        } while (from < series.size());
        return true;
    }

    private static long warningBytes(final List<String> warnings) {
        long bytes = 0;
        for (final String warning : warnings) {
            bytes += 2 + 3L * warning.length();
        }
        return bytes;
    }

    private void runSelect(final TcpConnection connection, final SelectFrame select) {
        final long id = select.requestId();
        final Channel channel = connection.channel();
        final List<LabelMatcher> matchers = new ArrayList<>(select.matchers().size());
        try {
            boolean selective = false;
            for (final SelectFrame.Matcher m : select.matchers()) {
                final LabelMatcher matcher = LabelMatcher.of(LabelMatcher.Type.values()[m.type()], m.name(), m.value());
                selective |= !matcher.matchesEmpty();
                matchers.add(matcher);
            }
            if (!selective) {
                throw new BadQuery("at least one matcher must not match the empty string");
            }
            if (select.end() < select.start()) {
                throw new BadQuery("end must not be before start");
            }
        } catch (final BadQuery | IllegalArgumentException e) {
            send(channel, error(id, ErrorCode.BAD_QUERY, e.getMessage()));
            return;
        }
        final SeriesSet set = server.database().queryable(connection.tenant()).select(matchers, select.start(), select.end());
        final SampleBuffer samples = new SampleBuffer(1024);
        final PrometheusXorChunkEncoder encoder = new PrometheusXorChunkEncoder();
        final FrameWriter out = writer();
        final long budget = server.limits().maxFrameBytes() - 1024L;
        long seriesSent = 0;
        long samplesSent = 0;
        while (set.next()) {
            final int count = set.samples(samples);
            if (count == 0) {
                continue;
            }
            samplesSent += count;
            if (samplesSent > server.limits().maxSelectSamples()) {
                send(channel, error(id, ErrorCode.QUERY_FAILED, "the selection returns more than "
                    + server.limits().maxSelectSamples() + " samples; narrow the matchers or the time range"));
                return;
            }
            final String[] labels = pairs(Labels.of(set.labels()));
            final List<SelectSeriesFrame.Chunk> chunks = new ArrayList<>();
            long bytes = 0;
            for (int from = 0; from < count; from += PrometheusXorLayout.SAMPLES_PER_CHUNK) {
                final int to = Math.min(count, from + PrometheusXorLayout.SAMPLES_PER_CHUNK);
                encoder.reset();
                for (int i = from; i < to; i++) {
                    encoder.append(samples.timestamps()[i], samples.values()[i]);
                }
                final byte[] data = java.util.Arrays.copyOf(encoder.bytes(), encoder.length());
                if (bytes + data.length + SelectSeriesFrame.CHUNK_HEADER_BYTES > budget) {
                    new SelectSeriesFrame(id, labels, chunks).encode(out);
                    send(channel, out);
                    out.clear();
                    chunks.clear();
                    bytes = 0;
                }
                chunks.add(new SelectSeriesFrame.Chunk(SelectSeriesFrame.XOR, samples.timestamps()[from],
                    samples.timestamps()[to - 1], data));
                bytes += data.length + SelectSeriesFrame.CHUNK_HEADER_BYTES;
            }
            new SelectSeriesFrame(id, labels, chunks).encode(out);
            send(channel, out);
            out.clear();
            seriesSent++;
        }
        new SelectEndFrame(id, seriesSent, samplesSent).encode(out);
        send(channel, out);
    }

    private FrameWriter writer() {
        final FrameWriter out = new FrameWriter(4096, server.limits().maxFrameBytes() + 65_536);
        out.maxFrameBytes(server.limits().maxFrameBytes());
        return out;
    }

    private FrameWriter error(final long requestId, final int code, final String message) {
        final FrameWriter out = writer();
        new ErrorFrame(requestId, code, message).encode(out);
        return out;
    }

    private static String[] pairs(final Labels labels) {
        final String[] pairs = new String[labels.size() * 2];
        for (int i = 0; i < labels.size(); i++) {
            pairs[2 * i] = labels.name(i);
            pairs[2 * i + 1] = labels.value(i);
        }
        return pairs;
    }

    /**
     * Writes what {@code out} holds to the channel from a query thread, after waiting (up to the idle timeout) while
     * the channel is not writable: a client that does not read holds its query, not the server's memory.
     */
    private void send(final Channel channel, final FrameWriter out) {
        final long deadline = System.nanoTime() + server.limits().idleTimeoutMillis() * 1_000_000L;
        while (!channel.isWritable() && channel.isActive() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        if (!channel.isActive()) {
            return;
        }
        final ByteBuf buffer = NettyFrames.copy(channel.alloc(), out);
        channel.writeAndFlush(buffer, channel.voidPromise());
    }

    /** A query parameter out of range. */
    private static final class BadQuery extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadQuery(final String message) {
            super(message, null, false, false);
        }
    }
}
