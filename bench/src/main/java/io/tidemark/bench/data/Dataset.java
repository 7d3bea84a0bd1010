package io.tidemark.bench.data;

/**
 * A deterministic collection of generated series, addressed by index.
 *
 * <p>Series are generated on demand and independently of one another: {@link #series(int)} for a
 * given seed, parameters and index always returns bit-identical data, whichever other series were
 * generated before and on whichever thread. Implementations keep no generated series, so a
 * dataset of any size costs only the series the caller holds. Implementations are thread-safe.
 */
public interface Dataset {
    /** The dataset kind, as accepted by {@link Datasets#byName}: {@code "node"} or {@code "tsbs"}. */
    String name();

    /** Number of series; valid indexes are {@code 0 <= index < seriesCount()}. */
    int seriesCount();

    /**
     * Generates series {@code index}; each call returns a fresh instance that the caller owns.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, seriesCount())}
     */
    SeriesData series(int index);
}
