package io.tidemark.server.remote;

import static io.tidemark.server.remote.RemoteWriteTestDatabase.TENANT;
import static io.tidemark.server.remote.RemoteWriteTestDatabase.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteWriteZeroAllocationTest {
    private static final int SERIES = 200;
    private static final int REQUESTS = 400;

    @TempDir
    Path data;

    /** Node-exporter-like series, one sample each at {@code time}, as a compressed body. */
    private static byte[] request(final long time) {
        final WriteRequests request = new WriteRequests();
        for (int s = 0; s < SERIES; s++) {
            request.add(new WriteRequests.Series().labels("__name__", "node_cpu_seconds_total", "cpu", Integer.toString(s % 8),
                "instance", "host-" + s / 8 + ":9100", "job", "node", "mode", "idle").sample(time, s + time / 1000.0));
        }
        return request.body();
    }

    @Test
    void shouldAllocateNothingPerRequestOfKnownSeriesOnceWarm() throws Exception {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        try (Arena arena = Arena.ofConfined();
             Tidemark db = RemoteWriteTestDatabase.open(data);
             RemoteWriteIngest ingest = new RemoteWriteIngest(db, RemoteWriteLimits.DEFAULT,
                 NativeAllocator.withLimit(NativeAllocator.UNLIMITED), null)) {
            final MemorySegment[] bodies = new MemorySegment[REQUESTS];
            for (int r = 0; r < REQUESTS; r++) {
                final byte[] body = request(RemoteWriteTestDatabase.START + r * 15_000L);
                bodies[r] = arena.allocate(body.length);
                MemorySegment.copy(body, 0, bodies[r], ValueLayout.JAVA_BYTE, 0, body.length);
            }
            long allocated = -1;
            int next = 0;
            for (int round = 0; round < 8 && allocated != 0; round++) {
                final long before = threads.getThreadAllocatedBytes(thread);
                for (int i = 0; i < REQUESTS / 8; i++) {
                    final MemorySegment body = bodies[next++];
                    final RemoteWriteResult result = ingest.ingest(TENANT, body, 0, body.byteSize());
                    if (result.samplesStored() != SERIES) {
                        throw new AssertionError(result.toString());
                    }
                }
                allocated = threads.getThreadAllocatedBytes(thread) - before;
                System.out.println("RemoteWriteZeroAllocationTest round=" + round + " allocatedBytes=" + allocated);
            }
            assertThat(allocated).isZero();
            assertThat(ingest.awaitDurable(TIMEOUT)).isTrue();
        }
    }
}
