package io.tidemark.engine.wal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random SERIES records and sample batches, appended to a writer and remembered in the
 * flattened form of {@link RecordingVisitor#flattened()}. Values include every awkward bit pattern.
 */
final class RandomWorkload {
    static final long STALE_MARKER = 0x7ff0000000000002L;
    private static final long[] SPECIAL_BITS = {
        STALE_MARKER, Double.doubleToRawLongBits(Double.NaN), 0x7ff8000000000001L, 0xfff8000000000000L, 0x7ff0000000000001L,
        0xffffffffffffffffL, Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
        Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY), Double.doubleToRawLongBits(-0.0), 0L, 1L,
        Double.doubleToRawLongBits(Double.MAX_VALUE), Double.doubleToRawLongBits(Double.MIN_NORMAL)};

    final List<String> expected = new ArrayList<>();
    private final SplittableRandom random;
    private int series;
    private long time = 1_700_000_000_000L;

    RandomWorkload(final long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Appends {@code operations} random operations (new series or a batch of samples). */
    void append(final WalWriter writer, final int operations, final int maxBatch) throws IOException {
        for (int op = 0; op < operations; op++) {
            if (series == 0 || random.nextInt(4) == 0) {
                final byte[] labels = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(200)];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = (byte) random.nextInt(256);
                }
                writer.appendSeries(series, labels);
                expected.add("S " + series + " " + Arrays.toString(labels));
                series++;
                continue;
            }
            final int n = random.nextInt(maxBatch + 1);
            final int[] ids = new int[n];
            final long[] times = new long[n];
            final double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                ids[i] = random.nextInt(series);
                times[i] = nextTime();
                values[i] = Double.longBitsToDouble(nextBits());
                expected.add(ids[i] + "/" + times[i] + "/" + Long.toHexString(Double.doubleToRawLongBits(values[i])));
            }
            if (random.nextBoolean()) {
                writer.appendSamples(ids, times, values, 0, n);
            } else {
                writer.beginSamples();
                for (int i = 0; i < n; i++) {
                    if (random.nextBoolean()) {
                        writer.addSample(ids[i], times[i], values[i]);
                    } else {
                        writer.addSampleBits(ids[i], times[i], Double.doubleToRawLongBits(values[i]));
                    }
                }
                writer.endSamples();
            }
        }
    }

    private long nextTime() {
        return switch (random.nextInt(40)) {
            case 0 -> time += (1L << 31) + random.nextInt(1000);
            case 1 -> time - (1L << 32);
            case 2 -> Long.MIN_VALUE;
            case 3 -> Long.MAX_VALUE;
            case 4 -> random.nextLong();
            default -> time += random.nextInt(30_000) - 1000;
        };
    }

    private long nextBits() {
        return random.nextInt(4) == 0 ? SPECIAL_BITS[random.nextInt(SPECIAL_BITS.length)]
            : random.nextBoolean() ? Double.doubleToRawLongBits(random.nextInt(100_000)) : random.nextLong();
    }
}
