package io.tidemark.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.ErrorFrame;
import io.tidemark.client.protocol.FrameReader;
import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.RegisterFrame;
import io.tidemark.client.protocol.RegisteredFrame;
import io.tidemark.client.protocol.WriteAckFrame;
import io.tidemark.client.protocol.WriteFrame;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.promql.eval.EngineOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WRITE the ingest ring cannot take (a two-slot ring that refuses at once, behind a shard that sleeps when idle)
 * is answered in its turn with ERROR {@code OVERLOADED} and its request id, gives its credits back, and leaves the
 * connection serving: the same samples sent again are acknowledged, those the first try stored refused as out of
 * order, and every sample is stored once.
 */
class TcpOverloadTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldAnswerAWriteTheRingCannotTakeWithOverloadedAndGoOn() throws Exception {
        final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (Tidemark db = Tidemark.open(TidemarkConfig.defaults(dir).withSealCheck(0)
            .withIngest(new IngestConfig(1, 2, 1, IngestConfig.BackPressure.REFUSE, 0, IngestConfig.Idle.SLEEP)))) {
            final TcpServer server = new TcpServer(db, TcpLimits.DEFAULT.withCredits(1_000), Runnable::run,
                EngineOptions.DEFAULT, ApiKeys.OPEN, "test");
            try {
                final int port = server.start(loops, loops, "127.0.0.1", 0);
                try (RawConnection c = RawConnection.open(port, "overload")) {
                    new RegisterFrame(1, List.of(new RegisterFrame.Entry(0, new String[] {"__name__", "m"}))).encode(c.out);
                    final int n = 1_000; // 1,000 one-sample batches into a two-slot ring that never waits
                    final int[] handles = new int[n];
                    final long[] timestamps = new long[n];
                    final double[] values = new double[n];
                    for (int i = 0; i < n; i++) {
                        timestamps[i] = T0 + i;
                        values[i] = i;
                    }
                    WriteFrame.encode(c.out, 2, WriteFrame.APPLIED, handles, timestamps, values, n);
                    c.send();
                    assertThat(RegisteredFrame.decode(c.next()).registered()).isEqualTo(1);
                    final FrameReader answer = c.next();
                    assertThat(MessageType.name(answer.type())).isEqualTo("ERROR");
                    final ErrorFrame error = ErrorFrame.decode(answer);
                    assertThat(error.requestId()).isEqualTo(2);
                    assertThat(error.code()).isEqualTo(ErrorCode.OVERLOADED);
                    assertThat(ErrorCode.retryable(error.code())).isTrue();
                    // the credits came back: all 1,000 again, one at a time, each acknowledged
                    final WriteAckFrame ack = new WriteAckFrame();
                    long stored = 0;
                    long refused = 0;
                    int overloadedAgain = 0;
                    int request = 10;
                    for (int i = 0; i < n; i++) {
                        WriteFrame.encode(c.out, request++, WriteFrame.APPLIED, new int[] {0}, new long[] {timestamps[i]},
                            new double[] {values[i]}, 1);
                        c.send();
                        final FrameReader next = c.next();
                        if (MessageType.name(next.type()).equals("ERROR")) {
                            // the batches the first write did publish may still fill the ring (the shard sleeps
                            // 100 us between polls, longer on a loaded machine): retryable, so retry as a client would
                            assertThat(ErrorFrame.decode(next).code()).isEqualTo(ErrorCode.OVERLOADED);
                            assertThat(++overloadedAgain).as("overloaded answers while the ring drains").isLessThan(1_000);
                            Thread.sleep(1);
                            i--;
                            continue;
                        }
                        assertThat(MessageType.name(next.type())).isEqualTo("WRITE_ACK");
                        ack.decode(next);
                        stored += ack.stored();
                        refused += ack.refused();
                        for (int d = 0; d < ack.details(); d++) {
                            // a sample the first try stored, older than the series' newest: refused, not lost
                            assertThat(ack.reason(d)).isEqualTo(ErrorCode.REFUSED_OUT_OF_ORDER);
                        }
                    }
                    assertThat(stored + refused).isEqualTo(n);
                    final SeriesSet set = db.queryable("overload")
                        .select(List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "m")), T0, T0 + n);
                    assertThat(set.next()).isTrue();
                    final SampleBuffer samples = new SampleBuffer(n);
                    assertThat(set.samples(samples)).as("every sample stored once, whichever try stored it").isEqualTo(n);
                    for (int i = 0; i < n; i++) {
                        assertThat(samples.timestamps()[i]).isEqualTo(timestamps[i]);
                        assertThat(samples.values()[i]).isEqualTo(values[i]);
                    }
                }
            } finally {
                server.close(1_000);
            }
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
