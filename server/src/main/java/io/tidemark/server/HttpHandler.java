package io.tidemark.server;

/**
 * One endpoint of the HTTP server, registered with {@link Router} under a path and method. The handler writes the
 * whole response body into the {@link JsonWriter} it is given and returns the status and content type, or throws
 * {@link ApiException} (the body written so far is discarded and the error written instead). Handlers must be
 * thread-safe: blocking ones run on the query threads (those that store samples on the write threads), the others on
 * the event loop.
 */
@FunctionalInterface
public interface HttpHandler {
    /**
     * The status, content type and (when not null) content encoding of a response whose body the handler wrote; a
     * null content type sends none (a 204 has no body).
     */
    record Response(int status, String contentType, String contentEncoding) {
        /** 200 with a JSON body. */
        public static final Response OK_JSON = new Response(200, "application/json");
        /** 204, no body. */
        public static final Response NO_CONTENT = new Response(204, null);

        /** A response without a content encoding. */
        public Response(final int status, final String contentType) {
            this(status, contentType, null);
        }
    }

    /** Answers {@code request}, writing the body to {@code body}. */
    Response handle(ApiRequest request, JsonWriter body);
}
