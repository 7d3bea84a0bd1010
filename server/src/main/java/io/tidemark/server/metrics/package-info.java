/**
 * Tidemark's own metrics for Prometheus to scrape at {@code /metrics}, in the Prometheus text
 * exposition format (version 0.0.4): the database's counters ({@link io.tidemark.engine.db.TidemarkStats}),
 * WAL fsync latency, and the server's request counters and latency histograms. Names and meanings:
 * {@code docs/metrics.md}.
 */
package io.tidemark.server.metrics;
