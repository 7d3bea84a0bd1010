/**
 * jcstress scenarios for {@code io.tidemark.memory}: the lock-free {@link io.tidemark.memory.PagePool}.
 *
 * <p>Ownership: every scenario state holds its own pool, backed by its own
 * {@link io.tidemark.memory.NativeAllocator}. The state's {@code @Arbiter} gives the pool back to a
 * {@link io.tidemark.jcstress.memory.RecycledPagePools} (or closes it), so native memory stays bounded
 * by the number of states jcstress keeps alive at once, not by the millions it creates.
 */
package io.tidemark.jcstress.memory;
