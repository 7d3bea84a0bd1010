package io.tidemark.server;

/**
 * One endpoint of the HTTP server, registered with {@link Router} under a path and method. The handler writes the
 * whole response body into the {@link JsonWriter} it is given and returns the status and content type, or throws
 * {@link ApiException} (the body written so far is discarded and the error written instead). Handlers must be
 * thread-safe: blocking ones run on the query threads, the others on the event loop.
 */
@FunctionalInterface
public interface HttpHandler {
    /** The status and content type of a response whose body the handler wrote. */
    record Response(int status, String contentType) {
        /** 200 with a JSON body. */
        public static final Response OK_JSON = new Response(200, "application/json");
    }

    /** Answers {@code request}, writing the body to {@code body}. */
    Response handle(ApiRequest request, JsonWriter body);
}
