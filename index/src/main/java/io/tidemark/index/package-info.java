/**
 * The series index of one tenant. {@link io.tidemark.index.SeriesIndex} is the entry point: label
 * names and values interned once off-heap ({@link io.tidemark.index.symbols}), label sets mapped to
 * stable series ids and back ({@link io.tidemark.index.series}), a postings list per label pair
 * ({@link io.tidemark.index.postings}), selection by label matchers with Prometheus' semantics
 * ({@link io.tidemark.index.matchers}), label name and value enumeration, cardinality counts, and
 * removal of series.
 *
 * <p>Concurrency, argued. Writers (series creation and removal) serialise on one lock per index.
 * A lock rather than CAS because creation is rare next to lookup (a series is created once and
 * then found millions of times), because it touches several structures that must change together
 * (record, hash index, one postings list per label, the list of all series), and because one writer
 * at a time is what lets every postings list be appended without atomics. Readers never lock: the
 * lookup on the write path is a hash probe and a byte comparison (or, when the caller guesses the
 * id, a check against the visible-id watermark and a byte comparison); queries read a visible-id
 * watermark that the writer releases only after a series is complete, so no reader sees an id
 * without its labels or postings. Memory a removal replaces is freed through reader epochs, never
 * under a reader.
 *
 * <p>Memory: symbols, series records and postings live in off-heap memory taken from the tenant's
 * {@link io.tidemark.memory.NativeAllocator} under {@link io.tidemark.memory.MemoryTag#INDEX}; per-id
 * arrays and hash indexes are on the heap.
 */
package io.tidemark.index;
