/**
 * Import and export for backfill and migration: JSON lines as VictoriaMetrics writes them
 * ({@code /api/v1/import}, {@code /api/v1/export}) and the Prometheus text exposition format with
 * optional millisecond timestamps ({@code /api/v1/import/prometheus}). Parsers work on the request
 * body's bytes line by line; a bad line is skipped with its line number and reason, and every good
 * line of the same body is stored. Formats and limits: {@code docs/import-export.md}.
 */
package io.tidemark.server.imports;
