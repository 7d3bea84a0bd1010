/**
 * The embeddable database: {@link io.tidemark.engine.db.Tidemark} joins, per tenant, the series
 * index, the head and the WAL of every shard, fed by the ingest rings, and replays the WALs on open.
 */
package io.tidemark.engine.db;
