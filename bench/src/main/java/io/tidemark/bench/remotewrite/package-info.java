/**
 * {@code ./tidemark bench remote-write}: a remote-write load generator over loopback against a Tidemark
 * server and VictoriaMetrics 1.79 in the same run.
 */
package io.tidemark.bench.remotewrite;
