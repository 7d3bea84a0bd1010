package io.tidemark.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.client.protocol.MessageType;
import io.tidemark.client.protocol.RegisterFrame;
import io.tidemark.client.protocol.RegisteredFrame;
import io.tidemark.client.protocol.WriteAckFrame;
import io.tidemark.client.protocol.WriteFrame;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.server.SettingsParser;
import io.tidemark.server.TidemarkServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's side of a WRITE of known handles allocates nothing per sample or per frame once warm: measured on
 * every thread it touches (event loops, the acknowledger, the shard threads) with the JVM's per-thread allocation
 * counters, across a million samples.
 */
class TcpWriteAllocationTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int SERIES = 500;

    @TempDir
    Path dir;

    @Test
    void shouldNotAllocateOnTheServerPerSampleOrPerWrite() throws Exception {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Tidemark db = Tidemark.open(TidemarkConfig.defaults(dir.resolve("data")).withSealCheck(0));
             TidemarkServer server = TidemarkServer.serve(SettingsParser.parse(new String[] {"--http-host", "127.0.0.1",
                 "--http-port", "0", "--tcp-port", "0", "--data-dir", dir.resolve("data").toString()}, Map.of()), db);
             RawConnection c = RawConnection.open(server.tcpPort(), "alloc")) {
            final List<RegisterFrame.Entry> entries = new ArrayList<>();
            for (int i = 0; i < SERIES; i++) {
                entries.add(new RegisterFrame.Entry(i, new String[] {"__name__", "alloc", "i", Integer.toString(i)}));
            }
            new RegisterFrame(1, entries).encode(c.out);
            c.send();
            assertThat(RegisteredFrame.decode(c.next()).registered()).isEqualTo(SERIES);
            final int[] handles = new int[SERIES];
            final long[] timestamps = new long[SERIES];
            final double[] values = new double[SERIES];
            for (int i = 0; i < SERIES; i++) {
                handles[i] = i;
            }
            final WriteAckFrame ack = new WriteAckFrame();
            long round = 0;
            for (; round < 2_000; round++) { // warm-up: buffers, pools, JIT
                writeRound(c, handles, timestamps, values, round, ack);
            }
            final long[] ids = serverThreads();
            final long[] start = threads.getThreadAllocatedBytes(ids);
            final long before = sum(start);
            final long rounds = 2_000;
            for (long end = round + rounds; round < end; round++) {
                writeRound(c, handles, timestamps, values, round, ack);
            }
            final long[] perThread = threads.getThreadAllocatedBytes(ids);
            final long allocated = sum(perThread) - before;
            for (int i = 0; i < ids.length; i++) {
                System.out.println("  " + threads.getThreadInfo(ids[i]).getThreadName() + ": " + (perThread[i] - start[i]) + " bytes");
            }
            final double perWrite = (double) allocated / rounds;
            System.out.printf("tcp write path: %d bytes allocated on %d server threads over %d writes of %d samples (%.2f B/write)%n",
                allocated, ids.length, rounds, SERIES, perWrite);
            assertThat(perWrite).as("bytes allocated per WRITE of %d samples", SERIES).isLessThan(64);
        }
    }

    private static void writeRound(final RawConnection c, final int[] handles, final long[] timestamps, final double[] values,
                                   final long round, final WriteAckFrame ack) throws Exception {
        for (int i = 0; i < handles.length; i++) {
            timestamps[i] = T0 + round * 1_000;
            values[i] = round + i;
        }
        WriteFrame.encode(c.out, round + 10, WriteFrame.APPLIED, handles, timestamps, values, handles.length);
        c.send();
        final var frame = c.next();
        assertThat(frame.type()).isEqualTo(MessageType.WRITE_ACK);
        assertThat(ack.decode(frame).stored()).isEqualTo(handles.length);
    }

    private static long[] serverThreads() {
        final List<Long> ids = new ArrayList<>();
        for (final Thread t : Thread.getAllStackTraces().keySet()) {
            final String name = t.getName();
            if (name.startsWith("tidemark-shard-") || name.equals("tidemark-tcp-ack") || name.contains("EventLoopGroup")) {
                ids.add(t.threadId());
            }
        }
        assertThat(ids.size()).as("server threads found").isGreaterThanOrEqualTo(3);
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private static long sum(final long[] values) {
        long total = 0;
        for (final long value : values) {
            total += Math.max(0, value);
        }
        return total;
    }
}
