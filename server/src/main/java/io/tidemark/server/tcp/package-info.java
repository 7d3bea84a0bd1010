/**
 * The binary TCP protocol's server (docs/protocol.md): {@link io.tidemark.server.tcp.TcpServer} binds it on the HTTP
 * server's event loops; each connection is a {@link io.tidemark.server.tcp.TcpConnection} that reads frames in place
 * from Netty's pooled direct buffers; {@link io.tidemark.server.tcp.TcpWrites} turns REGISTER and WRITE into ring
 * batches and keeps the writes in flight until the shards have applied them (APPLIED) or the
 * {@link io.tidemark.server.tcp.Acknowledger} sees the durable watermarks pass them (DURABLE); {@link io.tidemark.server.tcp.TcpQueries} answers QUERY and SELECT on the query threads.
 */
package io.tidemark.server.tcp;
