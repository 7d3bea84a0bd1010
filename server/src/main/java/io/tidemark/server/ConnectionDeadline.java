package io.tidemark.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose client takes longer than the read timeout to send a whole request, counted from when the
 * connection opens or its last response was written: a slow or idle client cannot hold a connection. The clock stops
 * while requests are being answered, so a long query is not cut. Runs on the channel's event loop only.
 */
final class ConnectionDeadline extends ChannelDuplexHandler {
    private static final System.Logger LOG = System.getLogger(ConnectionDeadline.class.getName());

    private final long timeoutMillis;
    private ScheduledFuture<?> timer;
    /** Requests received whose response has not been written yet. */
    private int unanswered;

    ConnectionDeadline(final long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) throws Exception {
        if (msg instanceof LastHttpContent) {
            unanswered++;
            disarm();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            promise.addListener((ChannelFutureListener) future -> {
                if (unanswered > 0) {
                    unanswered--;
                }
                if (unanswered == 0 && future.channel().isActive()) {
                    arm(ctx);
                }
            });
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    private void arm(final ChannelHandlerContext ctx) {
        disarm();
        timer = ctx.executor().schedule(() -> {
            if (unanswered == 0 && ctx.channel().isActive()) {
                LOG.log(System.Logger.Level.DEBUG, "event=connection_read_timeout remote={0} timeout_ms={1}",
                    ctx.channel().remoteAddress(), timeoutMillis);
                ctx.close();
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
