package io.tidemark.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.NativeAllocator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A guard, not a measurement: warm appends (bulk and streaming), group commits with real
 * {@code write(2)} and {@code fdatasync}, and replay must not allocate per record or per sample.
 * Rounds continue, up to a bound, until one warm round allocates nothing (a JIT event may allocate
 * once; an allocation in the code allocates in every round).
 */
class WalZeroAllocationTest {
    private static final int SAMPLES = 1000;

    @TempDir
    Path directory;

    @ParameterizedTest
    @CsvSource({"FSYNC, FIXED_16, true", "FSYNC, DELTA_VARINT, true", "FSYNC, DELTA_VARINT, false",
        "OS_WRITE_LOST_ON_POWER_FAILURE, DELTA_VARINT, false"})
    void shouldNotAllocateWhenAppendingAndCommitting(final Durability durability, final SamplesEncoding encoding,
                                                     final boolean backgroundSync) throws IOException {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        final int[] ids = new int[SAMPLES];
        final long[] times = new long[SAMPLES];
        final double[] values = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            ids[i] = i;
            times[i] = 1_700_000_000_000L + i / 100;
            values[i] = i * 0.5;
        }
        final byte[] labels = new byte[64];
        final WalConfig config = WalConfig.defaults().withDurability(durability).withSamplesEncoding(encoding)
            .withGroupCommit(16, 500).withBackgroundSync(backgroundSync);
        long leastWarm = Long.MAX_VALUE;
        final WalRecovery recovery = WalRecovery.recover(directory, 0, new RecordingVisitor(), allocator);
        try (WalWriter writer = WalWriter.open(recovery, config, allocator)) {
            for (int round = 0; round < 30 && leastWarm != 0; round++) {
                final long before = threads.getThreadAllocatedBytes(thread);
                for (int batch = 0; batch < 64; batch++) {
                    writer.appendSeries(batch, labels);
                    writer.appendSamples(ids, times, values, 0, SAMPLES);
                    writer.beginSamples();
                    for (int i = 0; i < 100; i++) {
                        writer.addSample(ids[i], times[i] + 15_000, values[i]);
                    }
                    writer.endSamples();
                    writer.mark(round * 64L + batch);
                    writer.maybeCommit(System.nanoTime());
                }
                final long allocated = threads.getThreadAllocatedBytes(thread) - before;
                System.out.println("WalZeroAllocationTest append " + durability + " " + encoding + " backgroundSync="
                    + backgroundSync + " round=" + round
                    + " allocatedBytes=" + allocated);
                if (round >= 2) {
                    leastWarm = Math.min(leastWarm, allocated);
                }
            }
            assertThat(writer.commits()).isPositive();
            assertThat(writer.segmentsCreated()).as("no segment roll inside the measured rounds").isEqualTo(1);
        }
        assertThat(leastWarm).as("bytes allocated by the least allocating round of 64 x 3 appends").isZero();
        allocator.assertNoLeaks();
    }

    @ParameterizedTest
    @CsvSource({"FIXED_16", "DELTA_VARINT"})
    void shouldAllocatePerSegmentNotPerRecordWhenReplaying(final SamplesEncoding encoding) throws IOException {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        final WalConfig config = WalConfig.defaults().withSamplesEncoding(encoding).withFiles(WalTestFiles.NO_SYNC);
        final long small = leastReplayAllocation(directory.resolve("small"), config, allocator, 1000);
        final long large = leastReplayAllocation(directory.resolve("large"), config, allocator, 8000);
        assertThat(large - small).as("extra bytes allocated replaying 7000 more records (%d in all for 1000)", small)
            .isLessThanOrEqualTo(256);
        allocator.assertNoLeaks();
    }

    private static long leastReplayAllocation(final Path walDirectory, final WalConfig config, final NativeAllocator allocator,
                                              final int batches) throws IOException {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        try (WalWriter writer = WalWriter.open(WalRecovery.recover(walDirectory, 0, new RecordingVisitor(), allocator),
            config, allocator)) {
            for (int batch = 0; batch < batches; batch++) {
                writer.appendSeries(batch, new byte[40]);
                writer.beginSamples();
                for (int i = 0; i < 20; i++) {
                    writer.addSample(batch + i, 1_700_000_000_000L + batch, i);
                }
                writer.endSamples();
            }
        }
        final CountingVisitor counter = new CountingVisitor();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 12; round++) {
            final long before = threads.getThreadAllocatedBytes(thread);
            final WalRecovery replay = WalRecovery.recover(walDirectory, 0, counter, allocator, WalTestFiles.NO_SYNC);
            final long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertThat(replay.recordsReplayed()).isEqualTo(2L * batches);
            if (round >= 2) {
                least = Math.min(least, allocated);
            }
        }
        System.out.println("WalZeroAllocationTest replay records=" + 2 * batches + " leastAllocatedBytes=" + least);
        return least;
    }

    /** Reads every field of every record without allocating. */
    private static final class CountingVisitor implements WalVisitor {
        long checksum;

        @Override
        public void series(final SeriesRecordView series) {
            checksum += series.seriesId() + series.labelsLength();
        }

        @Override
        public void samples(final SamplesRecordView samples) {
            while (samples.next()) {
                checksum += samples.seriesId() + samples.timestamp() + samples.valueBits();
            }
        }
    }
}
