package io.tidemark.server.remote.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.tidemark.index.series.LabelSet;
import io.tidemark.server.remote.read.RemoteReadProtos.Matcher;
import io.tidemark.server.remote.read.RemoteReadProtos.Query;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteReadAllocationTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static InMemoryQueryable series(final int samples) {
        final InMemoryQueryable queryable = new InMemoryQueryable();
        for (int s = 0; s < 4; s++) {
            final long[] timestamps = new long[samples];
            final double[] values = new double[samples];
            for (int k = 0; k < samples; k++) {
                timestamps[k] = k * 15_000L + (k % 7);
                values[k] = Math.sin(k) * s;
            }
            queryable.add(LabelSet.of("__name__", "m", "s", Integer.toString(s)), timestamps, values);
        }
        return queryable;
    }

    private static long allocated(final RemoteReadHandler handler, final byte[] body, final InMemoryQueryable data,
                                  final ResponseBuffer out) {
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        handler.handle(body, 0, body.length, data, out);
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void shouldNotAllocatePerSampleOnceWarm() throws IOException {
        for (final int type : new int[] {0, 1}) {
            final byte[] body = RemoteReadProtos.snappy(RemoteReadProtos.request(
                List.of(new Query(0, Long.MAX_VALUE, List.of(new Matcher(0, "__name__", "m")))), type));
            final InMemoryQueryable small = series(1_000);
            final InMemoryQueryable large = series(20_000);
            final RemoteReadHandler handler = new RemoteReadHandler(RemoteReadLimits.DEFAULTS);
            final ResponseBuffer out = new ResponseBuffer(16);
            for (int i = 0; i < 20; i++) {
                allocated(handler, body, large, out);
                allocated(handler, body, small, out);
            }
            long smallBytes = Long.MAX_VALUE;
            long largeBytes = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                smallBytes = Math.min(smallBytes, allocated(handler, body, small, out));
                largeBytes = Math.min(largeBytes, allocated(handler, body, large, out));
            }
            // 76,000 more samples: even 1 byte per sample would show as 76 kB.
            assertThat(largeBytes - smallBytes).as("type=%d small=%d large=%d", type, smallBytes, largeBytes)
                .isLessThan(8_000);
        }
    }
}
