package io.tidemark.codecs.chunk;

/**
 * Chooses the {@link MiniblockUnpacker}: the Vector API form when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} on a CPU with 512-bit vectors, else the scalar form.
 * {@code -Dtidemark.codecs.vector=false} forces the scalar form. Both decode the same format to the
 * same values; the tests run both.
 */
final class MiniblockUnpackers {
    static final MiniblockUnpacker SCALAR = new ScalarMiniblockUnpacker();
    private static final boolean VECTOR = choose();

    private MiniblockUnpackers() {
    }

    /**
     * An unpacker of the chosen form, for one thread: the vector form keeps a scratch group, so each
     * decoder gets its own; the scalar form is stateless and shared.
     */
    static MiniblockUnpacker create() {
        return VECTOR ? new VectorMiniblockUnpacker() : SCALAR;
    }

    private static boolean choose() {
        if (!Boolean.parseBoolean(System.getProperty("tidemark.codecs.vector", "true"))
            || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            // linked only when the module is there, so a JVM without it never loads the class
            return VectorMiniblockUnpacker.isFast();
        } catch (final LinkageError e) {
            return false;
        }
    }

    /** Which form {@link #create()} gives, for benchmark reports. */
    static String describe() {
        return VECTOR ? "vector512" : "scalar";
    }
}
