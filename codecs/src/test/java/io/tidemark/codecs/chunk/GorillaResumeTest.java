package io.tidemark.codecs.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Appending one sample at a time with state saved and resumed gives the same bytes as one encoder run. */
class GorillaResumeTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    @Test
    void shouldEncodeTheSameWhenResumedForEverySample() {
        System.out.println("GorillaResumeTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        final int n = 120;
        final long[] timestamps = new long[n];
        final double[] values = new double[n];
        final ChunkDecoder decoder = new ChunkDecoder();
        try (Arena arena = Arena.ofConfined()) {
            for (int round = 0; round < 200; round++) {
                RandomSeries.fill(random, timestamps, values, n);
                final long bytes = GorillaEncoder.maxBytes(n);
                final MemorySegment straight = arena.allocate(bytes);
                final MemorySegment resumed = arena.allocate(bytes);
                final GorillaEncoder once = new GorillaEncoder().start(straight, 0, bytes);
                final GorillaEncoder each = new GorillaEncoder().start(resumed, 0, bytes);
                each.append(timestamps[0], values[0]);
                each.finish();
                int count = each.count();
                long bitLength = each.bitLength();
                long lastTimestamp = each.previousTimestamp();
                long lastDelta = each.previousDelta();
                long lastValue = each.previousValueBits();
                int window = each.valueWindow();
                once.append(timestamps[0], values[0]);
                for (int i = 1; i < n; i++) {
                    assertThat(once.append(timestamps[i], values[i])).isTrue();
                    final GorillaEncoder fresh = new GorillaEncoder()
                        .resume(resumed, 0, bytes, count, bitLength, lastTimestamp, lastDelta, lastValue, window);
                    assertThat(fresh.append(timestamps[i], values[i])).isTrue();
                    fresh.finish();
                    count = fresh.count();
                    bitLength = fresh.bitLength();
                    lastTimestamp = fresh.previousTimestamp();
                    lastDelta = fresh.previousDelta();
                    lastValue = fresh.previousValueBits();
                    window = fresh.valueWindow();
                    // What was written so far decodes, while later appends are still to come.
                    final int length = (int) (ChunkLayout.HEADER_BYTES + (bitLength + 7) / 8);
                    final long[] decodedTimestamps = new long[n];
                    final double[] decodedValues = new double[n];
                    assertThat(decoder.decode(resumed, 0, length, decodedTimestamps, decodedValues)).isEqualTo(i + 1);
                    assertThat(Double.doubleToRawLongBits(decodedValues[i])).isEqualTo(Double.doubleToRawLongBits(values[i]));
                    assertThat(decodedTimestamps[i]).isEqualTo(timestamps[i]);
                }
                final int length = once.finish();
                assertThat(MemorySegment.mismatch(straight, 0, length, resumed, 0, length)).isEqualTo(-1);
            }
        }
    }
}
