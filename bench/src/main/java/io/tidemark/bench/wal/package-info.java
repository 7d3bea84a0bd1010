/**
 * {@code ./tidemark bench wal}: append throughput of the write-ahead log in each durability mode,
 * fsync counts and latencies, bytes per sample, and replay throughput for one shard and for several
 * in parallel. Writes under a directory on a real disk, which it deletes afterwards.
 */
package io.tidemark.bench.wal;
