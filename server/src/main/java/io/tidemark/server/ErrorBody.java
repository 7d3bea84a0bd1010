package io.tidemark.server;

/** Writes Prometheus' error body: {@code {"status":"error","errorType":"...","error":"..."}}. */
final class ErrorBody {
    private ErrorBody() {
    }

    static void write(final JsonWriter json, final String errorType, final String message) {
        json.raw("{\"status\":\"error\",\"errorType\":").string(errorType).raw(",\"error\":").string(message).raw('}');
    }
}
