package io.tidemark.codecs.chunk;

/**
 * The encodings a chunk can have; the id is the chunk's first byte. Ids are persisted: never reuse
 * or renumber one. See {@code docs/format/chunks.md}.
 */
public enum ChunkEncoding {
    /** Delta-of-delta timestamps and XOR values interleaved per sample; appendable. */
    GORILLA(0x01),
    /** Bit-packed timestamp deltas; values as decimal-scaled integers, bit-packed deltas. */
    PACKED_DECIMAL(0x02),
    /** Bit-packed timestamp deltas; values XOR-encoded as in {@link #GORILLA}. */
    PACKED_XOR(0x03),
    /**
     * Bit-packed timestamp deltas; values as integers times a common factor, scaled by a decimal
     * exponent as a quotient (as {@link #PACKED_DECIMAL}) or as a plain product.
     */
    PACKED_SCALED(0x04);

    private final byte id;

    ChunkEncoding(final int id) {
        this.id = (byte) id;
    }

    /** The header byte. */
    public byte id() {
        return id;
    }

    /** The encoding with header byte {@code id}. */
    public static ChunkEncoding fromId(final byte id) {
        return switch (id) {
            case 0x01 -> GORILLA;
            case 0x02 -> PACKED_DECIMAL;
            case 0x03 -> PACKED_XOR;
            case 0x04 -> PACKED_SCALED;
            default -> throw new CorruptChunkException(ChunkLayout.ENCODING_OFFSET,
                "unknown encoding id=0x" + Integer.toHexString(id & 0xFF) + ", expected one of 0x01, 0x02, 0x03, 0x04");
        };
    }
}
