/**
 * Prometheus' own chunk format, for the wire: the XOR chunk that Prometheus' TSDB writes
 * ({@code tsdb/chunkenc/xor.go}) and remote read streams. Described in {@code docs/format/prometheus-xor.md}.
 *
 * <p>{@link io.tidemark.codecs.prometheus.PrometheusXorChunkEncoder} owns a heap array that it reuses from chunk
 * to chunk; {@link io.tidemark.codecs.prometheus.PrometheusXorChunkDecoder} reads an array the caller owns and
 * reports damage as {@link io.tidemark.codecs.prometheus.PrometheusChunkFormatException}.
 */
package io.tidemark.codecs.prometheus;
