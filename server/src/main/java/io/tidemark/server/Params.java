package io.tidemark.server;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.matchers.Selectors;
import io.tidemark.promql.parser.PromQlParser;
import java.util.ArrayList;
import java.util.List;

/** Reads the API's common parameters with Prometheus' checks and messages. */
final class Params {
    /** The longest query or selector text taken, in characters. */
    static final int MAX_QUERY_CHARS = 128 << 10;
    /** The most {@code match[]} selectors in one request. */
    static final int MAX_MATCHERS = 256;

    private Params() {
    }

    /** A time parameter, or {@code otherwise} when absent or empty. */
    static long time(final ApiRequest request, final String name, final long otherwise) {
        final String text = request.parameter(name);
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        try {
            return PromFormat.parseTime(text);
        } catch (final IllegalArgumentException e) {
            throw ApiException.invalidParameter(name, e.getMessage());
        }
    }

    /** A duration parameter in milliseconds, or {@code otherwise} when absent or empty. */
    static long duration(final ApiRequest request, final String name, final long otherwise) {
        final String text = request.parameter(name);
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        try {
            return PromFormat.parseDurationMillis(text);
        } catch (final IllegalArgumentException e) {
            throw ApiException.invalidParameter(name, e.getMessage());
        }
    }

    /** The {@code limit} parameter: 0 (no limit) when absent; a non-negative integer otherwise. */
    static int limit(final ApiRequest request) {
        final String text = request.parameter("limit");
        if (text == null || text.isEmpty()) {
            return 0;
        }
        final int limit;
        try {
            limit = Integer.parseInt(text);
        } catch (final NumberFormatException e) {
            throw ApiException.invalidParameter("limit", "cannot parse limit: strconv.Atoi: parsing \""
                + SettingsParser.shorten(text) + "\": invalid syntax");
        }
        if (limit < 0) {
            throw ApiException.invalidParameter("limit", "limit must be non-negative");
        }
        return limit;
    }

    /** The {@code query} parameter, no longer than {@link #MAX_QUERY_CHARS}. */
    static String query(final ApiRequest request) {
        // A missing query is an empty one, which the parser refuses in Prometheus' words.
        final String query = request.parameter("query") == null ? "" : request.parameter("query");
        if (query.length() > MAX_QUERY_CHARS) {
            throw ApiException.invalidParameter("query", "query is longer than " + MAX_QUERY_CHARS + " characters");
        }
        return query;
    }

    /**
     * The {@code match[]} selectors, each parsed and checked to select less than everything. Errors read
     * {@code invalid parameter "match[]": ...} when {@code asParameter} (as Prometheus' series endpoint says them),
     * the bare message otherwise (its label endpoints).
     */
    static List<List<LabelMatcher>> matchers(final ApiRequest request, final boolean asParameter) {
        final List<String> texts = request.parameters("match[]");
        if (texts.size() > MAX_MATCHERS) {
            throw ApiException.badData("too many match[] parameters: at most " + MAX_MATCHERS);
        }
        final List<List<LabelMatcher>> sets = new ArrayList<>(texts.size());
        for (final String text : texts) {
            if (text.length() > MAX_QUERY_CHARS) {
                throw ApiException.badData("match[] selector longer than " + MAX_QUERY_CHARS + " characters");
            }
            final List<LabelMatcher> matchers;
            try {
                matchers = PromQlParser.parseSeriesSelector(text);
            } catch (final IllegalArgumentException e) {
                throw matcherError(asParameter, e.getMessage());
            }
            try {
                Selectors.requireNonEmptyMatcher(matchers);
            } catch (final IllegalArgumentException e) {
                throw matcherError(asParameter, "match[] must contain at least one non-empty matcher");
            }
            sets.add(matchers);
        }
        return sets;
    }

    private static ApiException matcherError(final boolean asParameter, final String message) {
        return asParameter ? ApiException.invalidParameter("match[]", message) : ApiException.badData(message);
    }
}
