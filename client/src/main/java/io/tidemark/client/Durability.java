package io.tidemark.client;

import io.tidemark.client.protocol.WriteFrame;

/** When the server acknowledges a WRITE (docs/protocol.md, "WRITE"). */
public enum Durability {
    /** Acknowledged once the samples are visible to queries. */
    APPLIED(WriteFrame.APPLIED),
    /** Acknowledged once the samples are in the write-ahead log, as the server's durability mode says. */
    DURABLE(WriteFrame.DURABLE);

    private final int wire;

    Durability(final int wire) {
        this.wire = wire;
    }

    /** The {@code durability} byte of a WRITE. */
    public int wire() {
        return wire;
    }
}
