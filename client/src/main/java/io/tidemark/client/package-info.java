/**
 * The Java client of Tidemark's binary TCP protocol (docs/protocol.md). A {@link io.tidemark.client.TidemarkClient}
 * owns one connection (a socket, a reader thread, a heartbeat and reconnection thread) and the off-heap frame buffers
 * of it; a {@link io.tidemark.client.SeriesWriter} owns its thread's sample columns (on the heap, reused between
 * flushes); {@link io.tidemark.client.TidemarkClientPool} spreads calls over several clients.
 *
 * <pre>{@code
 * ClientConfig config = ClientConfig.builder().host("tsdb.internal").tenant("team-a").token(apiKey).build();
 * try (TidemarkClient client = TidemarkClient.connect(config)) {
 *     SeriesWriter writer = client.writer();                   // one per thread
 *     Series cpu = writer.series("__name__", "cpu_seconds", "host", "a");  // keep it
 *     for (long t = start; t < end; t += 1000) {
 *         writer.add(cpu, t, read());                          // no allocation
 *     }
 *     WriteResult result = writer.flushAndWait(Durability.DURABLE, Duration.ofSeconds(5));
 *     for (WriteResult.Refusal r : result.refusals()) {
 *         log.warn("{} refused {} samples from {}: {}", r.series(), r.samples(), r.firstTimestamp(), r.reason());
 *     }
 *     QueryResult rate = client.query("rate(cpu_seconds[5m])", System.currentTimeMillis());
 *     List<SeriesSamples> raw = client.select(start, end, Matcher.equal("__name__", "cpu_seconds"));
 * } catch (TidemarkException e) {
 *     if (e.retryable()) { ... }                               // OVERLOADED, CONNECTION_LOST, TIMEOUT, ...
 * }
 * }</pre>
 */
package io.tidemark.client;
