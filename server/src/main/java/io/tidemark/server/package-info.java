/**
 * The standalone Tidemark server: command line and configuration ({@link io.tidemark.server.ServerSettings}), the
 * Netty HTTP server and its Prometheus v1 API handlers. Request and response bytes live in Netty's pooled direct
 * buffers, owned by the channel pipeline until a handler's response is written; handlers hold them only while they
 * run.
 */
package io.tidemark.server;
