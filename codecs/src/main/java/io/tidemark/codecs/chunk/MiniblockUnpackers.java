package io.tidemark.codecs.chunk;

/**
 * Chooses the {@link MiniblockUnpacker}: the Vector API form when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} on a CPU with 512-bit vectors, else the scalar form.
 * {@code -Dtidemark.codecs.vector=false} forces the scalar form. Both decode the same format to the
 * same values; the tests run both.
 */
final class MiniblockUnpackers {
    static final MiniblockUnpacker SCALAR = new ScalarMiniblockUnpacker();
    static final MiniblockUnpacker DEFAULT = choose();

    private MiniblockUnpackers() {
    }

    private static MiniblockUnpacker choose() {
        if (!Boolean.parseBoolean(System.getProperty("tidemark.codecs.vector", "true"))
            || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return SCALAR;
        }
        try {
            // loaded only here, so a JVM without the incubator module never links it
            final MiniblockUnpacker vector = VectorMiniblockUnpacker.createIfFast();
            return vector != null ? vector : SCALAR;
        } catch (final LinkageError e) {
            return SCALAR;
        }
    }

    /** Which form {@link #DEFAULT} is, for benchmark reports. */
    static String describe() {
        return DEFAULT == SCALAR ? "scalar" : "vector512";
    }
}
