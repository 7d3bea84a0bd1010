package io.tidemark.server.remote;

/**
 * Receives the {@code MetricMetadata} entries of remote-write requests. Called on the ingesting thread
 * after the request's samples were appended; the strings are made per entry (metadata is rare: a sender
 * sends it about once a minute per family), never for samples.
 */
@FunctionalInterface
public interface MetadataSink {
    /**
     * One metadata entry.
     *
     * @param tenant     the tenant the request was for
     * @param type       the {@code prometheus.MetricMetadata.MetricType} number: 0 unknown, 1 counter, 2 gauge,
     *                   3 histogram, 4 gauge histogram, 5 summary, 6 info, 7 stateset
     * @param familyName the metric family name
     * @param help       the help text, empty when absent
     * @param unit       the unit, empty when absent
     */
    void metadata(String tenant, int type, String familyName, String help, String unit);
}
