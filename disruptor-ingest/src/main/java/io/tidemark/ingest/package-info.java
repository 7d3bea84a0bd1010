/**
 * From producers to single-writer shard threads: one LMAX Disruptor ring per shard, batches of
 * samples per ring slot, routing of series to shards, back-pressure when a ring is full, and the
 * applied and durable watermarks that producers wait on without allocating.
 */
package io.tidemark.ingest;
