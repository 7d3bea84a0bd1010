package io.tidemark.server.remote;

import static io.tidemark.server.remote.RemoteWriteTestDatabase.TENANT;
import static io.tidemark.server.remote.RemoteWriteTestDatabase.TIMEOUT;
import static io.tidemark.server.remote.RemoteWriteTestDatabase.good;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A body that cannot be decoded is refused whole, as Prometheus does: nothing of it is stored, not even good-looking series before the fault. */
class RemoteWriteMalformedBodyTest {
    private static final long LIMIT = 1 << 20;

    @TempDir
    Path data;

    private Tidemark db;
    private NativeAllocator allocator;
    private RemoteWriteIngest ingest;

    @BeforeEach
    void open() throws Exception {
        db = RemoteWriteTestDatabase.open(data);
        allocator = NativeAllocator.withLimit(NativeAllocator.UNLIMITED);
        ingest = new RemoteWriteIngest(db, RemoteWriteLimits.DEFAULT.withMaxDecompressedBytes(LIMIT), allocator, null);
    }

    @AfterEach
    void close() throws Exception {
        ingest.close();
        allocator.assertNoLeaks();
        db.close();
    }

    private RemoteWriteResult post(final byte[] body) {
        final RemoteWriteResult result = ingest.ingest(TENANT, MemorySegment.ofArray(body), 0, body.length);
        assertThat(ingest.awaitApplied(TIMEOUT)).isTrue();
        return result;
    }

    private static byte[] goodRequest() {
        return new WriteRequests().add(good(0, 5)).add(good(1, 5)).encode();
    }

    private static byte[] concat(final byte[] first, final int... more) {
        final byte[] bytes = Arrays.copyOf(first, first.length + more.length);
        for (int i = 0; i < more.length; i++) {
            bytes[first.length + i] = (byte) more[i];
        }
        return bytes;
    }

    private void assertRefused(final RemoteWriteResult result, final RemoteWriteResult.Outcome outcome, final String message) {
        assertThat(result.outcome()).isEqualTo(outcome);
        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(result.clientError()).isTrue();
        assertThat(result.samplesStored()).isZero();
        assertThat(result.error()).contains(message);
        assertThat(RemoteWriteTestDatabase.seriesCount(db)).isZero();
    }

    @Test
    void shouldRefuseTruncatedSnappy() {
        final byte[] body = WriteRequests.snappy(goodRequest());
        assertRefused(post(Arrays.copyOf(body, body.length - 3)), RemoteWriteResult.Outcome.MALFORMED, "snappy:");
    }

    @Test
    void shouldRefuseAnEmptyBodyAsTruncatedSnappy() {
        assertRefused(post(new byte[0]), RemoteWriteResult.Outcome.MALFORMED, "snappy: truncated in the uncompressed length");
    }

    @Test
    void shouldRefuseASnappyCopyPointingBeforeTheOutput() {
        // declares 10 bytes, then a 2-byte-offset copy of 4 bytes from 5 bytes back: nothing is written yet.
        assertRefused(post(new byte[] {10, (byte) (3 << 2 | 2), 5, 0}), RemoteWriteResult.Outcome.MALFORMED,
            "copy offset 5 at output offset 0 points outside the output");
    }

    @Test
    void shouldRefuseASnappyLiteralRunningPastTheBody() {
        // declares 100 bytes, then a literal of 251 bytes (one length byte follows the tag) with one byte left.
        final byte[] corrupt = {100, (byte) (60 << 2), (byte) 250, 'x'};
        assertRefused(post(corrupt), RemoteWriteResult.Outcome.MALFORMED, "runs past the end of the body");
    }

    @Test
    void shouldRefuseADecompressedSizeOverTheLimitBeforeDecompressing() {
        // A 4-byte body declaring 1 MiB + 1 bytes: refused on the preamble alone, no buffer of that size taken.
        final byte[] body = {(byte) 0x81, (byte) 0x80, (byte) 0x40, 0};
        final RemoteWriteResult result = post(body);
        assertRefused(result, RemoteWriteResult.Outcome.TOO_LARGE, "decompressed size 1048577 bytes exceeds the limit of 1048576 bytes");
        assertThat(allocator.bytesInUse(MemoryTag.NETWORK)).isZero();
    }

    @Test
    void shouldAcceptADecompressedSizeOfExactlyTheLimit() {
        final byte[] raw = new byte[(int) LIMIT];
        final byte[] request = goodRequest();
        System.arraycopy(request, 0, raw, 0, request.length);
        // pad with an unknown length-delimited field 15 filling the rest exactly
        final int padding = raw.length - request.length;
        final byte[] header = WriteRequests.message(out -> out.writeTag(15, 2));
        final int contentLength = padding - header.length - 3;
        raw[request.length] = header[0];
        raw[request.length + 1] = (byte) (contentLength & 0x7F | 0x80);
        raw[request.length + 2] = (byte) ((contentLength >>> 7) & 0x7F | 0x80);
        raw[request.length + 3] = (byte) (contentLength >>> 14);
        final RemoteWriteResult result = post(WriteRequests.snappy(raw));
        assertThat(result.outcome()).as(result.toString()).isEqualTo(RemoteWriteResult.Outcome.STORED);
        assertThat(result.samplesStored()).isEqualTo(10);
    }

    @Test
    void shouldRefuseATruncatedVarint() {
        assertRefused(post(WriteRequests.snappy(concat(goodRequest(), 0x0A, 0x80))), RemoteWriteResult.Outcome.MALFORMED,
            "protobuf: truncated varint");
    }

    @Test
    void shouldRefuseALengthPastTheEnd() {
        assertRefused(post(WriteRequests.snappy(concat(goodRequest(), 0x0A, 0x05, 0x01))), RemoteWriteResult.Outcome.MALFORMED,
            "protobuf: length 5 at offset");
    }

    @Test
    void shouldRefuseALengthPastTheEndOfTheEnclosingMessage() {
        // A series of 4 bytes whose label claims 10: inside the body, but past the series.
        assertRefused(post(WriteRequests.snappy(concat(goodRequest(), 0x0A, 0x04, 0x0A, 0x0A, 0x0A, 0x00, 0x0A, 0x00))),
            RemoteWriteResult.Outcome.MALFORMED, "runs past the end (2 bytes left)");
    }

    @Test
    void shouldRefuseAWrongWireTypeForTimeseries() {
        assertRefused(post(WriteRequests.snappy(concat(goodRequest(), 0x08, 0x01))), RemoteWriteResult.Outcome.MALFORMED,
            "wrong wire type 0 for field 1 (expected 2)");
    }

    @Test
    void shouldRefuseAWrongWireTypeForASampleValue() {
        // series { samples { value (field 1) as varint 1 } }
        assertRefused(post(WriteRequests.snappy(concat(goodRequest(), 0x0A, 0x04, 0x12, 0x02, 0x08, 0x01))),
            RemoteWriteResult.Outcome.MALFORMED, "wrong wire type 0 for field 1 (expected 1)");
    }

    @Test
    void shouldRefuseGroups() {
        assertRefused(post(WriteRequests.snappy(concat(goodRequest(), 0x7B))), RemoteWriteResult.Outcome.MALFORMED,
            "unsupported wire type 3");
    }

    @Test
    void shouldRefuseFieldNumberZero() {
        assertRefused(post(WriteRequests.snappy(concat(goodRequest(), 0x02, 0x00))), RemoteWriteResult.Outcome.MALFORMED,
            "invalid field key 2");
    }
}
