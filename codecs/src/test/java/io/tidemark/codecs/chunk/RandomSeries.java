package io.tidemark.codecs.chunk;

import java.util.SplittableRandom;

/** Random series of many shapes for round-trip tests: the point is coverage of bit patterns, not realism. */
final class RandomSeries {
    private RandomSeries() {
    }

    static void fill(final SplittableRandom random, final long[] timestamps, final double[] values, final int n) {
        final int timeShape = random.nextInt(5);
        final int valueShape = random.nextInt(10);
        long t = random.nextLong();
        final long step = random.nextLong(1, 100_000);
        double walk = random.nextDouble(-1e6, 1e6);
        long counter = random.nextLong(0, 1L << 40);
        for (int i = 0; i < n; i++) {
            t += switch (timeShape) {
                case 0 -> step;
                case 1 -> step + random.nextInt(-5, 6);
                case 2 -> random.nextInt(8) == 0 ? random.nextLong(1, 1L << 40) : step;
                case 3 -> random.nextLong();
                default -> random.nextLong(0, 3);
            };
            timestamps[i] = t;
            values[i] = switch (valueShape) {
                case 0 -> Double.longBitsToDouble(random.nextLong());
                case 1 -> (counter += random.nextLong(0, 1 << random.nextInt(1, 30)));
                case 2 -> (counter += random.nextInt(0, 3000)) / 100.0;
                case 3 -> Math.round(walk += random.nextGaussian()) / 10.0;
                case 4 -> 42.0;
                case 5 -> random.nextInt(20) == 0 ? Double.longBitsToDouble(0x7ff0000000000002L) : random.nextInt(100);
                case 6 -> random.nextDouble();
                case 7 -> (counter += random.nextInt(0, 5000)) * (1.0 / 1000.0);
                case 8 -> 4096.0 * random.nextInt(-100_000, 100_000);
                default -> random.nextBoolean() ? -0.0 : random.nextLong(-1000, 1000) / 1000.0;
            };
        }
    }
}
