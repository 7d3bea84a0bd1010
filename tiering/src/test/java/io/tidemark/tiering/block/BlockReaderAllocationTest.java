package io.tidemark.tiering.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.codecs.chunk.ChunkDecoder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guard for the read path's claim: once warm, reading series metas and decoding chunks of a page
 * that is already decompressed allocates nothing on the heap. Rounds continue, up to a bound, until
 * one warm round allocates nothing (JIT events can allocate once; see codecs' ZeroAllocationTest).
 */
class BlockReaderAllocationTest {
    @TempDir
    Path dir;

    @Test
    void shouldNotAllocateWhenReadingSeriesAndDecodingChunksOfTheCurrentPage() throws IOException {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (SeriesFixture fixture = new SeriesFixture()) {
            for (int s = 0; s < 40; s++) {
                final long[] timestamps = new long[60];
                final double[] values = new double[60];
                for (int i = 0; i < 60; i++) {
                    timestamps[i] = 1_700_000_000_000L + i * 15_000L;
                    values[i] = s * 10 + i;
                }
                fixture.add(new String[] {"__name__", "up", "instance", "host-" + s, "job", "node"},
                    List.of(new SeriesFixture.Chunk(timestamps, values)));
            }
            final Path block = fixture.write(dir, BlockWriterOptions.defaults());
            try (BlockReader reader = BlockReader.open(fixture.allocator, block)) {
                assertThat(reader.pageCount()).isEqualTo(1);
                final BlockSeries series = new BlockSeries();
                final ChunkDecoder decoder = new ChunkDecoder();
                final long[] timestamps = new long[60];
                final double[] values = new double[60];
                final long id = Thread.currentThread().threadId();
                long leastWarm = Long.MAX_VALUE;
                long checksum = 0;
                for (int round = 0; round < 30 && leastWarm != 0; round++) {
                    final long before = threads.getThreadAllocatedBytes(id);
                    for (int repeat = 0; repeat < 200; repeat++) {
                        for (int s = 0; s < reader.seriesCount(); s++) {
                            reader.series(s, series);
                            checksum += reader.decodeChunk(series.chunkRef(0), decoder, timestamps, values);
                            checksum += series.labelValue(1).length();
                        }
                    }
                    final long allocated = threads.getThreadAllocatedBytes(id) - before;
                    System.out.println("BlockReaderAllocationTest round=" + round + " allocatedBytes=" + allocated);
                    if (round >= 2) {
                        leastWarm = Math.min(leastWarm, allocated);
                    }
                }
                assertThat(checksum).isPositive();
                assertThat(leastWarm).as("bytes allocated by the least allocating warm round").isZero();
            }
        }
    }
}
