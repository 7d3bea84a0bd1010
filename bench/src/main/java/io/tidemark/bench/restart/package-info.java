/**
 * {@code ./tidemark bench restart}: how long a database with a full head takes to reopen (WAL replay,
 * index restore), and what it holds in native memory afterwards. Label sets are encoded off-heap once
 * (owned by the bench, freed at the end); the database owns the rest and its directory is deleted.
 */
package io.tidemark.bench.restart;
