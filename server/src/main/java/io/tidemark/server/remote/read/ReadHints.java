package io.tidemark.server.remote.read;

import java.util.List;

/**
 * {@code prometheus.ReadHints}: what the querying PromQL engine will do with the data. Decoded and exposed; Tidemark
 * does not use them to change the answer (Prometheus only passes them on to its storage).
 *
 * @param stepMs query step
 * @param function the function applied to the selected series, empty when none
 * @param startMs start of the selection
 * @param endMs end of the selection
 * @param grouping labels of the aggregation
 * @param by whether {@code grouping} is {@code by} (else {@code without})
 * @param rangeMs range of the range selector
 */
public record ReadHints(long stepMs, String function, long startMs, long endMs, List<String> grouping, boolean by,
                        long rangeMs) {
}
