package io.tidemark.engine.db;

/**
 * A new series refused because its tenant already has as many series as its limit allows
 * ({@link TidemarkConfig#maxSeriesPerTenant()}). The tenant's existing series still take samples, and room
 * comes back as series leave the head. Carries no stack trace: a tenant over its limit can meet it once per
 * new series it sends.
 */
public final class SeriesLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String tenant;
    private final int limit;

    /** The refusal of a new series of {@code tenant}, whose limit is {@code limit} series. */
    public SeriesLimitException(final String tenant, final int limit) {
        super(describe(tenant, limit), null, false, false);
        this.tenant = tenant;
        this.limit = limit;
    }

    /** The message of a refusal, for callers that count refusals without throwing. */
    public static String describe(final String tenant, final int limit) {
        return "tenant '" + tenant + "' has reached its limit of " + limit
            + " series: new series are refused until old ones leave the head";
    }

    /** The tenant whose limit refused the series. */
    public String tenant() {
        return tenant;
    }

    /** Its limit, in series. */
    public int limit() {
        return limit;
    }
}
