package io.tidemark.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.tidemark.engine.db.DiskFullException;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.SeriesKeyCache;
import io.tidemark.ingest.RingFullException;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.server.imports.ImportLimits;
import io.tidemark.server.imports.ImportResult;
import io.tidemark.server.imports.Importer;
import io.tidemark.server.imports.JsonLinesExporter;
import io.tidemark.server.metrics.SelfMetrics;
import io.tidemark.server.metrics.ServerMetrics;
import io.tidemark.server.remote.MetricMetadataStore;
import io.tidemark.server.remote.RawLabelsCaches;
import io.tidemark.server.remote.RemoteWriteIngest;
import io.tidemark.server.remote.RemoteWriteLimits;
import io.tidemark.server.remote.RemoteWriteResult;
import io.tidemark.server.remote.read.RemoteReadException;
import io.tidemark.server.remote.read.RemoteReadHandler;
import io.tidemark.server.remote.read.RemoteReadLimits;
import io.tidemark.server.remote.read.RemoteReadResponseType;
import io.tidemark.server.remote.read.ResponseBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The endpoints that write or move data, and the self-metrics page: remote write ({@code /api/v1/write}), import
 * ({@code /api/v1/import}, {@code /api/v1/import/prometheus}), export ({@code /api/v1/export}), deletion
 * ({@code /api/v1/admin/tsdb/delete_series}) and {@code /metrics}. Remote write and import run on the write threads
 * (they wait for durability), the others on the query threads (they read the database).
 *
 * <p>Remote write decodes the body in place from Netty's pooled direct buffer into the database without allocating
 * per sample ({@link RemoteWriteIngest}, one per write thread, closed with the server), then answers once the
 * samples are durable as the database's durability mode defines: 204 stored; 400 for bad data, the valid part
 * stored; 413 for a body that decompresses past the limit; 415 for a content type or encoding other than
 * protobuf and snappy; 503 when the database cannot take writes now, so the sender retries.
 */
final class WriteApi implements AutoCloseable {
    private static final long DURABLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final RemoteWriteLimits LIMITS = RemoteWriteLimits.DEFAULT;

    private final Supplier<Tidemark> db;
    private final ServerSettings settings;
    private final ServerMetrics metrics;
    private final String version;
    private final MetricMetadataStore metadata;
    /** Series ids by raw label bytes, per tenant, shared by the write threads. */
    private final RawLabelsCaches labelCaches;
    private final NativeAllocator allocator = NativeAllocator.withLimit(NativeAllocator.UNLIMITED);
    private final ConcurrentLinkedQueue<RemoteWriteIngest> ingesters = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<RemoteWriteIngest> ingester = new ThreadLocal<>();
    private final ThreadLocal<RemoteReadHandler> reader = new ThreadLocal<>();
    private final ThreadLocal<ResponseBuffer> readBuffer = new ThreadLocal<>();

    WriteApi(final Supplier<Tidemark> db, final ServerSettings settings, final ServerMetrics metrics, final String version,
             final MetricMetadataStore metadata) {
        this.db = db;
        this.settings = settings;
        this.metrics = metrics;
        this.version = version;
        this.metadata = metadata;
        this.labelCaches = new RawLabelsCaches(SeriesKeyCache.Budget.ofHeap(), LIMITS.maxLabelsPerSeries());
        metrics.labelCaches(labelCaches);
    }

    void register(final Router router) {
        router.addWrite("POST", "/api/v1/write", this::remoteWrite);
        router.add("POST", "/api/v1/read", this::remoteRead, true);
        router.addWrite("POST", "/api/v1/import", (r, b) -> importBody(r, Importer.Format.JSON_LINES));
        router.addWrite("POST", "/api/v1/import/prometheus", (r, b) -> importBody(r, Importer.Format.PROMETHEUS_TEXT));
        for (final String method : new String[] {"GET", "POST"}) {
            router.add(method, "/api/v1/export", this::export, true);
        }
        for (final String method : new String[] {"POST", "PUT"}) {
            router.add(method, "/api/v1/admin/tsdb/delete_series", this::deleteSeries, true);
        }
        router.add("GET", "/metrics", this::selfMetrics, true);
    }

    private HttpHandler.Response remoteWrite(final ApiRequest request, final JsonWriter body) {
        final String type = request.header("Content-Type");
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/x-protobuf")) {
            throw new ApiException(415, "bad_data", "unsupported content type " + SettingsParser.shorten(type)
                + ": remote write 1.0 sends application/x-protobuf");
        }
        final String encoding = request.header("Content-Encoding");
        if (encoding != null && !encoding.equalsIgnoreCase("snappy")) {
            throw new ApiException(415, "bad_data", "unsupported content encoding " + SettingsParser.shorten(encoding)
                + ": remote write 1.0 sends snappy");
        }
        final Tidemark database = db.get();
        RemoteWriteIngest ingest = ingester.get();
        if (ingest == null) {
            ingest = new RemoteWriteIngest(database, LIMITS.withMaxDecompressedBytes(Math.max(32L << 20, 8L * settings.maxBodyBytes())),
                allocator, metadata, labelCaches);
            ingester.set(ingest);
            ingesters.add(ingest);
        }
        final ByteBuf content = request.body();
        final RemoteWriteResult result;
        if (content.hasMemoryAddress()) {
            result = ingest.ingestAt(request.tenant(), content.memoryAddress() + content.readerIndex(), content.readableBytes());
        } else {
            // An aggregated body is usually a composite of the request's chunks: one copy into a pooled direct buffer
            // (recycled, so no garbage) instead of nioBuffer(), which makes a heap buffer of the whole body per request.
            final ByteBuf flat = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(content.readableBytes());
            try {
                content.getBytes(content.readerIndex(), flat, content.readableBytes());
                result = flat.hasMemoryAddress()
                    ? ingest.ingestAt(request.tenant(), flat.memoryAddress() + flat.readerIndex(), flat.readableBytes())
                    : ingest.ingest(request.tenant(), flat.nioBuffer());
            } finally {
                flat.release();
            }
        }
        metrics.remoteWrite("samples_stored", result.samplesStored());
        metrics.remoteWrite("samples_refused", result.samplesRefused());
        metrics.remoteWrite("series_skipped", result.seriesSkipped());
        metrics.remoteWrite("exemplars_skipped", result.exemplarsSkipped());
        metrics.remoteWrite("histograms_skipped", result.histogramsSkipped());
        final boolean durable;
        try {
            durable = result.samplesStored() == 0 || ingest.awaitDurable(DURABLE_TIMEOUT_NANOS);
        } catch (final DiskFullException e) {
            throw new ApiException(503, "unavailable", e.getMessage() + "; retry");
        }
        if (!durable) {
            throw new ApiException(503, "unavailable", "the samples were not durable within "
                + TimeUnit.NANOSECONDS.toSeconds(DURABLE_TIMEOUT_NANOS) + " s; retry");
        }
        final long headRefused = ingest.headRefused();
        metrics.remoteWrite("samples_refused_by_head", headRefused);
        if (headRefused > 0 && result.outcome() == RemoteWriteResult.Outcome.STORED) {
            // as Prometheus: out-of-order, duplicate and too-old samples are a bad request, so the sender does not retry
            throw ApiException.badData(ingest.describeHeadRefusals());
        }
        return switch (result.outcome()) {
            case STORED -> HttpHandler.Response.NO_CONTENT;
            case TOO_LARGE -> throw new ApiException(413, "bad_data", result.error());
            default -> throw new ApiException(result.httpStatus(), result.clientError() ? "bad_data"
                : result.httpStatus() == 503 ? "unavailable" : "internal", result.error());
        };
    }

    /**
     * Remote read: a snappy-compressed protobuf {@code ReadRequest}, answered with SAMPLES or STREAMED_XOR_CHUNKS
     * as the request accepts ({@link RemoteReadHandler}, one per query thread); 400 for a bad request, a bad matcher
     * or a query over the sample limit, 500 for ours.
     */
    private HttpHandler.Response remoteRead(final ApiRequest request, final JsonWriter body) {
        RemoteReadHandler handler = reader.get();
        if (handler == null) {
            handler = new RemoteReadHandler(new RemoteReadLimits(settings.maxSamples(), RemoteReadLimits.DEFAULTS.maxFrameBytes(),
                Math.max(RemoteReadLimits.DEFAULTS.maxDecompressedRequestBytes(), settings.maxBodyBytes())));
            reader.set(handler);
        }
        ResponseBuffer out = readBuffer.get();
        if (out == null) {
            out = new ResponseBuffer(64 << 10);
            readBuffer.set(out);
        }
        final ByteBuf content = request.body();
        final byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        final RemoteReadResponseType type;
        try {
            type = handler.handle(bytes, 0, bytes.length, db.get().queryable(request.tenant()), out);
        } catch (final RemoteReadException e) {
            throw new ApiException(e.status(), e.status() < 500 ? "bad_data" : "internal", e.getMessage());
        }
        body.buffer().writeBytes(out.array(), 0, out.length());
        return new HttpHandler.Response(200, type.contentType(), type.contentEncoding());
    }

    private HttpHandler.Response importBody(final ApiRequest request, final Importer.Format format) {
        final ByteBuf content = request.body();
        final byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        final long now = System.currentTimeMillis();
        final long timestamp = Params.time(request, "timestamp", now);
        final ImportResult result;
        try {
            result = new Importer(db.get(), ImportLimits.DEFAULT, DURABLE_TIMEOUT_NANOS, metadata)
                .importBody(request.tenant(), format, bytes, 0, bytes.length, timestamp);
        } catch (final TimeoutException e) {
            throw new ApiException(503, "unavailable", e.getMessage() + "; retry");
        } catch (final DiskFullException | RingFullException e) {
            throw new ApiException(503, "unavailable", e.getMessage());
        }
        if (!result.clean()) {
            throw ApiException.badData(result.describe());
        }
        return HttpHandler.Response.NO_CONTENT;
    }

    private HttpHandler.Response export(final ApiRequest request, final JsonWriter body) {
        if (request.parameters("match[]").isEmpty()) {
            throw ApiException.badData("no match[] parameter provided");
        }
        final List<List<LabelMatcher>> selectors = Params.matchers(request, true);
        final long start = Params.time(request, "start", Long.MIN_VALUE);
        final long end = Params.time(request, "end", Long.MAX_VALUE);
        try (ByteBufOutputStream out = new ByteBufOutputStream(body.buffer())) {
            JsonLinesExporter.export(db.get().queryable(request.tenant()), selectors, start, end, settings.maxSamples(), out);
        } catch (final IllegalStateException e) {
            throw new ApiException(422, "execution", e.getMessage());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HttpHandler.Response(200, "application/stream+json");
    }

    private HttpHandler.Response deleteSeries(final ApiRequest request, final JsonWriter body) {
        if (request.parameters("match[]").isEmpty()) {
            throw ApiException.badData("no match[] parameter provided");
        }
        final List<List<LabelMatcher>> selectors = Params.matchers(request, false);
        final long start = Params.time(request, "start", Long.MIN_VALUE);
        final long end = Params.time(request, "end", Long.MAX_VALUE);
        try {
            db.get().deleteSeries(request.tenant(), selectors, start, end);
        } catch (final IllegalArgumentException e) {
            throw ApiException.badData(e.getMessage());
        } catch (final IOException e) {
            throw new ApiException(500, "internal", "the deletion could not be stored: " + e.getMessage());
        }
        return HttpHandler.Response.NO_CONTENT;
    }

    private HttpHandler.Response selfMetrics(final ApiRequest request, final JsonWriter body) {
        final String page;
        try {
            page = SelfMetrics.render(db.get(), metrics, version);
        } catch (final IOException e) {
            throw new ApiException(500, "internal", "could not read the database's state: " + e.getMessage());
        }
        body.buffer().writeCharSequence(page, java.nio.charset.StandardCharsets.UTF_8);
        return new HttpHandler.Response(200, SelfMetrics.CONTENT_TYPE);
    }

    /** Frees the remote-write buffers, once no write thread runs any more. */
    @Override
    public void close() {
        RemoteWriteIngest ingest;
        while ((ingest = ingesters.poll()) != null) {
            ingest.close();
        }
    }
}
