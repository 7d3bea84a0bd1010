package io.tidemark.bench.wal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Drops the page cache of one directory's files ({@code posix_fadvise(POSIX_FADV_DONTNEED)} after an
 * {@code fdatasync}), so a replay reads from the device, without touching the rest of the machine's cache.
 */
final class PageCache {
    private static final int O_RDONLY = 0;
    private static final int POSIX_FADV_DONTNEED = 4;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = downcall("open",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle FDATASYNC = downcall("fdatasync",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle FADVISE = downcall("posix_fadvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private PageCache() {
    }

    private static MethodHandle downcall(final String name, final FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    /** Evicts every regular file under {@code directory} from the page cache. */
    static void evict(final Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory); Arena arena = Arena.ofConfined()) {
            for (final Path file : files.filter(Files::isRegularFile).toList()) {
                final int fd = (int) OPEN.invokeExact(arena.allocateFrom(file.toString()), O_RDONLY);
                if (fd < 0) {
                    throw new IOException("open failed: " + file);
                }
                final int synced = (int) FDATASYNC.invokeExact(fd);
                final int advised = (int) FADVISE.invokeExact(fd, 0L, 0L, POSIX_FADV_DONTNEED);
                final int closed = (int) CLOSE.invokeExact(fd);
                if (synced != 0 || advised != 0 || closed != 0) {
                    throw new IOException("evicting failed: " + file + " fdatasync=" + synced + " fadvise=" + advised);
                }
            }
        } catch (final IOException | RuntimeException | Error e) {
            throw e;
        } catch (final Throwable t) {
            throw new IOException(t);
        }
    }
}
