package io.tidemark.engine.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Names of checkpoint files in a shard's WAL directory: {@code checkpoint.} and the number of the last
 * segment the checkpoint covers in 20 zero-padded digits; {@code .tmp} appended while it is written.
 */
final class CheckpointFiles {
    static final String PREFIX = "checkpoint.";
    private static final int DIGITS = 20;

    private CheckpointFiles() {
    }

    static String name(final long checkpoint) {
        final String digits = Long.toString(checkpoint);
        return PREFIX + "0".repeat(DIGITS - digits.length()) + digits;
    }

    static Path path(final Path directory, final long checkpoint) {
        return directory.resolve(name(checkpoint));
    }

    static Path temporaryPath(final Path directory, final long checkpoint) {
        return directory.resolve(name(checkpoint) + SegmentFiles.TEMPORARY_SUFFIX);
    }

    /** The checkpoint number of a file name, or -1 if it is not a (complete) checkpoint's name. */
    static long parse(final String fileName) {
        if (fileName.length() != PREFIX.length() + DIGITS || !fileName.startsWith(PREFIX)) {
            return -1;
        }
        long value = 0;
        for (int i = PREFIX.length(); i < fileName.length(); i++) {
            final char c = fileName.charAt(i);
            if (c < '0' || c > '9' || value > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The numbers of the complete checkpoints in {@code directory}, ascending. */
    static long[] list(final Path directory) throws IOException {
        final List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (final Path entry : entries) {
                final long checkpoint = parse(entry.getFileName().toString());
                if (checkpoint >= 0 && Files.isRegularFile(entry)) {
                    found.add(checkpoint);
                }
            }
        }
        final long[] checkpoints = found.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(checkpoints);
        return checkpoints;
    }

    /** The newest complete checkpoint's number, or -1 if there is none. */
    static long newest(final Path directory) throws IOException {
        final long[] checkpoints = list(directory);
        return checkpoints.length == 0 ? -1 : checkpoints[checkpoints.length - 1];
    }

    /** Leftovers of checkpoints whose writing did not finish (the process died before the rename). */
    static List<Path> temporaries(final Path directory) throws IOException {
        final List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, PREFIX + "*" + SegmentFiles.TEMPORARY_SUFFIX)) {
            for (final Path entry : entries) {
                found.add(entry);
            }
        }
        return found;
    }
}
