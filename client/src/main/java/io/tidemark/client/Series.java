package io.tidemark.client;

import io.tidemark.client.protocol.FrameWriter;
import java.util.Map;

/**
 * A series of one {@link TidemarkClient}: its sorted labels and the small integer handle that its samples carry on
 * the wire. Made by {@link SeriesWriter#series}; the same labels give the same {@code Series} for every writer of the
 * client. Keep it and pass it to {@link SeriesWriter#add} for each sample. The client registers it with the server
 * lazily (before the first WRITE that uses it) and again after every reconnection. Immutable and thread-safe, apart
 * from the registration state the client keeps under its send lock.
 */
public final class Series {
    private final SeriesRegistry registry;
    private final int handle;
    private final String[] pairs;
    private final byte[][] utf8;
    private final int encodedBytes;
    private final Map<String, String> labels;
    /** The connection generation this series was last registered on; guarded by the link's send lock. */
    int registeredGeneration = -1;
    private volatile String registrationError;

    Series(final SeriesRegistry registry, final int handle, final LabelSets.Normalized normalized) {
        this.registry = registry;
        this.handle = handle;
        this.pairs = normalized.pairs();
        this.utf8 = normalized.utf8();
        this.encodedBytes = normalized.encodedBytes();
        this.labels = SeriesSamples.labelMap(pairs);
    }

    /** The handle on the wire, unique within its client. */
    public int handle() {
        return handle;
    }

    /** Label names to values, sorted by name, unmodifiable. */
    public Map<String, String> labels() {
        return labels;
    }

    /** The value of label {@code name}, or null. */
    public String label(final String name) {
        return labels.get(name);
    }

    /**
     * Why the server refused to register this series (REGISTERED's message, e.g. an invalid label), or null. Its
     * samples are then refused as {@code UNKNOWN_HANDLE}, which {@link WriteResult#refusals()} reports.
     */
    public String registrationError() {
        return registrationError;
    }

    SeriesRegistry registry() {
        return registry;
    }

    void registrationRefused(final String message) {
        this.registrationError = message;
    }

    /** Bytes of this series' REGISTER entry. */
    int entryBytes() {
        return 4 + encodedBytes;
    }

    /** Writes this series' REGISTER entry: handle and labels. */
    void encodeEntry(final FrameWriter out) {
        out.u32(Integer.toUnsignedLong(handle)).u16(pairs.length / 2);
        for (final byte[] text : utf8) {
            out.bytes16(text);
        }
    }

    @Override
    public String toString() {
        final StringBuilder text = new StringBuilder().append('{');
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(pairs[i]).append("=\"").append(pairs[i + 1]).append('"');
        }
        return text.append("}#").append(handle).toString();
    }
}
