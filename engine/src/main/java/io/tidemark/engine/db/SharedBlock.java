package io.tidemark.engine.db;

import io.tidemark.tiering.block.BlockReader;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A published block and a count of who uses it: one reference for the tenant's block list while the
 * block is in it, one per {@link BlockSnapshot} that holds it. The reader is closed (its files
 * unmapped, its buffers freed) when the last reference goes, on whichever thread drops it: after
 * compaction or retention has taken the block out of the list and every query that took it has
 * finished. A block out of the list cannot be retained again, so no query is handed a closed block.
 * Thread-safe.
 */
final class SharedBlock {
    final BlockReader reader;
    private final AtomicInteger references = new AtomicInteger(1);
    /** Told just before the reader closes (the database drops the block's cached chunks). */
    private final Consumer<BlockReader> onClose;

    SharedBlock(final BlockReader reader, final Consumer<BlockReader> onClose) {
        this.reader = reader;
        this.onClose = onClose;
    }

    /** Takes a reference unless the last one is gone already; returns whether it did. */
    boolean tryRetain() {
        while (true) {
            final int count = references.get();
            if (count == 0) {
                return false;
            }
            if (references.compareAndSet(count, count + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the reader. */
    void release() {
        final int left = references.decrementAndGet();
        if (left == 0) {
            try {
                onClose.accept(reader);
            } finally {
                reader.close();
            }
        } else if (left < 0) {
            throw new IllegalStateException("block released more often than retained: id=" + reader.meta().id());
        }
    }

    /** References now (tests and diagnostics). */
    int references() {
        return references.get();
    }
}
