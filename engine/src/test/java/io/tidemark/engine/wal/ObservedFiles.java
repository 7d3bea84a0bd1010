package io.tidemark.engine.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A no-fsync facade that remembers, at each force of a segment file, the writer's last appended
 * sequence: every record up to it had been written when the force began, so no durable sequence
 * may ever exceed it. Can be told to fail forces.
 */
final class ObservedFiles extends WalTestFiles {
    volatile WalWriter writer;
    volatile long forcedUpTo;
    volatile int forces;
    volatile int writes;
    volatile boolean failForces;

    @Override
    public int write(final FileChannel channel, final ByteBuffer source) throws IOException {
        writes++;
        return super.write(channel, source);
    }

    /**
     * Synchronized: with background sync the syncer forces the data while the writer thread forces a new
     * segment's header, and an unguarded {@code forces++} from both lost counts (a test then saw a durable
     * sequence move "without a force").
     */
    @Override
    public synchronized void force(final FileChannel channel) throws IOException {
        if (writer == null) {
            return; // a new segment's header during open
        }
        if (failForces) {
            throw new IOException("injected fsync failure");
        }
        forces++;
        forcedUpTo = writer.lastSequence();
    }
}
