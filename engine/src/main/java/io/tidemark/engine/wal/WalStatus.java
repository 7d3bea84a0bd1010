package io.tidemark.engine.wal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What an operator sees of one shard's WAL directory, read from the files alone (sizes, names, the
 * newest checkpoint's header), so any thread may read it while the writer appends and a checkpoint
 * runs; a file deleted meanwhile is simply not counted.
 *
 * @param directory           the shard's WAL directory
 * @param bytesOnDisk         bytes of every file in it: segments, checkpoints, temporaries
 * @param segments            segment files
 * @param firstSegment        lowest segment number, -1 if none
 * @param lastSegment         highest segment number (the one being written, while a writer is open), -1 if none
 * @param checkpoint          the newest checkpoint's number (the last segment it covers), -1 if none
 * @param checkpointBytes     its size
 * @param lastCheckpointMillis when it was made, ms since the epoch (from its header), -1 if none
 * @param checkpointMinTime   samples older than this (ms) were dropped by it, {@code Long.MIN_VALUE} if none
 * @param checkpointsMade     checkpoints made in this directory so far (from its header), 0 if none
 */
public record WalStatus(Path directory, long bytesOnDisk, int segments, long firstSegment, long lastSegment, long checkpoint,
                        long checkpointBytes, long lastCheckpointMillis, long checkpointMinTime, int checkpointsMade) {
    private static final int ATTEMPTS = 3;

    /**
     * Reads the status of {@code directory}.
     *
     * @throws CorruptWalException if the newest checkpoint's header is damaged
     */
    public static WalStatus read(final Path directory) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return readOnce(directory);
            } catch (final NoSuchFileException e) {
                if (attempt == ATTEMPTS) {
                    throw e; // the newest checkpoint kept vanishing: checkpoints are racing us
                }
            }
        }
    }

    private static WalStatus readOnce(final Path directory) throws IOException {
        long bytes = 0;
        int segments = 0;
        long first = -1;
        long last = -1;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (final Path entry : entries) {
                try {
                    bytes += Files.size(entry);
                } catch (final NoSuchFileException deleted) {
                    continue; // deleted by a checkpoint while we listed
                }
                final long segment = SegmentFiles.parse(entry.getFileName().toString());
                if (segment >= 0) {
                    segments++;
                    first = first < 0 ? segment : Math.min(first, segment);
                    last = Math.max(last, segment);
                }
            }
        }
        final long checkpoint = CheckpointFiles.newest(directory);
        if (checkpoint < 0) {
            return new WalStatus(directory, bytes, segments, first, last, -1, 0, -1, Long.MIN_VALUE, 0);
        }
        final Path path = CheckpointFiles.path(directory, checkpoint);
        final byte[] header = new byte[CheckpointLayout.HEADER_BYTES];
        final long size;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            size = channel.size();
            final ByteBuffer target = ByteBuffer.wrap(header);
            while (target.hasRemaining() && channel.read(target) >= 0) {
                // read until the header is complete or the file ends
            }
        }
        final MemorySegment bytesRead = MemorySegment.ofArray(header).asSlice(0, Math.min(size, header.length));
        final CheckpointHeader parsed = CheckpointHeader.check(path, bytesRead, -1, checkpoint);
        return new WalStatus(directory, bytes, segments, first, last, checkpoint, size, parsed.createdMillis(), parsed.minTime(),
            parsed.number());
    }
}
