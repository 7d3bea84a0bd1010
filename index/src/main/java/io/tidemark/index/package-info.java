/**
 * The series index of one tenant: label names and values interned once off-heap, label sets mapped
 * to stable series ids and back, postings (the sorted series ids of each label pair), label
 * matchers with Prometheus semantics, and cardinality counts.
 *
 * <p>Memory: symbols, series and postings live in off-heap memory taken from the tenant's
 * {@link io.tidemark.memory.NativeAllocator} under {@link io.tidemark.memory.MemoryTag#INDEX};
 * readers never lock.
 */
package io.tidemark.index;
