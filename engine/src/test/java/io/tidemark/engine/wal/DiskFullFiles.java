package io.tidemark.engine.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A no-fsync facade on a pretend file system with {@link #room} bytes left: a write takes what fits
 * and the next one fails as {@code write(2)} does on a full disk, with the system's message; creating
 * a file fails the same way once nothing is left. While {@link #failCreates}, a file is created but
 * the first write to it fails, as when the inode was free and the blocks were not. Forces can be
 * told to fail with the same message ({@link #failForces}), which must stay fatal.
 */
final class DiskFullFiles extends WalTestFiles {
    static final String ENOSPC = "No space left on device";
    static final long UNLIMITED = Long.MAX_VALUE;

    volatile long room = UNLIMITED;
    volatile boolean failCreates;
    volatile boolean failForces;
    volatile int refusedWrites;
    volatile int refusedCreates;
    private final Set<FileChannel> doomed = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    @Override
    public int write(final FileChannel channel, final ByteBuffer source) throws IOException {
        final long left = room;
        if (left <= 0 || doomed.remove(channel)) {
            refusedWrites++;
            throw new IOException(ENOSPC);
        }
        if (left == UNLIMITED) {
            return super.write(channel, source);
        }
        final int limit = source.limit();
        source.limit((int) Math.min(limit, source.position() + left));
        try {
            final int written = super.write(channel, source);
            room = left - written;
            return written;
        } finally {
            source.limit(limit);
        }
    }

    @Override
    public FileChannel create(final Path path) throws IOException {
        if (room <= 0) {
            refusedCreates++;
            throw new FileSystemException(path.toString(), null, ENOSPC);
        }
        final FileChannel created = super.create(path);
        if (failCreates) {
            refusedCreates++;
            doomed.add(created);
        }
        return created;
    }

    @Override
    public void force(final FileChannel channel) throws IOException {
        if (failForces) {
            throw new IOException(ENOSPC);
        }
    }
}
