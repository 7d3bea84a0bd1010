package io.tidemark.promql.ast;

/**
 * Where a node stands in the query text: {@code start} inclusive, {@code end} exclusive, both byte offsets into the
 * query's UTF-8 encoding, as Prometheus counts them. {@link #NONE} marks nodes that have no place in the text.
 */
public record PositionRange(int start, int end) {
    /** The range of a node without a position (both ends -1). */
    public static final PositionRange NONE = new PositionRange(-1, -1);

    /** The range from the start of {@code first} to the end of {@code last}. */
    public static PositionRange span(final PositionRange first, final PositionRange last) {
        return new PositionRange(first.start, last.end);
    }

    /**
     * {@code line:column} of {@code start} in {@code query}, both from 1, the column counted in bytes, exactly as
     * Prometheus prefixes its parse errors; "unknown position" for an empty query and "invalid position" when out of
     * range.
     */
    public String startLineColumn(final String query) {
        if (query.isEmpty()) {
            return "unknown position";
        }
        final byte[] utf8 = query.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (start < 0 || start > utf8.length) {
            return "invalid position";
        }
        int line = 1;
        int lastLineBreak = -1;
        for (int i = 0; i < start; i++) {
            if (utf8[i] == '\n') {
                lastLineBreak = i;
                line++;
            }
        }
        return line + ":" + (start - lastLineBreak);
    }
}
