/** {@code ./tidemark bench ingest}: the embeddable database's write path end to end. */
package io.tidemark.bench.ingest;
