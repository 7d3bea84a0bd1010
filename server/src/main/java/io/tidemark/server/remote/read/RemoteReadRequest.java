package io.tidemark.server.remote.read;

import java.util.List;

/**
 * A decoded {@code prometheus.ReadRequest}.
 *
 * @param queries the queries, answered in order
 * @param acceptedResponseTypes the client's response types in order of preference, as wire numbers (unknown ones
 *     kept so negotiation can skip them); empty means SAMPLES
 */
public record RemoteReadRequest(List<RemoteReadQuery> queries, List<Integer> acceptedResponseTypes) {
}
