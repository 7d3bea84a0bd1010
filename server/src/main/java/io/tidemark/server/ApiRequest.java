package io.tidemark.server;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Map;

/**
 * A decoded request as handlers see it: method, path, parameters (from the query string and, for a form POST, the
 * body, in that order), the tenant from {@code X-Scope-OrgID}, the path parameter of a pattern route and the raw body.
 * The body is valid only while the handler runs.
 *
 * @param method     the HTTP method, upper case
 * @param path       the decoded path
 * @param parameters every parameter's values, in the order given
 * @param tenant     the tenant ({@code default} without the header)
 * @param pathValue  the {@code {name}} segment of a pattern route, decoded; empty otherwise
 * @param body       the request body
 * @param headers    the request headers (content type and encoding for the write endpoints)
 */
public record ApiRequest(String method, String path, Map<String, List<String>> parameters, String tenant,
                         String pathValue, ByteBuf body, io.netty.handler.codec.http.HttpHeaders headers) {
    /** The value of header {@code name}, or null. */
    public String header(final CharSequence name) {
        return headers.get(name);
    }

    /** The first value of parameter {@code name}, or null. */
    public String parameter(final String name) {
        final List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of parameter {@code name} (empty when absent). */
    public List<String> parameters(final String name) {
        return parameters.getOrDefault(name, List.of());
    }
}
