/**
 * What the symbol table and the series registry share, besides the off-heap blocks that only grow
 * ({@link io.tidemark.memory.AppendOnlyBlocks}): a table of dense ids with a hash index published
 * for lock-free readers ({@link io.tidemark.index.storage.IdTable}). One writer at a time (the
 * owner's lock); any number of readers.
 */
package io.tidemark.index.storage;
