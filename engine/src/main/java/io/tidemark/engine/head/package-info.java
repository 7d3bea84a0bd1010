/**
 * The in-memory head: per series an open Gorilla chunk appended by its shard thread, closed chunks
 * kept byte-exact until they are sealed into blocks, and cursors that read both while the shard
 * appends.
 */
package io.tidemark.engine.head;
