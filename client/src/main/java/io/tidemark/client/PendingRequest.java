package io.tidemark.client;

import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.FrameReader;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.PingFrame;
import io.tidemark.client.protocol.ProtocolException;
import io.tidemark.client.protocol.QueryResultFrame;
import io.tidemark.client.protocol.RegisteredFrame;
import io.tidemark.client.protocol.SelectEndFrame;
import io.tidemark.client.protocol.SelectSeriesFrame;
import io.tidemark.client.protocol.SeriesPoints;
import io.tidemark.codecs.prometheus.PrometheusChunkFormatException;
import io.tidemark.codecs.prometheus.PrometheusXorChunkDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A request other than WRITE waiting for its answer, by request id in its connection's map: the reader thread feeds
 * it the answer's frames until it says it is complete; a broken connection fails it. Each kind completes a future.
 */
abstract class PendingRequest {
    /** Reads one frame of the answer (standing at its body); true when the answer is complete. */
    abstract boolean onFrame(int type, FrameReader in);

    /** Fails the request: an ERROR for it, a timeout, or its connection broke. */
    abstract void fail(TidemarkException failure);

    /** A frame of a type that does not answer the request it names: the connection is broken. */
    static ProtocolException unexpected(final int type, final String request) {
        return FrameReader.malformed(MessageType.name(type) + " answers a " + request);
    }

    /** A QUERY: gathers QUERY_RESULT frames until one without {@code MORE}. */
    static final class Query extends PendingRequest {
        final CompletableFuture<QueryResult> future = new CompletableFuture<>();
        private final List<String> warnings = new ArrayList<>();
        private final List<SeriesSamples> series = new ArrayList<>();
        private int resultType;
        private long time;
        private double scalar;
        private String text;

        @Override
        boolean onFrame(final int type, final FrameReader in) {
            if (type != MessageType.QUERY_RESULT) {
                throw unexpected(type, "QUERY");
            }
            final QueryResultFrame frame = QueryResultFrame.decode(in);
            if (resultType == 0) {
                resultType = frame.resultType();
                time = frame.time();
                scalar = frame.scalar();
                text = frame.text();
            } else if (frame.resultType() != resultType) {
                throw FrameReader.malformed("QUERY_RESULT " + frame.requestId() + ": result type "
                    + frame.resultType() + " after " + resultType + " in the same result");
            }
            warnings.addAll(frame.warnings());
            for (final SeriesPoints points : frame.series()) {
                series.add(new SeriesSamples(SeriesSamples.labelMap(points.labels()), points.timestamps(),
                    points.values()));
            }
            if (frame.more()) {
                return false;
            }
            final QueryResult.Type kind = switch (resultType) {
                case QueryResultFrame.SCALAR -> QueryResult.Type.SCALAR;
                case QueryResultFrame.STRING -> QueryResult.Type.STRING;
                case QueryResultFrame.VECTOR -> QueryResult.Type.VECTOR;
                default -> QueryResult.Type.MATRIX;
            };
            future.complete(new QueryResult(kind, List.copyOf(warnings), time, scalar, text, List.copyOf(series)));
            return true;
        }

        @Override
        void fail(final TidemarkException failure) {
            future.completeExceptionally(failure);
        }
    }

    /** A SELECT: decodes each SELECT_SERIES' XOR chunks, joins frames of one series, completes at SELECT_END. */
    static final class Select extends PendingRequest {
        final CompletableFuture<List<SeriesSamples>> future = new CompletableFuture<>();
        private final PrometheusXorChunkDecoder decoder = new PrometheusXorChunkDecoder();
        private final List<SeriesSamples> series = new ArrayList<>();
        private final long start;
        private final long end;
        private String[] labels;
        private long[] timestamps = new long[128];
        private double[] values = new double[128];
        private int count;
        private TidemarkException failure;

        Select(final long start, final long end) {
            this.start = start;
            this.end = end;
        }

        @Override
        boolean onFrame(final int type, final FrameReader in) {
            if (type == MessageType.SELECT_END) {
                SelectEndFrame.decode(in);
                if (failure == null) {
                    finishSeries();
                    future.complete(List.copyOf(series));
                }
                return true;
            }
            if (type != MessageType.SELECT_SERIES) {
                throw unexpected(type, "SELECT");
            }
            final SelectSeriesFrame frame = SelectSeriesFrame.decode(in);
            if (failure != null) {
                return false; // the request failed already; read on to SELECT_END
            }
            if (labels != null && !Arrays.equals(labels, frame.labels())) {
                finishSeries();
            }
            labels = frame.labels();
            for (final SelectSeriesFrame.Chunk chunk : frame.chunks()) {
                if (chunk.encoding() != SelectSeriesFrame.XOR) {
                    fail(new TidemarkException(ErrorCode.MALFORMED_FRAME, "SELECT " + frame.requestId()
                        + ": chunk encoding " + chunk.encoding() + " is not one this client reads"));
                    return false;
                }
                try {
                    decode(chunk.data());
                } catch (final PrometheusChunkFormatException e) {
                    fail(new TidemarkException(ErrorCode.MALFORMED_FRAME, "SELECT " + frame.requestId()
                        + ": a chunk of " + SeriesSamples.labelMap(labels) + " does not decode", e));
                    return false;
                }
            }
            return false;
        }

        private void decode(final byte[] chunk) {
            decoder.reset(chunk, 0, chunk.length);
            while (decoder.next()) {
                final long t = decoder.timestamp();
                if (t < start || t > end) {
                    continue; // a chunk may start before the range or end after it
                }
                if (count == timestamps.length) {
                    timestamps = Arrays.copyOf(timestamps, count * 2);
                    values = Arrays.copyOf(values, count * 2);
                }
                timestamps[count] = t;
                values[count] = decoder.value();
                count++;
            }
        }

        private void finishSeries() {
            if (labels != null) {
                series.add(new SeriesSamples(SeriesSamples.labelMap(labels), Arrays.copyOf(timestamps, count),
                    Arrays.copyOf(values, count)));
            }
            labels = null;
            count = 0;
        }

        @Override
        void fail(final TidemarkException cause) {
            if (failure == null) {
                failure = cause;
            }
            future.completeExceptionally(cause);
        }
    }

    /** A PING sent by {@link TidemarkClient#ping}: completes with the round-trip time in nanoseconds. */
    static final class Ping extends PendingRequest {
        final CompletableFuture<Long> future = new CompletableFuture<>();
        private final long sentNanos = System.nanoTime();

        @Override
        boolean onFrame(final int type, final FrameReader in) {
            if (type != MessageType.PONG) {
                throw unexpected(type, "PING");
            }
            PingFrame.decode(in);
            future.complete(System.nanoTime() - sentNanos);
            return true;
        }

        @Override
        void fail(final TidemarkException failure) {
            future.completeExceptionally(failure);
        }
    }

    /** A REGISTER: notes each refused handle on its series. Nobody waits for it: WRITEs follow it in order. */
    static final class Register extends PendingRequest {
        private final SeriesRegistry registry;

        Register(final SeriesRegistry registry) {
            this.registry = registry;
        }

        @Override
        boolean onFrame(final int type, final FrameReader in) {
            if (type != MessageType.REGISTERED) {
                throw unexpected(type, "REGISTER");
            }
            final RegisteredFrame frame = RegisteredFrame.decode(in);
            for (final RegisteredFrame.Refusal refusal : frame.refusals()) {
                final Series series = registry.get(refusal.handle());
                if (series != null) {
                    series.registrationRefused(ErrorCode.name(refusal.code()) + ": " + refusal.message());
                }
            }
            return true;
        }

        @Override
        void fail(final TidemarkException failure) {
            // The handles are registered again on the next connection; the WRITEs report their own failure.
        }
    }
}
