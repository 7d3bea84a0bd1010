package io.tidemark.engine.db;

import io.tidemark.tiering.block.BlockReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A tenant's blocks at one moment, each retained until {@link #close()}: while the snapshot is open
 * its readers stay open and mapped even if compaction or retention replaces or deletes them
 * meanwhile. Take one per read ({@link Tidemark#acquireBlocks}) and close it promptly: a block
 * replaced while a snapshot holds it keeps its memory until then. Not thread-safe: one reading
 * thread; {@link #close()} is idempotent.
 */
public final class BlockSnapshot implements AutoCloseable {
    private static final BlockSnapshot EMPTY = new BlockSnapshot(new SharedBlock[0]);

    private final SharedBlock[] blocks;
    private final List<BlockReader> readers;
    private boolean closed;

    BlockSnapshot(final SharedBlock[] blocks) {
        this.blocks = blocks;
        final List<BlockReader> list = new ArrayList<>(blocks.length);
        for (final SharedBlock block : blocks) {
            list.add(block.reader);
        }
        this.readers = Collections.unmodifiableList(list);
    }

    static BlockSnapshot empty() {
        return EMPTY;
    }

    /** The blocks, ordered by min time; valid until {@link #close()}. */
    public List<BlockReader> blocks() {
        return readers;
    }

    /** Releases every block; a block already replaced is closed here if this was its last user. */
    @Override
    public void close() {
        if (closed || blocks.length == 0) {
            return;
        }
        closed = true;
        for (final SharedBlock block : blocks) {
            block.release();
        }
    }
}
