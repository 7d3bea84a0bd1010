package io.tidemark.engine.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** A file facade that skips every fsync: for tests about content, not durability, so they run fast. */
class WalTestFiles implements WalFiles {
    static final WalTestFiles NO_SYNC = new WalTestFiles();

    @Override
    public void force(final FileChannel channel) throws IOException {
        // Content tests do not need the device.
    }

    @Override
    public void forceDirectory(final Path directory) throws IOException {
        // Content tests do not need the device.
    }

    @Override
    public void truncate(final Path path, final long bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(path, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(bytes);
        }
    }
}
