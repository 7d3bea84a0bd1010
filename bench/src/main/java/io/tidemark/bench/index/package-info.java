/**
 * The series index benchmark ({@code ./tidemark bench index}): node_exporter-like label sets
 * encoded once in the index's canonical byte form ({@link io.tidemark.bench.index.NodeLabelSets}),
 * and the runner that builds a {@link io.tidemark.index.SeriesIndex} from them and times creation,
 * lookup and selection ({@link io.tidemark.bench.index.IndexBench}).
 *
 * <p>Label bytes live off-heap under {@link io.tidemark.memory.MemoryTag#TEST}, so that the index's
 * own memory is what {@link io.tidemark.memory.MemoryTag#INDEX} and the heap show.
 */
package io.tidemark.bench.index;
