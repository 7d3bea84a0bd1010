/**
 * Prometheus remote write 1.0: {@link io.tidemark.server.remote.RemoteWriteIngest} decompresses a
 * snappy block, walks the {@code prometheus.WriteRequest} protobuf in place and appends its samples
 * through a {@link io.tidemark.engine.db.TenantAppender}, without the HTTP layer. Each instance owns
 * its off-heap buffers (decompressed request, canonical label bytes), taken from a
 * {@link io.tidemark.memory.NativeAllocator} under {@code MemoryTag.NETWORK} and released by
 * {@code close()}; the request bytes stay the caller's.
 */
package io.tidemark.server.remote;
