/**
 * {@code ./tidemark bench storage}: bytes on disk per sample after sealing and after
 * compaction, seal and ingest rates, WAL size around the checkpoint, and the same data stored by a real
 * VictoriaMetrics 1.79 started on 127.0.0.1 for comparison. Generated series live on the heap; the
 * database owns its off-heap memory and is closed, and the run directory deleted, after each dataset.
 */
package io.tidemark.bench.storage;
