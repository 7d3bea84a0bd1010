package io.tidemark.engine.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A no-fsync facade that logs every operation as {@code "op file"} and, from operation number
 * {@code crashAt} on, fails every operation: the process "died" there, and what it wrote so far stays,
 * as after a SIGKILL. Thread-safe enough for one checkpoint thread.
 */
final class CrashingFiles extends WalTestFiles {
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Map<FileChannel, String> names = Collections.synchronizedMap(new IdentityHashMap<>());
    private final int crashAt;
    private int operations;

    CrashingFiles(final int crashAt) {
        this.crashAt = crashAt;
    }

    boolean crashed() {
        return operations > crashAt;
    }

    private synchronized void step(final String what) throws IOException {
        if (operations++ >= crashAt) {
            throw new IOException("injected crash at operation " + crashAt + ": " + what);
        }
        log.add(what);
    }

    @Override
    public FileChannel create(final Path path) throws IOException {
        step("create " + path.getFileName());
        final FileChannel channel = super.create(path);
        names.put(channel, path.getFileName().toString());
        return channel;
    }

    @Override
    public int write(final FileChannel channel, final ByteBuffer source) throws IOException {
        step("write " + names.get(channel));
        return super.write(channel, source);
    }

    @Override
    public void force(final FileChannel channel) throws IOException {
        step("force " + names.get(channel));
    }

    @Override
    public void forceDirectory(final Path directory) throws IOException {
        step("forceDirectory");
    }

    @Override
    public void rename(final Path source, final Path target) throws IOException {
        step("rename " + source.getFileName() + " " + target.getFileName());
        super.rename(source, target);
    }

    @Override
    public void delete(final Path path) throws IOException {
        step("delete " + path.getFileName());
        super.delete(path);
    }
}
