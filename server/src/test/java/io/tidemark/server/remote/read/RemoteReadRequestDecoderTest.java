package io.tidemark.server.remote.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.server.remote.read.RemoteReadProtos.Matcher;
import io.tidemark.server.remote.read.RemoteReadProtos.Query;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class RemoteReadRequestDecoderTest {
    private final RemoteReadRequestDecoder decoder = new RemoteReadRequestDecoder(1 << 20);

    private static byte[] valid() throws IOException {
        return RemoteReadProtos.request(List.of(
            new Query(-5, 1_700_000_000_000L, List.of(new Matcher(0, "__name__", "up"), new Matcher(1, "job", "a"),
                new Matcher(2, "instance", "h.*"), new Matcher(3, "zone", "eu-.+"))),
            new Query(10, 20, List.of(new Matcher(0, "job", "b")))), 7, 1, 0);
    }

    private AbstractThrowableAssert<?, ?> assertBadRequest(final byte[] body) {
        return assertThatThrownBy(() -> decoder.decode(body, 0, body.length)).isInstanceOf(RemoteReadException.class)
            .satisfies(e -> assertThat(((RemoteReadException) e).status()).isEqualTo(400));
    }

    @Test
    void shouldDecodeQueriesMatchersHintsAndAcceptedTypes() throws IOException {
        final byte[] bytes = valid();
        final RemoteReadRequest request = decoder.decodeSnappy(RemoteReadProtos.snappy(bytes), 0,
            RemoteReadProtos.snappy(bytes).length);
        assertThat(request.acceptedResponseTypes()).containsExactly(7, 1, 0);
        assertThat(request.queries()).hasSize(2);
        final RemoteReadQuery first = request.queries().get(0);
        assertThat(first.startMs()).isEqualTo(-5);
        assertThat(first.endMs()).isEqualTo(1_700_000_000_000L);
        assertThat(first.matchers()).containsExactly(
            LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "up"),
            LabelMatcher.of(LabelMatcher.Type.NOT_EQUAL, "job", "a"),
            LabelMatcher.of(LabelMatcher.Type.REGEX, "instance", "h.*"),
            LabelMatcher.of(LabelMatcher.Type.NOT_REGEX, "zone", "eu-.+"));
        assertThat(first.hints()).isEqualTo(new ReadHints(15_000, "rate", -5, 1_700_000_000_000L, List.of("job"), true,
            300_000));
        assertThat(request.queries().get(1).matchers()).containsExactly(LabelMatcher.of(LabelMatcher.Type.EQUAL, "job", "b"));
    }

    @Test
    void shouldDecodeUnpackedAcceptedTypesAndSkipUnknownFields() throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeEnum(2, 1);
        out.writeString(9, "future field");
        out.writeFixed32(10, 7);
        out.writeFixed64(11, 7);
        out.writeEnum(2, 0);
        out.flush();
        final RemoteReadRequest request = decoder.decode(bytes.toByteArray(), 0, bytes.size());
        assertThat(request.acceptedResponseTypes()).containsExactly(1, 0);
        assertThat(request.queries()).isEmpty();
    }

    @Test
    void shouldRejectEveryTruncationOfAValidRequest() throws IOException {
        final byte[] bytes = valid();
        for (int length = 1; length < bytes.length; length++) {
            final byte[] cut = Arrays.copyOf(bytes, length);
            try {
                decoder.decode(cut, 0, cut.length);
            } catch (final RemoteReadException expected) {
                assertThat(expected.status()).isEqualTo(400);
                assertThat(expected.getMessage()).startsWith("malformed ReadRequest at byte ");
                continue;
            }
            // A cut may fall exactly between top-level fields and still be a valid, shorter request.
            assertThat(cut[length - 1] >= 0).as("cut at %d decoded", length).isTrue();
        }
    }

    @Test
    void shouldRejectLengthsBeyondTheMessage() {
        assertBadRequest(new byte[] {0x0A, 0x7F, 0x08, 0x01}).hasMessageContaining("length 127 exceeds the 2 bytes left");
        assertBadRequest(new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F})
            .hasMessageContaining("exceeds");
    }

    @Test
    void shouldRejectWrongWireTypesGroupsAndBadTags() {
        assertBadRequest(new byte[] {0x08, 0x01}).hasMessageContaining("ReadRequest.queries has wire type 0");
        assertBadRequest(new byte[] {0x0B}).hasMessageContaining("ReadRequest.queries has wire type 3");
        assertBadRequest(new byte[] {0x4B}).hasMessageContaining("unsupported wire type 3");
        assertBadRequest(new byte[] {0x00}).hasMessageContaining("invalid field tag 0");
        assertBadRequest(new byte[] {0x10, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}).hasMessageContaining("varint");
    }

    @Test
    void shouldRejectUnknownMatcherTypesAndInvalidRegexes() throws IOException {
        final byte[] unknownType = RemoteReadProtos.request(List.of(new Query(0, 1, List.of(new Matcher(4, "job", "a")))));
        assertBadRequest(unknownType).hasMessageContaining("invalid matcher type 4");
        final byte[] badRegex = RemoteReadProtos.request(List.of(new Query(0, 1, List.of(new Matcher(2, "job", "(a")))));
        assertBadRequest(badRegex).hasMessageContaining("job");
    }

    @Test
    void shouldRejectMalformedAndOversizedSnappy() throws IOException {
        final byte[] garbage = {(byte) 0xFF, (byte) 0xFF, 0x01, 0x02, 0x03};
        assertThatThrownBy(() -> decoder.decodeSnappy(garbage, 0, garbage.length)).isInstanceOf(RemoteReadException.class)
            .hasMessageContaining("snappy").satisfies(e -> assertThat(((RemoteReadException) e).status()).isEqualTo(400));
        final byte[] truncated = Arrays.copyOf(RemoteReadProtos.snappy(valid()), 10);
        assertThatThrownBy(() -> decoder.decodeSnappy(truncated, 0, truncated.length))
            .isInstanceOf(RemoteReadException.class).hasMessageContaining("snappy");
        final RemoteReadRequestDecoder small = new RemoteReadRequestDecoder(16);
        final byte[] body = RemoteReadProtos.snappy(valid());
        assertThatThrownBy(() -> small.decodeSnappy(body, 0, body.length)).isInstanceOf(RemoteReadException.class)
            .hasMessageContaining("exceeds the limit of 16");
    }
}
