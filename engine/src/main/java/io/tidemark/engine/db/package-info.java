/**
 * The embeddable database: {@link io.tidemark.engine.db.Tidemark} joins, per tenant, the series
 * index, the head and the WAL of every shard, fed by the ingest rings, and replays the WALs on open.
 * The {@code Sealer} thread seals head windows into blocks, then {@code BlockLifecycle} applies
 * retention and compacts them; blocks are shared with queries through reference counts
 * ({@code SharedBlock}, {@link io.tidemark.engine.db.BlockSnapshot}), so a replaced block's mapped
 * memory is released by whichever thread drops its last reference.
 */
package io.tidemark.engine.db;
