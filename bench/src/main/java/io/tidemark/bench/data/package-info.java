/**
 * Benchmark datasets for time-series codecs: a node_exporter-like scrape of many targets
 * ({@link io.tidemark.bench.data.Datasets#node}) and the TSBS cpu-only use case
 * ({@link io.tidemark.bench.data.Datasets#tsbs}), generated deterministically from a seed, one
 * series at a time, plus a Prometheus text exposition writer for them.
 *
 * <p>Everything here lives on the heap and belongs to the caller: each
 * {@link io.tidemark.bench.data.SeriesData} owns fresh arrays, and no dataset keeps generated
 * series, so a dataset of any size costs only the series being looked at.
 */
package io.tidemark.bench.data;
