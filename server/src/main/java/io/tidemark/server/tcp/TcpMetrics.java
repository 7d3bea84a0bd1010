package io.tidemark.server.tcp;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the binary protocol, for {@code /metrics}; updated without allocating. */
public final class TcpMetrics {
    final AtomicLong connectionsOpen = new AtomicLong();
    final AtomicLong connectionsAccepted = new AtomicLong();
    final AtomicLong frames = new AtomicLong();
    final AtomicLong samplesReceived = new AtomicLong();
    final AtomicLong samplesRefused = new AtomicLong();
    final AtomicLong writesAcknowledged = new AtomicLong();
    final AtomicLong writesFailed = new AtomicLong();
    final AtomicLong protocolErrors = new AtomicLong();
    final AtomicLong queries = new AtomicLong();
    final AtomicLong lateRefusals = new AtomicLong();
    final AtomicLong internalErrors = new AtomicLong();

    /** Connections open now. */
    public long connectionsOpen() {
        return connectionsOpen.get();
    }

    /** Connections accepted since start. */
    public long connectionsAccepted() {
        return connectionsAccepted.get();
    }

    /** Frames received. */
    public long frames() {
        return frames.get();
    }

    /** Samples received in WRITE frames. */
    public long samplesReceived() {
        return samplesReceived.get();
    }

    /** Samples refused and reported in acknowledgements. */
    public long samplesRefused() {
        return samplesRefused.get();
    }

    /** WRITEs acknowledged. */
    public long writesAcknowledged() {
        return writesAcknowledged.get();
    }

    /** WRITEs answered with ERROR. */
    public long writesFailed() {
        return writesFailed.get();
    }

    /** Connections closed for breaking the protocol. */
    public long protocolErrors() {
        return protocolErrors.get();
    }

    /** QUERY and SELECT requests. */
    public long queries() {
        return queries.get();
    }

    /** Connections closed by an exception of the server's own (not a protocol error, not an I/O error): should stay 0. */
    public long internalErrors() {
        return internalErrors.get();
    }

    /**
     * Refusals that came after their WRITE was acknowledged (only when a full disk held a batch past its applied
     * acknowledgement); counted, not reported to the client.
     */
    public long lateRefusals() {
        return lateRefusals.get();
    }
}
