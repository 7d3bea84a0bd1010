/**
 * Prometheus remote read 1.0 without the HTTP layer: {@link io.tidemark.server.remote.read.RemoteReadRequestDecoder}
 * reads a snappy-compressed {@code prometheus.ReadRequest}, {@link io.tidemark.server.remote.read.RemoteReadHandler}
 * answers it from a {@link io.tidemark.engine.query.Queryable} as SAMPLES or STREAMED_XOR_CHUNKS into a
 * {@link io.tidemark.server.remote.read.ResponseBuffer}, and every failure is a
 * {@link io.tidemark.server.remote.read.RemoteReadException} carrying its HTTP status.
 *
 * <p>All memory is on the heap and owned by the handler (one per thread): its arrays are reused from request to
 * request; the response bytes stay valid until the handler's next call.
 */
package io.tidemark.server.remote.read;
