package io.tidemark.bench.data;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from a dataset seed and a position (a target, series or
 * family index), so that one series never depends on which others were generated.
 */
final class RandomStreams {
    private RandomStreams() {
    }

    /** A generator determined by {@code seed} and the two coordinates {@code first} and {@code second}. */
    static SplittableRandom of(final long seed, final long first, final long second) {
        return new SplittableRandom(mix(mix(mix(seed) ^ first) ^ second));
    }

    /** The SplitMix64 finaliser over a golden-ratio step: a bijection that scatters nearby inputs. */
    static long mix(final long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
