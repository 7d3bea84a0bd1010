package io.tidemark.engine.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Names of segment files in a shard's WAL directory: the segment number in 20 zero-padded digits. */
final class SegmentFiles {
    static final String SUFFIX = ".wal";
    static final String TEMPORARY_SUFFIX = ".tmp";
    private static final int DIGITS = 20;

    private SegmentFiles() {
    }

    static String name(final long segment) {
        final String digits = Long.toString(segment);
        return "0".repeat(DIGITS - digits.length()) + digits + SUFFIX;
    }

    static Path path(final Path directory, final long segment) {
        return directory.resolve(name(segment));
    }

    static Path temporaryPath(final Path directory, final long segment) {
        return directory.resolve(name(segment) + TEMPORARY_SUFFIX);
    }

    /** The segment number of a file name, or -1 if it is not a segment's name. */
    static long parse(final String fileName) {
        if (fileName.length() != DIGITS + SUFFIX.length() || !fileName.endsWith(SUFFIX)) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < DIGITS; i++) {
            final char c = fileName.charAt(i);
            if (c < '0' || c > '9' || value > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The segment numbers in {@code directory}, ascending. */
    static long[] list(final Path directory) throws IOException {
        final List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (final Path entry : entries) {
                final long segment = parse(entry.getFileName().toString());
                if (segment >= 0 && Files.isRegularFile(entry)) {
                    found.add(segment);
                }
            }
        }
        final long[] segments = found.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(segments);
        return segments;
    }

    /** Leftovers of a segment creation that did not finish (the process died before the rename). */
    static List<Path> temporaries(final Path directory) throws IOException {
        final List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + SUFFIX + TEMPORARY_SUFFIX)) {
            for (final Path entry : entries) {
                found.add(entry);
            }
        }
        return found;
    }
}
