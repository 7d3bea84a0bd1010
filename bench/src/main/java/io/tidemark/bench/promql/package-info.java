/**
 * {@code ./tidemark bench promql}: dashboard range queries over node-like series in an embedded Tidemark, timed per
 * query (p50/p99), with the samples read from storage and the bytes allocated per query. Everything is on-heap
 * except the database, which owns its off-heap memory and is closed (and its directory deleted) after the run.
 */
package io.tidemark.bench.promql;
