package io.tidemark.client.protocol;

/**
 * HELLO (0x01): {@code magic[4] minVersion:u16 maxVersion:u16 clientName:str16 tenant:str16 token:str16}.
 *
 * @param minVersion the lowest version the client speaks
 * @param maxVersion the highest
 * @param clientName free text, at most {@link Protocol#MAX_CLIENT_NAME_BYTES}
 * @param tenant     the connection's tenant; empty for {@code default}
 * @param token      the API key; empty for none
 */
public record HelloFrame(int minVersion, int maxVersion, String clientName, String tenant, String token) {
    /** Offset of the magic. */
    public static final int MAGIC = 8;
    /** Offset of {@code minVersion}. */
    public static final int MIN_VERSION = 12;
    /** Offset of {@code maxVersion}. */
    public static final int MAX_VERSION = 14;
    /** Offset of {@code clientName}. */
    public static final int CLIENT_NAME = 16;
    /** Most bytes of a tenant id. */
    public static final int MAX_TENANT_BYTES = 256;

    /** Writes the frame. */
    public void encode(final FrameWriter out) {
        out.begin(MessageType.HELLO).u32(Protocol.MAGIC).u16(minVersion).u16(maxVersion)
            .string16(clientName).string16(tenant).string16(token).end();
    }

    /** Reads the body of a HELLO frame; a wrong magic is {@link ErrorCode#BAD_MAGIC}. */
    public static HelloFrame decode(final FrameReader in) {
        if (in.u32() != Integer.toUnsignedLong(Protocol.MAGIC)) {
            throw new ProtocolException(ErrorCode.BAD_MAGIC, "HELLO: the magic is not TDMK");
        }
        final int min = in.u16();
        final int max = in.u16();
        final String name = in.string16(Protocol.MAX_CLIENT_NAME_BYTES, "client name");
        final String tenant = in.string16(MAX_TENANT_BYTES, "tenant");
        final String token = in.string16(Protocol.MAX_TOKEN_BYTES, "token");
        in.expectEnd();
        return new HelloFrame(min, max, name, tenant, token);
    }
}
