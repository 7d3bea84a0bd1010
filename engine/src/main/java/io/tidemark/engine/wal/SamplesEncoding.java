package io.tidemark.engine.wal;

/**
 * How a SAMPLES record lays out its samples ({@link WalRecordLayout}). A reader reads both; the writer
 * uses the one in its {@link WalConfig}.
 */
public enum SamplesEncoding {
    /**
     * 16 bytes per sample: series u32, time as an i32 delta from the record's base time, value bits.
     * The cheapest to write and read; a batch whose times span more than 2^31 ms is split.
     */
    FIXED_16(1),
    /**
     * Series and time as zigzag varint deltas from the previous sample, then the value bits: about
     * 10 bytes per sample when a batch holds consecutive series scraped at one time, at most 23.
     */
    DELTA_VARINT(2);

    private final byte code;

    SamplesEncoding(final int code) {
        this.code = (byte) code;
    }

    /** The encoding byte of the record. */
    public byte code() {
        return code;
    }

    /** The encoding with this byte, or null if there is none. */
    static SamplesEncoding ofCode(final byte code) {
        return switch (code) {
            case 1 -> FIXED_16;
            case 2 -> DELTA_VARINT;
            default -> null;
        };
    }
}
