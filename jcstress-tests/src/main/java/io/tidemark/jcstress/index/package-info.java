/**
 * jcstress scenarios for {@code io.tidemark.index}: a {@link io.tidemark.index.SeriesIndex} raced by
 * creators, lock-free readers and removers.
 *
 * <p>Ownership: states do not own an index. Each takes a lease on a small index that a
 * {@link io.tidemark.jcstress.index.SharedSeriesIndexes} shares among many states (each state with
 * labels of its own) and gives it back in its {@code @Arbiter}; an index is closed, and its native
 * memory freed, when the last state using it gives it back.
 */
package io.tidemark.jcstress.index;
