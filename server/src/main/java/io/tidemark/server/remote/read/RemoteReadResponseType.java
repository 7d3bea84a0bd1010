package io.tidemark.server.remote.read;

/** The response types of {@code prometheus.ReadRequest.ResponseType} that Tidemark answers, with their headers. */
public enum RemoteReadResponseType {
    /** A snappy-compressed {@code prometheus.ReadResponse}. */
    SAMPLES(0, "application/x-protobuf", "snappy"),
    /** A stream of {@code prometheus.ChunkedReadResponse} frames, not compressed. */
    STREAMED_XOR_CHUNKS(1, "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse", null);

    private final int number;
    private final String contentType;
    private final String contentEncoding;

    RemoteReadResponseType(final int number, final String contentType, final String contentEncoding) {
        this.number = number;
        this.contentType = contentType;
        this.contentEncoding = contentEncoding;
    }

    /** The enum number on the wire. */
    public int number() {
        return number;
    }

    /** The {@code Content-Type} header of the response. */
    public String contentType() {
        return contentType;
    }

    /** The {@code Content-Encoding} header of the response, or null when there is none. */
    public String contentEncoding() {
        return contentEncoding;
    }

    /** The type with wire number {@code number}, or null for types Tidemark does not answer. */
    static RemoteReadResponseType ofNumber(final int number) {
        for (final RemoteReadResponseType type : values()) {
            if (type.number == number) {
                return type;
            }
        }
        return null;
    }
}
