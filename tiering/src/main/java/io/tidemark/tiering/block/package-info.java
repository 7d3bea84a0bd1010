/**
 * Warm-tier blocks: the immutable on-disk block format ({@link io.tidemark.tiering.block.BlockLayout},
 * {@code docs/format/block.md}), the {@link io.tidemark.tiering.block.BlockWriter} that seals series and
 * their chunks into a block directory, the memory-mapped {@link io.tidemark.tiering.block.BlockReader}, and
 * the {@link io.tidemark.tiering.block.BlockDirectory} that holds blocks, the
 * {@link io.tidemark.tiering.block.BlockCompactor} that merges blocks into one, and the pure policies that choose
 * what to compact ({@link io.tidemark.tiering.block.CompactionPlanner}) and what to delete
 * ({@link io.tidemark.tiering.block.RetentionPolicy}). Writers own their page buffers
 * and readers their mappings and decompression buffer, all native and tagged
 * {@link io.tidemark.memory.MemoryTag#BLOCKS} or {@link io.tidemark.memory.MemoryTag#MAPPED_FILES}.
 */
package io.tidemark.tiering.block;
