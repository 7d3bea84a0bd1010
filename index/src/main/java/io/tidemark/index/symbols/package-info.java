/**
 * Label names and values interned once: {@link io.tidemark.index.symbols.SymbolTable} maps UTF-8
 * strings to dense int symbol ids and back. The bytes live off-heap and never move; the hash index is
 * a plain {@code int[]} on the heap so a resize can leave the old table to the garbage collector
 * while lock-free readers finish with it.
 */
package io.tidemark.index.symbols;
