package io.tidemark.tiering.block;

/**
 * The order of label names, values and label sets in a block: strings by Unicode code point, which
 * is the unsigned byte order of their UTF-8 form (the order of {@code index}'s canonical label sets
 * and of Prometheus), and label sets pair by pair, a shorter set before its extensions.
 */
public final class LabelOrder {
    private LabelOrder() {
    }

    /** Compares two strings by code point without decoding them. */
    public static int compare(final String a, final String b) {
        final int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                // surrogates (supplementary code points) sort after every other UTF-16 unit
                if (ca >= 0xD800 && cb >= 0xD800) {
                    ca = fixUp(ca);
                    cb = fixUp(cb);
                }
                return ca - cb;
            }
        }
        return a.length() - b.length();
    }

    /**
     * Compares label sets given as alternating names and values ({@code name0, value0, name1, ...}),
     * each sorted by name.
     */
    public static int compareLabelSets(final String[] a, final String[] b) {
        final int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            final int c = compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return a.length - b.length;
    }

    private static char fixUp(final char c) {
        return (char) (c >= 0xE000 ? c - 0x800 : c + 0x2000);
    }
}
