package io.tidemark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * File helpers the benchmarks share. A benchmark's data goes to a new directory named
 * {@code <name>-bench-<random>} under {@code --dir} (default: the current directory, a real disk rather
 * than a tmpfs), deleted when the run ends unless {@code --keep true} is given.
 */
public final class BenchFiles {
    private BenchFiles() {
    }

    /** A new, empty run directory {@code <name>-bench-*} under {@code --dir} or the current directory. */
    public static Path newRunDirectory(final BenchOptions options, final String name) throws IOException {
        final Path root = options.has("dir") ? Path.of(options.text("dir", ".")) : Path.of("").toAbsolutePath();
        Files.createDirectories(root);
        return Files.createTempDirectory(root, name + "-bench-");
    }

    /** Deletes {@code directory} and everything under it; nothing if it does not exist. */
    public static void deleteRecursively(final Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Sum of the sizes of the regular files under {@code directory} (apparent bytes); 0 if it does not exist. */
    public static long bytesUnder(final Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return 0;
        }
        long bytes = 0;
        try (Stream<Path> paths = Files.walk(directory)) {
            for (final Path path : paths.filter(Files::isRegularFile).toList()) {
                try {
                    bytes += Files.size(path);
                } catch (final java.nio.file.NoSuchFileException removed) {
                    // a file a running peer deleted between the listing and the size: it takes no space now
                }
            }
        }
        return bytes;
    }

    /** The executable {@code name} in a directory of {@code PATH}, or null. */
    public static Path onPath(final String name) {
        final String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (final String directory : path.split(java.io.File.pathSeparator)) {
            final Path candidate = Path.of(directory, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A TCP port free on 127.0.0.1 now, for a server the bench starts. */
    public static int freeLoopbackPort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
