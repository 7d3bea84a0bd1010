/**
 * The query SPI: {@link io.tidemark.engine.query.Queryable} is one tenant's read view that query languages (PromQL)
 * use, with no knowledge of heads, blocks or shards. Sample data is copied into caller-owned, reusable primitive
 * arrays ({@link io.tidemark.engine.query.SampleBuffer}); nothing returned holds native memory.
 */
package io.tidemark.engine.query;
