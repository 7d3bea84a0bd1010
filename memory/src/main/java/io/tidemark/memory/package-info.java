/**
 * Off-heap memory for Tidemark: a tagged native allocator over FFM {@link java.lang.foreign.Arena}s,
 * a pool of fixed-size pages, bit-level readers and writers over {@link java.lang.foreign.MemorySegment},
 * and memory-mapped files.
 *
 * <p>Ownership: every native byte is allocated through a {@link io.tidemark.memory.NativeAllocator}
 * under a {@link io.tidemark.memory.MemoryTag}; whoever holds the {@link io.tidemark.memory.Allocation}
 * (or the {@link io.tidemark.memory.PagePool} page id) owns the memory until it closes or releases it.
 */
package io.tidemark.memory;
