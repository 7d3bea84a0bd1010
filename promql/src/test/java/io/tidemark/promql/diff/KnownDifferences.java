package io.tidemark.promql.diff;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The differences from Prometheus 2.42 that are understood, from {@code promql-diff/known-differences.txt}: one
 * query per line as {@code instant|range <TAB> expression}, each after a {@code #} comment saying why.
 */
final class KnownDifferences {
    private static final String RESOURCE = "/promql-diff/known-differences.txt";

    private KnownDifferences() {
    }

    static String key(final DiffQueries.Query q) {
        return (q.range() ? "range" : "instant") + "\t" + q.expr();
    }

    static List<String> load() throws IOException {
        final List<String> out = new ArrayList<>();
        try (InputStream in = KnownDifferences.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("missing resource " + RESOURCE);
            }
            for (final String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    final String[] modeAndExpr = line.strip().split("\\s+", 2);
                    out.add(modeAndExpr[0] + "\t" + (modeAndExpr.length > 1 ? modeAndExpr[1].strip() : ""));
                }
            }
        }
        return out;
    }
}
