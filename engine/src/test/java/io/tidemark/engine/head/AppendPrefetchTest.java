package io.tidemark.engine.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.codecs.chunk.ChunkLayout;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AppendPrefetchTest {
    private static final long HOUR = 3_600_000;

    private final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
    private final HeadShard head = new HeadShard(allocator, 256, 120, 2 * HOUR, 1024);
    private final AppendPrefetch prefetch = new AppendPrefetch(head);

    @AfterEach
    void close() {
        head.close();
        allocator.assertNoLeaks();
    }

    @Test
    void shouldSkipSlotsWithoutARecordOrAnOpenChunk() {
        head.append(3, 1_000, Double.doubleToRawLongBits(1.5)); // the page of slots 0 to 1023 now exists
        final int[] slots = {4, 5, 1_000_000, 70_000_000};

        prefetch.touchStates(slots, 0, slots.length);
        prefetch.touchChunks(slots, 0, slots.length);

        // slots 4 and 5 read NO_CHUNK (-1) from their fresh records; the others have no page; no chunk is read
        assertThat(prefetch.sink()).isEqualTo(-2);
        assertThat(head.append(4, 3_000, Double.doubleToRawLongBits(7))).isEqualTo(HeadShard.APPENDED);
        assertThat(head.append(1_000_000, 3_000, Double.doubleToRawLongBits(7))).isEqualTo(HeadShard.APPENDED);
    }

    @Test
    void shouldReadTheRecordsAndTheWordsTheNextAppendsWrite() {
        final int series = 300;
        for (int round = 0; round < 50; round++) {
            for (int s = 0; s < series; s++) {
                assertThat(head.append(s, round * 15_000L + s, Double.doubleToRawLongBits(s % 3 == 0 ? round * s : s)))
                    .isEqualTo(HeadShard.APPENDED);
            }
        }
        final int[] slots = new int[series];
        long regions = 0;
        long bytes = 0;
        for (int s = 0; s < series; s++) {
            slots[s] = series - 1 - s;
            final MemorySegment page = head.states().page(s);
            final long at = SeriesStates.offset(s);
            final int region = page.get(ValueLayout.JAVA_INT, at + SeriesStates.OPEN_CHUNK);
            final long bitLength = Integer.toUnsignedLong(page.get(ValueLayout.JAVA_INT, at + SeriesStates.BIT_LENGTH));
            final MemorySegment chunk = head.regions().page(region);
            final long chunkAt = ChunkRegions.offset(region);
            regions += region;
            bytes += chunk.get(ValueLayout.JAVA_BYTE, chunkAt);
            // the word the bit stream goes on in, as the append's resume loads it
            bytes += chunk.get(ValueLayout.JAVA_BYTE, chunkAt + ChunkLayout.HEADER_BYTES + bitLength / 64 * 8);
        }

        prefetch.touchStates(slots, 0, series);
        assertThat(prefetch.sink()).isEqualTo(regions);
        prefetch.touchChunks(slots, 0, series);
        assertThat(prefetch.sink()).isEqualTo(regions + bytes);
        prefetch.touchChunks(slots, 10, 10);
        assertThat(prefetch.sink()).as("an empty range reads nothing").isEqualTo(regions + bytes);
    }
}
