package io.tidemark.client.protocol;

/**
 * WELCOME (0x81): the version chosen and the limits of the connection.
 *
 * @param version           the version every later frame follows
 * @param serverFlags       bit 0 {@link #OPEN}
 * @param maxFrameBytes     the frame limit from now on, both ways
 * @param credits           samples the client may have in flight
 * @param maxSeriesHandles  handles are below this
 * @param maxInFlightWrites WRITEs the client may have unanswered
 * @param idleTimeoutMillis the server closes a connection silent this long
 * @param serverVersion     the server's name and version
 */
public record WelcomeFrame(int version, int serverFlags, int maxFrameBytes, int credits, int maxSeriesHandles,
                           int maxInFlightWrites, int idleTimeoutMillis, String serverVersion) {
    /** {@code serverFlags} bit: tokens are not checked. */
    public static final int OPEN = 1;
    /** Offset of {@code version}. */
    public static final int VERSION = 8;
    /** Offset of {@code serverFlags}. */
    public static final int SERVER_FLAGS = 10;
    /** Offset of {@code maxFrameBytes}. */
    public static final int MAX_FRAME_BYTES = 12;
    /** Offset of {@code credits}. */
    public static final int CREDITS = 16;
    /** Offset of {@code maxSeriesHandles}. */
    public static final int MAX_SERIES_HANDLES = 20;
    /** Offset of {@code maxInFlightWrites}. */
    public static final int MAX_IN_FLIGHT_WRITES = 24;
    /** Offset of {@code idleTimeoutMillis}. */
    public static final int IDLE_TIMEOUT_MILLIS = 28;
    /** Offset of {@code serverVersion}. */
    public static final int SERVER_VERSION = 32;

    /** Writes the frame. */
    public void encode(final FrameWriter out) {
        out.begin(MessageType.WELCOME).u16(version).u16(serverFlags).u32(maxFrameBytes).u32(credits)
            .u32(maxSeriesHandles).u32(maxInFlightWrites).u32(idleTimeoutMillis).string16(serverVersion).end();
    }

    /** Reads the body of a WELCOME frame. */
    public static WelcomeFrame decode(final FrameReader in) {
        final int version = in.u16();
        final int flags = in.u16();
        final int maxFrame = in.u32Max(Integer.MAX_VALUE, "maxFrameBytes");
        final int credits = in.u32Max(Integer.MAX_VALUE, "credits");
        final int handles = in.u32Max(Integer.MAX_VALUE, "maxSeriesHandles");
        final int inFlight = in.u32Max(Integer.MAX_VALUE, "maxInFlightWrites");
        final int idle = in.u32Max(Integer.MAX_VALUE, "idleTimeoutMillis");
        final String server = in.string16(0xFFFF, "server version");
        in.expectEnd();
        if (maxFrame < Protocol.HANDSHAKE_MAX_FRAME_BYTES || credits < 1 || inFlight < 1) {
            throw FrameReader.malformed("WELCOME: limits out of range");
        }
        return new WelcomeFrame(version, flags, maxFrame, credits, handles, inFlight, idle, server);
    }
}
