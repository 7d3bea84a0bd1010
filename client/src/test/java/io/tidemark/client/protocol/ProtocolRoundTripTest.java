package io.tidemark.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.codecs.prometheus.PrometheusXorChunkEncoder;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolRoundTripTest {
    static final long STALE_NAN = 0x7ff0000000000002L;
    static final long OTHER_NAN = 0xfff8000000000abcL;

    @Test
    void shouldRoundTripHelloWithEmptyAndNonAsciiStrings() {
        final HelloFrame hello = new HelloFrame(1, 3, "bench-é", "", "");
        assertThat(FrameBytes.decode(FrameBytes.encode(hello::encode))).isEqualTo(hello);
        final HelloFrame full = new HelloFrame(1, 1, "", "team-a", "k".repeat(Protocol.MAX_TOKEN_BYTES));
        assertThat(FrameBytes.decode(FrameBytes.encode(full::encode))).isEqualTo(full);
    }

    @Test
    void shouldRefuseHelloWithoutMagicAsBadMagic() {
        final byte[] bytes = FrameBytes.encode(new HelloFrame(1, 1, "c", "t", "k")::encode);
        bytes[HelloFrame.MAGIC] = 'X';
        assertThatThrownBy(() -> FrameBytes.decode(bytes)).isInstanceOf(ProtocolException.class)
            .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.BAD_MAGIC);
    }

    @Test
    void shouldRoundTripWelcome() {
        final WelcomeFrame welcome = new WelcomeFrame(1, WelcomeFrame.OPEN, 1 << 20, 65_536, 1 << 20, 256, 30_000,
            "tidemark 0.1.0");
        assertThat(FrameBytes.decode(FrameBytes.encode(welcome::encode))).isEqualTo(welcome);
        final WelcomeFrame empty = new WelcomeFrame(1, 0, Protocol.HANDSHAKE_MAX_FRAME_BYTES, 1, 0, 1, 0, "");
        assertThat(FrameBytes.decode(FrameBytes.encode(empty::encode))).isEqualTo(empty);
    }

    @Test
    void shouldRoundTripRegisterAndRegistered() {
        final RegisterFrame register = new RegisterFrame(7, List.of(
            new RegisterFrame.Entry(0, new String[] {"__name__", "cpu", "host", "a"}),
            new RegisterFrame.Entry(Integer.MAX_VALUE, new String[] {"__name__", "ünïcode", "", ""}),
            new RegisterFrame.Entry(3, new String[0])));
        final RegisterFrame read = (RegisterFrame) FrameBytes.decode(FrameBytes.encode(register::encode));
        assertThat(read).usingRecursiveComparison().isEqualTo(register);

        final RegisteredFrame registered = new RegisteredFrame(7, 2, List.of(
            new RegisteredFrame.Refusal(3, ErrorCode.INVALID_LABELS, "no __name__ label"),
            new RegisteredFrame.Refusal(9, ErrorCode.HANDLE_OUT_OF_RANGE, "")));
        assertThat(FrameBytes.decode(FrameBytes.encode(registered::encode))).isEqualTo(registered);
        final RegisteredFrame none = new RegisteredFrame(8, 0, List.of());
        assertThat(FrameBytes.decode(FrameBytes.encode(none::encode))).isEqualTo(none);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 1000})
    void shouldRoundTripWriteOfOddAndEvenCountsKeepingNanBits(final int n) {
        final int[] handles = new int[n];
        final long[] timestamps = new long[n];
        final double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            handles[i] = i * 31;
            timestamps[i] = 1_700_000_000_000L + i;
            values[i] = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(STALE_NAN);
                case 1 -> Double.longBitsToDouble(OTHER_NAN);
                case 2 -> -0.0;
                default -> i * 1.5;
            };
        }
        final byte[] bytes = FrameBytes.encode(out -> WriteFrame.encode(out, 42, WriteFrame.DURABLE, handles,
            timestamps, values, n));
        assertThat(bytes.length).isEqualTo(WriteFrame.frameBytes(n)).isEqualTo(24 + 20 * n + (n % 2) * 4);
        final WriteFrame.Columns read = (WriteFrame.Columns) FrameBytes.decode(bytes);
        assertThat(read.requestId()).isEqualTo(42);
        assertThat(read.durability()).isEqualTo(WriteFrame.DURABLE);
        assertThat(read.handles()).containsExactly(handles);
        assertThat(read.timestamps()).containsExactly(timestamps);
        assertThat(rawBits(read.values())).containsExactly(rawBits(values));
        assertThat(MemorySegment.ofArray(bytes).get(Protocol.I64, WriteFrame.timestampsOffset(n)))
            .isEqualTo(timestamps[0]);
    }

    @Test
    void shouldEncodeWriteFromAnOffsetOfTheColumns() {
        final int[] handles = {1, 2, 3, 4};
        final long[] timestamps = {10, 20, 30, 40};
        final double[] values = {0.5, 1.5, 2.5, 3.5};
        final byte[] bytes = FrameBytes.encode(out -> WriteFrame.encode(out, 5, WriteFrame.APPLIED, handles,
            timestamps, values, 1, 3));
        final WriteFrame.Columns read = (WriteFrame.Columns) FrameBytes.decode(bytes);
        assertThat(read.handles()).containsExactly(2, 3, 4);
        assertThat(read.timestamps()).containsExactly(20, 30, 40);
        assertThat(read.values()).containsExactly(1.5, 2.5, 3.5);
    }

    @Test
    void shouldRoundTripWriteAckWithDetailsAndReuseTheHolder() {
        final byte[] many = FrameBytes.encode(out -> {
            WriteAckFrame.encodeHead(out, 9, WriteFrame.DURABLE, WriteAckFrame.DETAILS_TRUNCATED, 20, 100, 900, 1000);
            for (int i = 0; i < 20; i++) {
                WriteAckFrame.encodeDetail(out, i, 1 + i % 4, 45, -5 - i);
            }
            out.end();
        });
        final WriteAckFrame ack = new WriteAckFrame();
        final MemorySegment segment = MemorySegment.ofArray(many);
        ack.decode(new FrameReader().frame(segment, 0, many.length));
        assertThat(ack.requestId()).isEqualTo(9);
        assertThat(ack.durability()).isEqualTo(WriteFrame.DURABLE);
        assertThat(ack.detailsTruncated()).isTrue();
        assertThat(ack.stored()).isEqualTo(100);
        assertThat(ack.refused()).isEqualTo(900);
        assertThat(ack.credits()).isEqualTo(1000);
        assertThat(ack.details()).isEqualTo(20);
        assertThat(ack.handle(19)).isEqualTo(19);
        assertThat(ack.reason(19)).isEqualTo(4);
        assertThat(ack.samples(19)).isEqualTo(45);
        assertThat(ack.firstTimestamp(19)).isEqualTo(-24);
        assertThat(many).hasSize(WriteAckFrame.FIRST_DETAIL + 20 * WriteAckFrame.DETAIL_BYTES);
        assertThat(segment.get(Protocol.I64, WriteAckFrame.FIRST_DETAIL + 19 * WriteAckFrame.DETAIL_BYTES
            + WriteAckFrame.DETAIL_FIRST_TIMESTAMP)).isEqualTo(-24);

        final byte[] none = FrameBytes.encode(out -> {
            WriteAckFrame.encodeHead(out, 10, WriteFrame.APPLIED, 0, 0, 4, 0, 4);
            out.end();
        });
        ack.decode(new FrameReader().frame(MemorySegment.ofArray(none), 0, none.length));
        assertThat(ack.requestId()).isEqualTo(10);
        assertThat(ack.details()).isZero();
        assertThat(ack.detailsTruncated()).isFalse();
        assertThat(ack.stored() + ack.refused()).isEqualTo(4);
    }

    @Test
    void shouldRoundTripQueries() {
        final QueryFrame instant = new QueryFrame(1, QueryFrame.INSTANT, 0, 1_000, 0, 0, "up");
        assertThat(FrameBytes.decode(FrameBytes.encode(instant::encode))).isEqualTo(instant);
        final QueryFrame range = new QueryFrame(2, QueryFrame.RANGE, 5_000, 1_000, 61_000, 15_000,
            "sum by (job) (rate(http_requests_total[5m]))");
        assertThat(FrameBytes.decode(FrameBytes.encode(range::encode))).isEqualTo(range);
        final QueryFrame empty = new QueryFrame(3, QueryFrame.INSTANT, 0, 0, 0, 0, "");
        assertThat(FrameBytes.decode(FrameBytes.encode(empty::encode))).isEqualTo(empty);
    }

    @Test
    void shouldRoundTripScalarAndStringResultsKeepingNanBits() {
        final QueryResultFrame scalar = new QueryResultFrame(4, QueryResultFrame.SCALAR, false, List.of("a warning"),
            1_000, Double.longBitsToDouble(STALE_NAN), null, List.of());
        final QueryResultFrame read = (QueryResultFrame) FrameBytes.decode(FrameBytes.encode(scalar::encode));
        assertThat(Double.doubleToRawLongBits(read.scalar())).isEqualTo(STALE_NAN);
        assertThat(read.warnings()).containsExactly("a warning");
        assertThat(read.time()).isEqualTo(1_000);

        final QueryResultFrame text = new QueryResultFrame(5, QueryResultFrame.STRING, false, List.of(), 2_000, 0, "",
            List.of());
        assertThat(FrameBytes.decode(FrameBytes.encode(text::encode))).usingRecursiveComparison().isEqualTo(text);
    }

    @Test
    void shouldRoundTripAMultiFrameMatrixResult() {
        final SeriesPoints a = new SeriesPoints(new String[] {"__name__", "up", "job", "a"}, new long[] {1, 2, 3},
            new double[] {1, Double.longBitsToDouble(STALE_NAN), 3});
        final SeriesPoints b = new SeriesPoints(new String[0], new long[0], new double[0]);
        final QueryResultFrame first = new QueryResultFrame(6, QueryResultFrame.MATRIX, true, List.of("w1", ""), 0, 0,
            null, List.of(a));
        final QueryResultFrame last = new QueryResultFrame(6, QueryResultFrame.MATRIX, false, List.of(), 0, 0, null,
            List.of(b, a));
        final QueryResultFrame readFirst = (QueryResultFrame) FrameBytes.decode(FrameBytes.encode(first::encode));
        final QueryResultFrame readLast = (QueryResultFrame) FrameBytes.decode(FrameBytes.encode(last::encode));
        assertThat(readFirst.more()).isTrue();
        assertThat(readLast.more()).isFalse();
        assertThat(readFirst.warnings()).containsExactly("w1", "");
        assertThat(readLast.series()).hasSize(2);
        assertThat(readLast.series().get(0).labels()).isEmpty();
        assertThat(readLast.series().get(1).labels()).containsExactly(a.labels());
        assertThat(readFirst.series().get(0).timestamps()).containsExactly(1, 2, 3);
        assertThat(rawBits(readFirst.series().get(0).values())).containsExactly(rawBits(a.values()));
    }

    @Test
    void shouldRoundTripSelectAndItsAnswers() {
        final SelectFrame select = new SelectFrame(11, -5, 10_000, List.of(
            new SelectFrame.Matcher(SelectFrame.EQUAL, "__name__", "cpu"),
            new SelectFrame.Matcher(SelectFrame.NOT_REGEX, "host", "")));
        assertThat(FrameBytes.decode(FrameBytes.encode(select::encode))).isEqualTo(select);

        final PrometheusXorChunkEncoder encoder = new PrometheusXorChunkEncoder();
        encoder.append(1_000, 1.0);
        encoder.append(2_000, Double.longBitsToDouble(STALE_NAN));
        final byte[] chunk = Arrays.copyOf(encoder.bytes(), encoder.length());
        final SelectSeriesFrame series = new SelectSeriesFrame(11, new String[] {"__name__", "cpu"}, List.of(
            new SelectSeriesFrame.Chunk(SelectSeriesFrame.XOR, 1_000, 2_000, chunk),
            new SelectSeriesFrame.Chunk(SelectSeriesFrame.XOR, 3_000, 3_000, new byte[0])));
        assertThat(FrameBytes.decode(FrameBytes.encode(series::encode))).usingRecursiveComparison().isEqualTo(series);
        final SelectEndFrame end = new SelectEndFrame(11, 0xFFFF_FFFFL, Long.MAX_VALUE);
        assertThat(FrameBytes.decode(FrameBytes.encode(end::encode))).isEqualTo(end);
    }

    @Test
    void shouldRoundTripPingPongGoodbyeAndError() {
        assertThat(FrameBytes.decode(FrameBytes.encode(out -> PingFrame.encode(out, MessageType.PING, -1L))))
            .isEqualTo(-1L);
        assertThat(FrameBytes.decode(FrameBytes.encode(out -> PingFrame.encode(out, MessageType.PONG, 77L))))
            .isEqualTo(77L);
        assertThat(FrameBytes.encode(out -> GoodbyeFrame.encode(out, MessageType.GOODBYE))).hasSize(8);
        assertThat(FrameBytes.decode(FrameBytes.encode(out -> GoodbyeFrame.encode(out, MessageType.SERVER_GOODBYE))))
            .isEqualTo("GOODBYE");
        final ErrorFrame error = new ErrorFrame(0, ErrorCode.AUTH_FAILED, "");
        assertThat(FrameBytes.decode(FrameBytes.encode(error::encode))).isEqualTo(error);
        final ErrorFrame unicode = new ErrorFrame(12, ErrorCode.BAD_QUERY, "parse error at ☃");
        assertThat(FrameBytes.decode(FrameBytes.encode(unicode::encode))).isEqualTo(unicode);
    }

    @Test
    void shouldCutALongErrorMessageWithoutSplittingASurrogatePair() {
        final String message = "a".repeat(ErrorFrame.MAX_MESSAGE_BYTES / 4 - 1) + "\uD83D\uDE00" + "tail";
        final ErrorFrame read = (ErrorFrame) FrameBytes.decode(FrameBytes.encode(
            new ErrorFrame(1, ErrorCode.INTERNAL, message)::encode));
        assertThat(read.message()).isEqualTo("a".repeat(ErrorFrame.MAX_MESSAGE_BYTES / 4 - 1));
    }

    static Stream<Named<byte[]>> frames() {
        final PrometheusXorChunkEncoder encoder = new PrometheusXorChunkEncoder();
        encoder.append(5, 1.0);
        final byte[] chunk = Arrays.copyOf(encoder.bytes(), encoder.length());
        final SeriesPoints points = new SeriesPoints(new String[] {"a", "b"}, new long[] {1, 2}, new double[] {3, 4});
        return Stream.of(
            Named.of("HELLO", FrameBytes.encode(new HelloFrame(1, 1, "c", "t", "k")::encode)),
            Named.of("WELCOME", FrameBytes.encode(new WelcomeFrame(1, 0, 1 << 20, 10, 10, 10, 10, "s")::encode)),
            Named.of("REGISTER", FrameBytes.encode(new RegisterFrame(1, List.of(
                new RegisterFrame.Entry(1, new String[] {"__name__", "x"})))::encode)),
            Named.of("REGISTERED", FrameBytes.encode(new RegisteredFrame(1, 0, List.of(
                new RegisteredFrame.Refusal(1, ErrorCode.INVALID_LABELS, "m")))::encode)),
            Named.of("WRITE odd", FrameBytes.encode(out -> WriteFrame.encode(out, 1, 0, new int[] {1},
                new long[] {2}, new double[] {3}, 1))),
            Named.of("WRITE even", FrameBytes.encode(out -> WriteFrame.encode(out, 1, 0, new int[] {1, 2},
                new long[] {2, 3}, new double[] {3, 4}, 2))),
            Named.of("WRITE_ACK", FrameBytes.encode(out -> {
                WriteAckFrame.encodeHead(out, 1, 0, 0, 1, 1, 1, 2);
                WriteAckFrame.encodeDetail(out, 1, 1, 1, 1);
                out.end();
            })),
            Named.of("QUERY", FrameBytes.encode(new QueryFrame(1, 1, 0, 1, 2, 3, "up")::encode)),
            Named.of("QUERY_RESULT scalar", FrameBytes.encode(new QueryResultFrame(1, QueryResultFrame.SCALAR, false,
                List.of("w"), 1, 2, null, List.of())::encode)),
            Named.of("QUERY_RESULT string", FrameBytes.encode(new QueryResultFrame(1, QueryResultFrame.STRING, false,
                List.of(), 1, 0, "s", List.of())::encode)),
            Named.of("QUERY_RESULT vector", FrameBytes.encode(new QueryResultFrame(1, QueryResultFrame.VECTOR, true,
                List.of(), 0, 0, null, List.of(points))::encode)),
            Named.of("SELECT", FrameBytes.encode(new SelectFrame(1, 0, 1, List.of(
                new SelectFrame.Matcher(0, "a", "b")))::encode)),
            Named.of("SELECT_SERIES", FrameBytes.encode(new SelectSeriesFrame(1, new String[] {"a", "b"}, List.of(
                new SelectSeriesFrame.Chunk(1, 5, 5, chunk)))::encode)),
            Named.of("SELECT_END", FrameBytes.encode(new SelectEndFrame(1, 1, 1)::encode)),
            Named.of("PING", FrameBytes.encode(out -> PingFrame.encode(out, MessageType.PING, 1))),
            Named.of("ERROR", FrameBytes.encode(new ErrorFrame(1, 1, "m")::encode)));
    }

    @ParameterizedTest
    @MethodSource("frames")
    void shouldRefuseEveryTruncationOfAFrameWithoutReadingPastIt(final byte[] frame) {
        assertThat(FrameBytes.decode(frame)).isNotNull();
        for (int length = Protocol.HEADER_BYTES; length < frame.length; length++) {
            assertMalformed(FrameBytes.resized(frame, length));
        }
    }

    @ParameterizedTest
    @MethodSource("frames")
    void shouldRefuseBytesLeftOver(final byte[] frame) {
        assertMalformed(FrameBytes.resized(frame, frame.length + 1));
        assertMalformed(FrameBytes.resized(frame, frame.length + 8));
    }

    @ParameterizedTest
    @MethodSource("frames")
    void shouldRefuseFlagsReservedBitsAndAWrongLength(final byte[] frame) {
        final byte[] flags = frame.clone();
        flags[Protocol.FLAGS_OFFSET] = 1;
        assertMalformed(flags);
        final byte[] reserved = frame.clone();
        reserved[Protocol.RESERVED_OFFSET + 1] = (byte) 0x80;
        assertMalformed(reserved);
        final byte[] wrongLength = frame.clone();
        MemorySegment.ofArray(wrongLength).set(Protocol.U32, 0, frame.length + 1);
        assertMalformed(wrongLength);
    }

    @Test
    void shouldRefuseAFrameLargerThanTheSegmentGiven() {
        final byte[] frame = FrameBytes.encode(new ErrorFrame(1, 1, "m")::encode);
        final MemorySegment segment = MemorySegment.ofArray(frame);
        assertThatThrownBy(() -> new FrameReader().frame(segment, 4, frame.length))
            .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> new FrameReader().frame(segment.asSlice(0, 4), 0, 8))
            .isInstanceOf(ProtocolException.class);
    }

    @Test
    void shouldRefuseCountsLargerThanTheFrame() {
        final byte[] register = FrameBytes.encode(new RegisterFrame(1, List.of(
            new RegisterFrame.Entry(1, new String[] {"__name__", "x"})))::encode);
        assertMalformed(patchU32(register, RegisterFrame.COUNT, 0xFFFF_FFFFL));
        assertMalformed(patchU16(register, RegisterFrame.ENTRIES + 4, 0xFFFF));

        final byte[] write = FrameBytes.encode(out -> WriteFrame.encode(out, 1, 0, new int[] {1, 2},
            new long[] {2, 3}, new double[] {3, 4}, 2));
        assertMalformed(patchU32(write, WriteFrame.COUNT, 3));
        assertMalformed(patchU32(write, WriteFrame.COUNT, 0xFFFF_FFFFL));
        assertMalformed(patchU32(write, WriteFrame.COUNT, 0));
        assertMalformed(patchU8(write, WriteFrame.DURABILITY, 2));

        final byte[] ack = FrameBytes.encode(out -> {
            WriteAckFrame.encodeHead(out, 1, 0, 0, 1, 1, 1, 2);
            WriteAckFrame.encodeDetail(out, 1, 1, 1, 1);
            out.end();
        });
        assertMalformed(patchU16(ack, WriteAckFrame.DETAILS, 0xFFFF));
        assertMalformed(patchU16(ack, WriteAckFrame.DETAILS, 0));
        assertMalformed(patchU16(ack, WriteAckFrame.FIRST_DETAIL + 6, 1)); // a detail's reserved bytes
        assertMalformed(patchU32(ack, WriteAckFrame.FIRST_DETAIL + 12, 1));

        final SeriesPoints points = new SeriesPoints(new String[] {"a", "b"}, new long[] {1}, new double[] {3});
        final byte[] vector = FrameBytes.encode(new QueryResultFrame(1, QueryResultFrame.VECTOR, false, List.of(), 0,
            0, null, List.of(points))::encode);
        final int seriesCount = QueryResultFrame.WARNINGS + 2;
        assertMalformed(patchU32(vector, seriesCount, 0x7FFF_FFFFL));
        assertMalformed(patchU32(vector, seriesCount + 4 + 2 + 3 + 3, 0x1000_0000L)); // the point count
        assertMalformed(patchU16(vector, QueryResultFrame.WARNINGS, 0xFFFF));
        assertMalformed(patchU8(vector, QueryResultFrame.RESULT_TYPE, 9));

        final byte[] query = FrameBytes.encode(new QueryFrame(1, 1, 0, 1, 2, 3, "up")::encode);
        assertMalformed(patchU32(query, QueryFrame.QUERY, 0x7FFF_FFFFL));
        assertMalformed(patchU8(query, QueryFrame.KIND, 2));

        final byte[] chunkFrame = FrameBytes.encode(new SelectSeriesFrame(1, new String[0], List.of(
            new SelectSeriesFrame.Chunk(1, 5, 5, new byte[] {0, 1, 2})))::encode);
        final int chunkLength = SelectSeriesFrame.LABELS + 2 + 2 + 17;
        assertMalformed(patchU32(chunkFrame, chunkLength, 0xFFFF_FFFFL));
        assertMalformed(patchU32(chunkFrame, chunkLength, 4));
        assertMalformed(patchU16(chunkFrame, SelectSeriesFrame.LABELS + 2, 0xFFFF));

        final byte[] select = FrameBytes.encode(new SelectFrame(1, 0, 1, List.of(
            new SelectFrame.Matcher(0, "a", "b")))::encode);
        assertMalformed(patchU16(select, SelectFrame.MATCHERS, 0));
        assertMalformed(patchU16(select, SelectFrame.MATCHERS, 2));
        assertMalformed(patchU8(select, SelectFrame.MATCHERS + 2, 4));

        final byte[] registered = FrameBytes.encode(new RegisteredFrame(1, 0, List.of())::encode);
        assertMalformed(patchU32(registered, RegisteredFrame.REFUSED, 0xFFFF_FFFFL));
        final byte[] welcome = FrameBytes.encode(new WelcomeFrame(1, 0, 1 << 20, 10, 10, 10, 10, "")::encode);
        assertMalformed(patchU32(welcome, WelcomeFrame.CREDITS, 0));
        assertMalformed(patchU32(welcome, WelcomeFrame.MAX_FRAME_BYTES, 0xFFFF_FFFFL));
    }

    @Test
    void shouldRefuseBadUtf8() {
        final byte[] error = FrameBytes.encode(new ErrorFrame(1, 1, "ab")::encode);
        error[ErrorFrame.MESSAGE + 2] = (byte) 0xC3; // a lead byte followed by an ASCII byte
        assertMalformed(error);
        final byte[] overlong = FrameBytes.encode(new ErrorFrame(1, 1, "ab")::encode);
        overlong[ErrorFrame.MESSAGE + 2] = (byte) 0xC0; // an overlong encoding of NUL
        overlong[ErrorFrame.MESSAGE + 3] = (byte) 0x80;
        assertMalformed(overlong);
        final byte[] surrogate = FrameBytes.encode(new HelloFrame(1, 1, "abc", "", "")::encode);
        surrogate[HelloFrame.CLIENT_NAME + 2] = (byte) 0xED; // an encoded surrogate, U+D800
        surrogate[HelloFrame.CLIENT_NAME + 3] = (byte) 0xA0;
        surrogate[HelloFrame.CLIENT_NAME + 4] = (byte) 0x80;
        assertMalformed(surrogate);
        final byte[] label = FrameBytes.encode(new SelectSeriesFrame(1, new String[] {"a", "b"}, List.of())::encode);
        label[SelectSeriesFrame.LABELS + 4] = (byte) 0xFF;
        assertMalformed(label);
    }

    @Test
    void shouldRefuseAFrameWriterFrameAboveTheLimitAndKeepTheFramesBefore() {
        final FrameWriter out = new FrameWriter(64, 1 << 20);
        PingFrame.encode(out, MessageType.PING, 1);
        assertThatThrownBy(() -> new QueryFrame(1, 0, 0, 0, 0, 0, "x".repeat(70_000)).encode(out))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(out.size()).isEqualTo(PingFrame.BYTES);
    }

    private static void assertMalformed(final byte[] bytes) {
        assertThatThrownBy(() -> FrameBytes.decode(bytes))
            .isInstanceOf(ProtocolException.class)
            .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.MALFORMED_FRAME));
    }

    private static byte[] patchU32(final byte[] frame, final long offset, final long value) {
        final byte[] copy = frame.clone();
        MemorySegment.ofArray(copy).set(Protocol.U32, offset, (int) value);
        return copy;
    }

    private static byte[] patchU16(final byte[] frame, final long offset, final int value) {
        final byte[] copy = frame.clone();
        MemorySegment.ofArray(copy).set(Protocol.U16, offset, (short) value);
        return copy;
    }

    private static byte[] patchU8(final byte[] frame, final int offset, final int value) {
        final byte[] copy = frame.clone();
        copy[offset] = (byte) value;
        return copy;
    }

    private static long[] rawBits(final double[] values) {
        final long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }
}
