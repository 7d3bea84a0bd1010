/**
 * Postings: for each label pair, the sorted ids of the series that carry it, and set operations
 * over them. A {@link io.tidemark.index.postings.PostingsList} is appended by one writer and read
 * by lock-free readers; {@link io.tidemark.index.postings.Intersection},
 * {@link io.tidemark.index.postings.Union} and {@link io.tidemark.index.postings.Difference}
 * combine {@link io.tidemark.index.postings.PostingsIterator}s without allocating per id.
 *
 * <p>Memory: ids are stored uncompressed (4 bytes each, so seek can gallop and binary-search in
 * place) in never-moved, doubling segments carved from a shared
 * {@link io.tidemark.index.postings.PostingsMemory}, which owns all pages and takes them from the
 * tenant's {@link io.tidemark.memory.NativeAllocator} under
 * {@link io.tidemark.memory.MemoryTag#INDEX}; a list owns its blocks until it is closed. Iterators
 * own nothing off-heap and are reset rather than reallocated on the query path.
 */
package io.tidemark.index.postings;
