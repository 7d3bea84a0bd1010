package io.tidemark.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WritePathAllocationTest {
    private static final int SAMPLES = 100_000;

    @Test
    void shouldAddAndFlushSamplesWithoutAllocatingPerSample() throws Exception {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        try (FakeServer server = new FakeServer();
             TidemarkClient client = TidemarkClient.connect(server.config().build())) {
            final SeriesWriter writer = client.writer();
            final Series[] series = new Series[16];
            for (int i = 0; i < series.length; i++) {
                series[i] = writer.series("__name__", "m", "i", Integer.toString(i));
            }
            for (int round = 0; round < 5; round++) { // warm-up: the columns grow, the JIT compiles
                addSamples(writer, series, round);
                writer.flush(Durability.APPLIED);
                writer.awaitAcks(Duration.ofSeconds(5));
            }

            final long thread = Thread.currentThread().threadId();
            final long beforeProbe = threads.getThreadAllocatedBytes(thread);
            final byte[] probe = new byte[10_000];
            assertThat(threads.getThreadAllocatedBytes(thread) - beforeProbe + probe.length)
                .as("the counter sees an allocation").isGreaterThanOrEqualTo(2 * probe.length);
            final long beforeAdd = threads.getThreadAllocatedBytes(thread);
            addSamples(writer, series, 5);
            final long added = threads.getThreadAllocatedBytes(thread) - beforeAdd;
            assertThat(added).as("bytes allocated by %d add calls", SAMPLES).isLessThan(1024);

            final long beforeFlush = threads.getThreadAllocatedBytes(thread);
            writer.flush(Durability.APPLIED);
            final long flushed = threads.getThreadAllocatedBytes(thread) - beforeFlush;
            System.out.printf("client write path: %d bytes allocated by %d add calls, %d bytes to send them%n", added,
                SAMPLES, flushed);
            assertThat(flushed).as("bytes allocated sending %d samples", SAMPLES).isLessThan(16 * 1024);
            assertThat(writer.awaitAcks(Duration.ofSeconds(5)).stored()).isEqualTo(SAMPLES);
        }
    }

    private static void addSamples(final SeriesWriter writer, final Series[] series, final int round) {
        final long base = round * (long) SAMPLES;
        for (int i = 0; i < SAMPLES; i++) {
            writer.add(series[i & 15], base + i, i * 0.5);
        }
    }
}
