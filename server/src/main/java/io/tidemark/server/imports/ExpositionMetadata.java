package io.tidemark.server.imports;

import io.tidemark.server.remote.MetadataSink;
import io.tidemark.server.remote.MetricMetadataStore;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code # HELP <family> <text>} and {@code # TYPE <family> <type>} lines of an imported exposition text,
 * gathered per family and reported once the import is done (a family's HELP and TYPE usually come as two
 * lines). Help text escapes as the format has them: {@code \\} and {@code \n}. At most {@link #MAX_FAMILIES}
 * families per request. A TYPE other than counter,
 * gauge, histogram, gaugehistogram, summary, info, stateset or untyped is a malformed line. Other comments
 * are ignored. Not thread-safe; one per request.
 */
final class ExpositionMetadata {
    /** Families one request may describe; HELP and TYPE lines of further ones are bad lines (memory is bounded). */
    static final int MAX_FAMILIES = 10_000;
    private static final int TYPE = 0;
    private static final int HELP = 1;

    private final Map<String, String[]> families = new LinkedHashMap<>();

    /**
     * Reads {@code line[from, to)}, a comment or blank line; returns whether it was a HELP or TYPE line.
     *
     * @throws ImportFormatException for a HELP or TYPE line without a family name, or with an unknown type
     */
    boolean read(final byte[] line, final int from, final int to) {
        int at = skipSpaces(line, from, to);
        if (at == to || line[at] != '#') {
            return false;
        }
        at = skipSpaces(line, at + 1, to);
        final int keyword = at;
        at = token(line, at, to);
        final String word = new String(line, keyword, at - keyword, StandardCharsets.US_ASCII);
        final int kind = "TYPE".equals(word) ? TYPE : "HELP".equals(word) ? HELP : -1;
        if (kind < 0 || at == to) {
            if (kind >= 0) {
                throw new ImportFormatException("# " + word + " without a metric name", at - from);
            }
            return false;
        }
        final int nameAt = skipSpaces(line, at, to);
        final int nameEnd = token(line, nameAt, to);
        if (nameEnd == nameAt) {
            throw new ImportFormatException("# " + word + " without a metric name", nameAt - from);
        }
        final String family = new String(line, nameAt, nameEnd - nameAt, StandardCharsets.UTF_8);
        if (families.size() >= MAX_FAMILIES && !families.containsKey(family)) {
            throw new ImportFormatException("# " + word + " of a metric family beyond the " + MAX_FAMILIES
                + " one request may describe", nameAt - from);
        }
        if (kind == TYPE) {
            final int typeAt = skipSpaces(line, nameEnd, to);
            final int typeEnd = token(line, typeAt, to);
            final String type = new String(line, typeAt, typeEnd - typeAt, StandardCharsets.US_ASCII);
            if (MetricMetadataStore.typeNumber(type) < 0 || skipSpaces(line, typeEnd, to) != trimEnd(line, typeEnd, to)) {
                throw new ImportFormatException("# TYPE " + family + ": unknown metric type \"" + type
                    + "\", expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or untyped", typeAt - from);
            }
            families.computeIfAbsent(family, k -> new String[] {null, ""})[TYPE] = type;
        } else {
            // as Prometheus' text parser: the blanks between the name and the text are skipped
            final int textAt = skipSpaces(line, nameEnd, to);
            families.computeIfAbsent(family, k -> new String[] {null, ""})[HELP] = unescape(line, textAt, trimEnd(line, textAt, to));
        }
        return true;
    }

    /** Reports every family read to {@code sink}: its type (unknown without a TYPE line) and help. */
    void report(final String tenant, final MetadataSink sink) {
        for (final Map.Entry<String, String[]> family : families.entrySet()) {
            final String type = family.getValue()[TYPE];
            sink.metadata(tenant, type == null ? 0 : MetricMetadataStore.typeNumber(type), family.getKey(), family.getValue()[HELP], "");
        }
    }

    private static String unescape(final byte[] line, final int from, final int to) {
        final byte[] out = new byte[Math.max(0, to - from)];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (line[i] == '\\' && i + 1 < to && (line[i + 1] == '\\' || line[i + 1] == 'n')) {
                out[n++] = line[++i] == 'n' ? (byte) '\n' : (byte) '\\';
            } else {
                out[n++] = line[i];
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static int skipSpaces(final byte[] line, final int from, final int to) {
        int at = from;
        while (at < to && (line[at] == ' ' || line[at] == '\t')) {
            at++;
        }
        return at;
    }

    private static int token(final byte[] line, final int from, final int to) {
        int at = from;
        while (at < to && line[at] != ' ' && line[at] != '\t' && line[at] != '\r') {
            at++;
        }
        return at;
    }

    private static int trimEnd(final byte[] line, final int from, final int to) {
        int end = to;
        while (end > from && line[end - 1] == '\r') {
            end--;
        }
        return end;
    }
}
