package io.tidemark.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tidemark.index.matchers.RegexBudgetExceededException;
import io.tidemark.server.metrics.ServerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;

/**
 * Decodes each aggregated request (parameters, tenant), finds its route and runs the handler: on the event loop when
 * it cannot block, on the bounded query executor otherwise (503 {@code unavailable} when that is full). Writes the
 * response with keep-alive as the client asked. Shared by every channel.
 */
@ChannelHandler.Sharable
final class HttpDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final System.Logger LOG = System.getLogger(HttpDispatcher.class.getName());
    /** The tenant header Cortex, Mimir and Loki use. */
    static final String TENANT_HEADER = "X-Scope-OrgID";
    /** The engine's tenant names: 1 to 64 letters, digits, '_', '-' or '.', not starting with '.'. */
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]{0,63}");
    private static final int MAX_PARAMETERS = 1024;

    private final Router router;
    private final ExecutorService queries;
    private final ExecutorService writes;
    private final ServerMetrics metrics;

    HttpDispatcher(final Router router, final ExecutorService queries, final ExecutorService writes,
                   final ServerMetrics metrics) {
        super(false);
        this.router = router;
        this.queries = queries;
        this.writes = writes;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        // After a malformed request the codec discards the rest of the stream: answer it, then close.
        final boolean keepAlive = request.decoderResult().isSuccess() && HttpUtil.isKeepAlive(request);
        final ApiRequest decoded;
        final Router.Route route;
        try {
            if (!request.decoderResult().isSuccess()) {
                throw ApiException.badData("malformed request: " + SettingsParser.shorten(
                    String.valueOf(request.decoderResult().cause())));
            }
            final QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8, true,
                MAX_PARAMETERS);
            final String method = request.method().name();
            final Router.Match match = router.match(method, uri.path());
            if (match.route() == null) {
                if (match.allowed().isEmpty()) {
                    throw new ApiException(404, "not_found", "no such endpoint: " + SettingsParser.shorten(uri.path()));
                }
                throw new MethodNotAllowed(String.join(", ", match.allowed()), method);
            }
            route = match.route();
            decoded = new ApiRequest(method, uri.path(), parameters(uri, request), tenant(request), match.pathValue(),
                request.content(), request.headers());
        } catch (final MethodNotAllowed e) {
            final FullHttpResponse response = error(ctx, new ApiException(405, "bad_data", e.getMessage()));
            response.headers().set(HttpHeaderNames.ALLOW, e.allow);
            send(ctx, response, keepAlive);
            request.release();
            return;
        } catch (final ApiException e) {
            send(ctx, error(ctx, e), keepAlive);
            request.release();
            return;
        } catch (final IllegalArgumentException e) {
            // Netty's decoder refuses a malformed %-escape in the path, query string or form body.
            send(ctx, error(ctx, ApiException.badData("error parsing form values: "
                + SettingsParser.shorten(String.valueOf(e.getMessage())))), keepAlive);
            request.release();
            return;
        }
        final long started = System.nanoTime();
        if (!route.blocking()) {
            try {
                send(ctx, counted(route, started, run(ctx, route.handler(), decoded)), keepAlive);
            } finally {
                request.release();
            }
            return;
        }
        try {
            (route.writes() ? writes : queries).execute(() -> {
                try {
                    send(ctx, counted(route, started, run(ctx, route.handler(), decoded)), keepAlive);
                } finally {
                    request.release();
                }
            });
        } catch (final RejectedExecutionException e) {
            request.release();
            send(ctx, counted(route, started, error(ctx, new ApiException(503, "unavailable",
                "too many requests in flight: every " + (route.writes() ? "write" : "query")
                    + " thread is busy and the queue is full"))), keepAlive);
        }
    }

    /** Counts the answer to {@code route} in the self-metrics (status and latency by the route's path). */
    private FullHttpResponse counted(final Router.Route route, final long started, final FullHttpResponse response) {
        metrics.request(route.path(), response.status().code(), System.nanoTime() - started);
        return response;
    }

    private static FullHttpResponse run(final ChannelHandlerContext ctx, final HttpHandler handler,
                                        final ApiRequest request) {
        final ByteBuf body = ctx.alloc().buffer(512);
        try {
            final HttpHandler.Response answer = handler.handle(request, new JsonWriter(body));
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), body);
            if (answer.contentType() != null) {
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
            }
            if (answer.contentEncoding() != null) {
                response.headers().set(HttpHeaderNames.CONTENT_ENCODING, answer.contentEncoding());
            }
            return response;
        } catch (final ApiException e) {
            body.release();
            return error(ctx, e);
        } catch (final RegexBudgetExceededException e) {
            // A regex matcher that would backtrack too long: the query is valid but cannot run here.
            body.release();
            return error(ctx, new ApiException(422, "execution", e.getMessage()));
        } catch (final RuntimeException | Error e) {
            body.release();
            LOG.log(System.Logger.Level.ERROR, "event=request_failed path=" + request.path() + " tenant="
                + request.tenant(), e);
            return error(ctx, new ApiException(500, "internal", String.valueOf(e.getMessage())));
        }
    }

    private static FullHttpResponse error(final ChannelHandlerContext ctx, final ApiException e) {
        final ByteBuf body = ctx.alloc().buffer(128);
        ErrorBody.write(new JsonWriter(body), e.errorType(), e.getMessage());
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(e.status()), body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return response;
    }

    private static void send(final ChannelHandlerContext ctx, final FullHttpResponse response, final boolean keepAlive) {
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The query string's parameters, then a form body's (Prometheus reads both through Go's ParseForm). */
    private static Map<String, List<String>> parameters(final QueryStringDecoder uri, final FullHttpRequest request) {
        final Map<String, List<String>> all = new LinkedHashMap<>();
        uri.parameters().forEach((name, values) -> all.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        final String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")
            && request.content().isReadable()) {
            final String form = request.content().toString(StandardCharsets.UTF_8);
            final QueryStringDecoder body = new QueryStringDecoder(form, StandardCharsets.UTF_8, false, MAX_PARAMETERS);
            body.parameters().forEach((name, values) -> all.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        }
        return all;
    }

    private static String tenant(final FullHttpRequest request) {
        final List<String> values = request.headers().getAll(TENANT_HEADER);
        if (values.isEmpty()) {
            return "default";
        }
        final String value = values.get(0);
        if (values.size() > 1 || !TENANT.matcher(value).matches()) {
            throw ApiException.badData("invalid " + TENANT_HEADER + " header '" + SettingsParser.shorten(value)
                + "': one tenant id of 1 to 64 letters, digits, '_', '-' or '.', not starting with '.'");
        }
        return value;
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "event=connection_error remote=" + ctx.channel().remoteAddress()
            + " error=" + cause);
        ctx.close();
    }

    /** A path that exists for other methods. */
    private static final class MethodNotAllowed extends Exception {
        private static final long serialVersionUID = 1L;
        private final String allow;

        MethodNotAllowed(final String allow, final String method) {
            super("method " + method + " not allowed; allowed: " + allow, null, false, false);
            this.allow = allow;
        }
    }
}
