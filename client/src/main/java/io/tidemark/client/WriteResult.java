package io.tidemark.client;

import java.util.List;

/**
 * What the server did with the samples of one or more WRITEs: how many it stored and refused, and which series were
 * refused for what. Refused samples are never silently dropped: {@link #refused()} counts them all, and
 * {@link #refusals()} says which series and why, unless {@link #detailsTruncated()} (the server sends at most 256
 * details per WRITE; the counts stay exact).
 *
 * @param requestIds       the WRITE requests covered, in the order they were sent
 * @param stored           samples stored (an identical duplicate counts as stored)
 * @param refused          samples refused
 * @param refusals         the refused series, reason by reason
 * @param detailsTruncated true when more series were refused than the details listed
 * @param failures         WRITEs answered by an ERROR or lost with the connection; only {@link SeriesWriter#awaitAcks}
 *                         reports them here, the other waits throw them
 */
public record WriteResult(long[] requestIds, long stored, long refused, List<Refusal> refusals,
                          boolean detailsTruncated, List<TidemarkException> failures) {
    /**
     * Refused samples of one series for one reason.
     *
     * @param series         the series (null if the handle is not one of this client's, which a correct server never
     *                       sends)
     * @param handle         the series' handle on the connection
     * @param reasonCode     the refusal reason ({@code ErrorCode.REFUSED_*})
     * @param reason         its name: {@code OUT_OF_ORDER}, {@code DUPLICATE_TIMESTAMP}, {@code OUT_OF_BOUNDS} or
     *                       {@code UNKNOWN_HANDLE}
     * @param samples        samples refused
     * @param firstTimestamp timestamp of the first of them, milliseconds
     */
    public record Refusal(Series series, int handle, int reasonCode, String reason, long samples,
                          long firstTimestamp) {
    }

    /** True when every sample was stored. */
    public boolean allStored() {
        return refused == 0 && failures.isEmpty();
    }

    @Override
    public String toString() {
        return "WriteResult[writes=" + requestIds.length + " stored=" + stored + " refused=" + refused + " refusals="
            + refusals + (detailsTruncated ? " (truncated)" : "") + " failures=" + failures.size() + "]";
    }
}
