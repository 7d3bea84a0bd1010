package io.tidemark.server.imports;

/**
 * What an import did.
 *
 * @param lines              lines read (blank and comment lines included)
 * @param linesRejected      lines that could not be parsed or held no valid series; their samples are not stored
 * @param samples            samples handed to the database
 * @param firstError         {@code "line N: reason"} of the first rejected line, or null
 * @param refusedOutOfOrder  samples the heads refused as out of order while the import ran (any writer's)
 * @param refusedDuplicate   samples refused for a timestamp the series has with another value (any writer's)
 * @param refusedOutOfBounds samples refused as older than what is sealed (any writer's)
 */
public record ImportResult(long lines, long linesRejected, long samples, String firstError, long refusedOutOfOrder,
                           long refusedDuplicate, long refusedOutOfBounds) {
    /** Samples refused by the heads, all reasons. */
    public long refused() {
        return refusedOutOfOrder + refusedDuplicate + refusedOutOfBounds;
    }

    /** Whether every line was taken and no sample refused: the HTTP answer is then 204. */
    public boolean clean() {
        return linesRejected == 0 && refused() == 0;
    }

    /** One sentence for an error body: the rejected lines and the refused samples. */
    public String describe() {
        final StringBuilder text = new StringBuilder();
        if (linesRejected > 0) {
            text.append(linesRejected).append(" of ").append(lines).append(" lines rejected, the first: ").append(firstError);
        }
        if (refused() > 0) {
            if (!text.isEmpty()) {
                text.append("; ");
            }
            text.append(refused()).append(" samples refused (out of order ").append(refusedOutOfOrder).append(", duplicate timestamp ")
                .append(refusedDuplicate).append(", older than the sealed data ").append(refusedOutOfBounds).append(')');
        }
        return text.toString();
    }
}
