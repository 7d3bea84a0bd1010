package io.tidemark.server.remote.read;

import io.tidemark.index.matchers.InvalidMatcherException;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.matchers.RegexBudgetExceededException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Decodes {@code prometheus.ReadRequest} (prompb/remote.proto) by hand: the snappy block around it, then the
 * protobuf. Unknown fields are skipped as protobuf requires; every length is checked, and any malformation is a
 * {@link RemoteReadException} with status 400. Reuses its decompression array; not thread-safe.
 */
public final class RemoteReadRequestDecoder {
    private static final int READ_REQUEST_QUERIES = 1;
    private static final int READ_REQUEST_ACCEPTED_TYPES = 2;
    private static final int QUERY_START = 1;
    private static final int QUERY_END = 2;
    private static final int QUERY_MATCHERS = 3;
    private static final int QUERY_HINTS = 4;
    private static final int MATCHER_TYPE = 1;
    private static final int MATCHER_NAME = 2;
    private static final int MATCHER_VALUE = 3;

    private final int maxDecompressedBytes;
    private final ProtobufReader reader = new ProtobufReader();
    private byte[] decompressed = new byte[4096];

    /** A decoder that refuses requests larger than {@code maxDecompressedBytes} once decompressed. */
    public RemoteReadRequestDecoder(final int maxDecompressedBytes) {
        if (maxDecompressedBytes <= 0) {
            throw new IllegalArgumentException("maxDecompressedBytes=" + maxDecompressedBytes);
        }
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    /** Decodes an HTTP body: a snappy block holding a ReadRequest. */
    public RemoteReadRequest decodeSnappy(final byte[] body, final int offset, final int length) {
        final int size;
        try {
            size = Snappy.uncompressedLength(body, offset, length);
        } catch (final IOException | RuntimeException e) {
            throw new RemoteReadException(RemoteReadException.BAD_REQUEST, "malformed snappy block: " + e.getMessage(), e);
        }
        if (size < 0 || size > maxDecompressedBytes) {
            throw RemoteReadException.badRequest("decompressed request of " + size + " bytes exceeds the limit of "
                + maxDecompressedBytes);
        }
        if (decompressed.length < size) {
            decompressed = new byte[Math.max(size, Math.min(maxDecompressedBytes, decompressed.length * 2))];
        }
        final int written;
        try {
            if (!Snappy.isValidCompressedBuffer(body, offset, length)) {
                throw RemoteReadException.badRequest("malformed snappy block");
            }
            written = Snappy.uncompress(body, offset, length, decompressed, 0);
        } catch (final IOException | RuntimeException e) {
            if (e instanceof RemoteReadException r) {
                throw r;
            }
            throw new RemoteReadException(RemoteReadException.BAD_REQUEST, "malformed snappy block: " + e.getMessage(), e);
        }
        return decode(decompressed, 0, written);
    }

    /** Decodes an uncompressed ReadRequest in {@code bytes[offset, offset + length)}. */
    public RemoteReadRequest decode(final byte[] bytes, final int offset, final int length) {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IllegalArgumentException("offset=" + offset + " length=" + length + " array=" + bytes.length);
        }
        reader.reset(bytes, offset, length);
        final List<RemoteReadQuery> queries = new ArrayList<>();
        final List<Integer> accepted = new ArrayList<>();
        while (reader.hasMore()) {
            final int tag = reader.readTag();
            switch (tag >>> 3) {
                case READ_REQUEST_QUERIES -> {
                    reader.expect(tag, ProtobufReader.LENGTH_DELIMITED, "ReadRequest.queries");
                    final int old = reader.pushLimit(reader.readLength());
                    queries.add(readQuery());
                    reader.popLimit(old);
                }
                case READ_REQUEST_ACCEPTED_TYPES -> readAcceptedTypes(tag, accepted);
                default -> reader.skip(tag & 7);
            }
        }
        return new RemoteReadRequest(List.copyOf(queries), List.copyOf(accepted));
    }

    private void readAcceptedTypes(final int tag, final List<Integer> accepted) {
        if ((tag & 7) == ProtobufReader.VARINT) {
            accepted.add((int) reader.readVarint());
            return;
        }
        reader.expect(tag, ProtobufReader.LENGTH_DELIMITED, "ReadRequest.accepted_response_types");
        final int old = reader.pushLimit(reader.readLength());
        while (reader.hasMore()) {
            accepted.add((int) reader.readVarint());
        }
        reader.popLimit(old);
    }

    private RemoteReadQuery readQuery() {
        long start = 0;
        long end = 0;
        final List<LabelMatcher> matchers = new ArrayList<>();
        ReadHints hints = null;
        while (reader.hasMore()) {
            final int tag = reader.readTag();
            switch (tag >>> 3) {
                case QUERY_START -> {
                    reader.expect(tag, ProtobufReader.VARINT, "Query.start_timestamp_ms");
                    start = reader.readVarint();
                }
                case QUERY_END -> {
                    reader.expect(tag, ProtobufReader.VARINT, "Query.end_timestamp_ms");
                    end = reader.readVarint();
                }
                case QUERY_MATCHERS -> {
                    reader.expect(tag, ProtobufReader.LENGTH_DELIMITED, "Query.matchers");
                    final int old = reader.pushLimit(reader.readLength());
                    matchers.add(readMatcher());
                    reader.popLimit(old);
                }
                case QUERY_HINTS -> {
                    reader.expect(tag, ProtobufReader.LENGTH_DELIMITED, "Query.hints");
                    final int old = reader.pushLimit(reader.readLength());
                    hints = readHints();
                    reader.popLimit(old);
                }
                default -> reader.skip(tag & 7);
            }
        }
        return new RemoteReadQuery(start, end, List.copyOf(matchers), hints);
    }

    private LabelMatcher readMatcher() {
        long type = 0;
        String name = "";
        String value = "";
        while (reader.hasMore()) {
            final int tag = reader.readTag();
            switch (tag >>> 3) {
                case MATCHER_TYPE -> {
                    reader.expect(tag, ProtobufReader.VARINT, "LabelMatcher.type");
                    type = reader.readVarint();
                }
                case MATCHER_NAME -> {
                    reader.expect(tag, ProtobufReader.LENGTH_DELIMITED, "LabelMatcher.name");
                    name = reader.readString();
                }
                case MATCHER_VALUE -> {
                    reader.expect(tag, ProtobufReader.LENGTH_DELIMITED, "LabelMatcher.value");
                    value = reader.readString();
                }
                default -> reader.skip(tag & 7);
            }
        }
        final LabelMatcher.Type matcherType;
        if (type == 0) {
            matcherType = LabelMatcher.Type.EQUAL;
        } else if (type == 1) {
            matcherType = LabelMatcher.Type.NOT_EQUAL;
        } else if (type == 2) {
            matcherType = LabelMatcher.Type.REGEX;
        } else if (type == 3) {
            matcherType = LabelMatcher.Type.NOT_REGEX;
        } else {
            throw RemoteReadException.badRequest("invalid matcher type " + type + " for label \"" + name + "\"");
        }
        try {
            return LabelMatcher.of(matcherType, name, value);
        } catch (final InvalidMatcherException | RegexBudgetExceededException e) {
            throw new RemoteReadException(RemoteReadException.BAD_REQUEST, e.getMessage(), e);
        }
    }

    private ReadHints readHints() {
        long step = 0;
        String function = "";
        long start = 0;
        long end = 0;
        final List<String> grouping = new ArrayList<>();
        boolean by = false;
        long range = 0;
        while (reader.hasMore()) {
            final int tag = reader.readTag();
            final int field = tag >>> 3;
            if (field == 2 || field == 5) {
                reader.expect(tag, ProtobufReader.LENGTH_DELIMITED, "ReadHints field " + field);
                final String text = reader.readString();
                if (field == 2) {
                    function = text;
                } else {
                    grouping.add(text);
                }
            } else if (field == 1 || field == 3 || field == 4 || field == 6 || field == 7) {
                reader.expect(tag, ProtobufReader.VARINT, "ReadHints field " + field);
                final long number = reader.readVarint();
                switch (field) {
                    case 1 -> step = number;
                    case 3 -> start = number;
                    case 4 -> end = number;
                    case 6 -> by = number != 0;
                    default -> range = number;
                }
            } else {
                reader.skip(tag & 7);
            }
        }
        return new ReadHints(step, function, start, end, List.copyOf(grouping), by, range);
    }
}
