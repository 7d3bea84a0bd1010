/**
 * Series: a label set mapped to a stable, dense int id and back
 * ({@link io.tidemark.index.series.SeriesRegistry}). Label sets travel in one canonical byte form
 * ({@link io.tidemark.index.series.LabelSetLayout}) so that finding an existing series hashes and
 * compares bytes and allocates nothing.
 */
package io.tidemark.index.series;
