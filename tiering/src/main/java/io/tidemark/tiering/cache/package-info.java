/**
 * Caches for the warm tier: {@link io.tidemark.tiering.cache.DecodedChunkCache} keeps decoded chunks of
 * sealed blocks off-heap ({@link io.tidemark.memory.MemoryTag#CHUNK_CACHE}) within a byte budget, least
 * recently used out first.
 */
package io.tidemark.tiering.cache;
