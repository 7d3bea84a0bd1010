package io.tidemark.engine.head;

import io.tidemark.codecs.chunk.ChunkLayout;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A snapshot of a {@link HeadShard} written when the database closes cleanly and read when it opens,
 * so the head is rebuilt by copying its chunks instead of appending every sample of the WAL again
 * (Prometheus' {@code memory-snapshot-on-shutdown}). It also holds what the WAL would give besides
 * samples, the labels of the shard's logged series and where the closed writer left off, so the WAL
 * is not read at all. It is only a faster way to the same state: it is
 * used only if the shard's WAL is byte for byte what it was when the snapshot was taken (names and
 * sizes of every file, the <em>fingerprint</em>) and the head is configured the same; otherwise, or
 * if the file is damaged, the WAL is replayed as without it. Layout in {@code docs/format/head-snapshot.md}.
 *
 * <p>A head with an out-of-order window is not snapshotted (its late-sample regions are not written).
 * Shard thread, or a thread that owns the head while no shard thread runs (open and close).
 */
public final class HeadSnapshot {
    static final int MAGIC = 0x544D4853; // "TMHS"
    static final int VERSION = 1;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Bytes of a series entry before its open chunk: slot, four longs, three ints, open chunk length. */
    private static final int SERIES_FIXED_BYTES = 4 + 4 * 8 + 3 * 4 + 4;
    private static final int CLOSED_FIXED_BYTES = 8 + 4;
    private static final int BUFFER_BYTES = 1 << 20;
    /** Offset of the fingerprint's length in the header. */
    private static final int FINGERPRINT_AT = 64;

    private HeadSnapshot() {
    }

    /** The WAL position a closed writer left: the segment and record sequence a new writer starts with. */
    public record WalPosition(long nextSegment, long nextSequence) {
    }

    /** The series a snapshot holds: {@code count} ids and, for each, its canonical label bytes. */
    public interface Series {
        /** Number of series. */
        int count();

        /** Id of series {@code i}. */
        int id(int i);

        /** Canonical label bytes of series {@code i}. */
        MemorySegment labels(int i);
    }

    /** What a {@link #read} found, and the WAL position when it restored the head. */
    public record Result(Outcome outcome, WalPosition position) {
    }

    /** What a {@link #read} found. */
    public enum Outcome {
        /** The head was rebuilt from the snapshot: replay the WAL's series, not its samples. */
        RESTORED,
        /** No snapshot. */
        ABSENT,
        /** A snapshot of another WAL or another head configuration: ignored. */
        STALE,
        /** A damaged snapshot: ignored (logged). */
        DAMAGED
    }

    /**
     * The fingerprint of a shard's WAL directory: every file below it with its size, sorted. A WAL
     * that has been written to, cut, checkpointed or truncated since has another one.
     */
    public static byte[] fingerprint(final Path walDirectory) throws IOException {
        final List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(walDirectory)) {
            for (final Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    lines.add(walDirectory.relativize(file).toString().replace('\\', '/') + ' ' + Files.size(file));
                }
            }
        }
        lines.sort(null);
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code head} to {@code file} (a temporary name, fsync, rename): returns false, writing
     * nothing, when the head has an out-of-order window.
     */
    public static boolean write(final HeadShard head, final Path file, final byte[] fingerprint, final WalPosition position,
                                final Series series) throws IOException {
        if (head.outOfOrderWindowMillis() > 0) {
            return false;
        }
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
            final Output out = new Output(channel);
            out.putInt(MAGIC).putShort(VERSION).putShort(0);
            out.putInt(head.regions().maxRegionBytes()).putInt(head.maxSamplesPerChunk()).putLong(head.chunkWindowMillis());
            out.putLong(head.minValidTime()).putLong(head.minTime()).putLong(head.maxTime());
            out.putLong(position.nextSegment()).putLong(position.nextSequence());
            out.putInt(fingerprint.length).put(MemorySegment.ofArray(fingerprint), 0, fingerprint.length);
            out.putInt(series.count());
            for (int i = 0; i < series.count(); i++) {
                final MemorySegment labels = series.labels(i);
                out.putInt(series.id(i)).putInt((int) labels.byteSize()).put(labels, 0, labels.byteSize());
            }
            final SeriesStates states = head.states();
            final int limit = states.slotLimit();
            int withData = 0;
            for (int slot = 0; slot < limit; slot++) {
                final MemorySegment page = states.page(slot);
                withData += page != null && hasData(page, SeriesStates.offset(slot)) ? 1 : 0;
            }
            out.putInt(withData);
            long[] refs = new long[16];
            for (int slot = 0; slot < limit; slot++) {
                final MemorySegment page = states.page(slot);
                final long at = SeriesStates.offset(slot);
                if (page == null || !hasData(page, at)) {
                    continue;
                }
                out.putInt(slot).putLong(page.get(ValueLayout.JAVA_LONG, at + SeriesStates.LAST_TIMESTAMP))
                    .putLong(page.get(ValueLayout.JAVA_LONG, at + SeriesStates.LAST_VALUE))
                    .putLong(page.get(ValueLayout.JAVA_LONG, at + SeriesStates.CHUNK_WINDOW_END))
                    .putLong(page.get(ValueLayout.JAVA_LONG, at + SeriesStates.PREVIOUS_DELTA))
                    .putInt(page.get(ValueLayout.JAVA_INT, at + SeriesStates.OPEN_COUNT))
                    .putInt(page.get(ValueLayout.JAVA_INT, at + SeriesStates.BIT_LENGTH))
                    .putInt(page.get(ValueLayout.JAVA_INT, at + SeriesStates.WINDOW));
                final int region = page.get(ValueLayout.JAVA_INT, at + SeriesStates.OPEN_CHUNK);
                if (region == SeriesStates.NO_CHUNK) {
                    out.putInt(0);
                } else {
                    final int length = (int) (ChunkLayout.HEADER_BYTES
                        + (Integer.toUnsignedLong(page.get(ValueLayout.JAVA_INT, at + SeriesStates.BIT_LENGTH)) + 7) / 8);
                    out.putInt(length).put(head.regions().page(region), ChunkRegions.offset(region), length);
                }
                int count = 0;
                for (long ref = page.get(ValueLayout.JAVA_LONG, at + SeriesStates.NEWEST_CLOSED); ref != SeriesStates.NO_CHUNK_REF;
                     ref = head.closed().block(ref).get(ValueLayout.JAVA_LONG, ClosedChunks.offset(ref) + HeadShard.CLOSED_OLDER)) {
                    if (count == refs.length) {
                        refs = java.util.Arrays.copyOf(refs, 2 * count);
                    }
                    refs[count++] = ref;
                }
                out.putInt(count);
                for (int i = count - 1; i >= 0; i--) { // oldest first
                    final MemorySegment block = head.closed().block(refs[i]);
                    final long chunkAt = ClosedChunks.offset(refs[i]);
                    final int length = block.get(ValueLayout.JAVA_INT_UNALIGNED, chunkAt + HeadShard.CLOSED_LENGTH);
                    out.putLong(block.get(ValueLayout.JAVA_LONG, chunkAt + HeadShard.CLOSED_MAX_TIME)).putInt(length)
                        .put(block, chunkAt + HeadShard.CLOSED_HEADER_BYTES, length);
                }
            }
            out.finish();
            channel.force(true);
        } catch (final IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
        return true;
    }

    private static boolean hasData(final MemorySegment page, final long at) {
        return page.get(ValueLayout.JAVA_LONG, at + SeriesStates.LAST_TIMESTAMP) != SeriesStates.NO_SAMPLE
            || page.get(ValueLayout.JAVA_LONG, at + SeriesStates.NEWEST_CLOSED) != SeriesStates.NO_CHUNK_REF;
    }

    /**
     * Rebuilds the empty {@code head} from {@code file} if the snapshot belongs to a WAL with this
     * {@code fingerprint} and to a head configured as this one, and puts the snapshot's series (id to
     * canonical label bytes) into {@code series}. The whole file is checked (CRC32C, then every length)
     * before anything is touched, so a head is either rebuilt whole or left empty.
     */
    public static Result read(final HeadShard head, final Path file, final byte[] fingerprint,
                              final java.util.Map<Integer, byte[]> series) throws IOException {
        final FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (final NoSuchFileException absent) {
            return new Result(Outcome.ABSENT, null);
        }
        try (channel; Arena arena = Arena.ofConfined()) {
            final MemorySegment bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            final String problem = check(bytes, head.regions().maxRegionBytes());
            if (problem != null) {
                System.getLogger(HeadSnapshot.class.getName()).log(System.Logger.Level.WARNING,
                    "head snapshot " + file + " is damaged (" + problem + "); the WAL is replayed instead");
                return new Result(Outcome.DAMAGED, null);
            }
            final int fingerprintLength = bytes.get(U32, FINGERPRINT_AT);
            if (bytes.get(U32, 8) != head.regions().maxRegionBytes() || bytes.get(U32, 12) != head.maxSamplesPerChunk()
                || bytes.get(I64, 16) != head.chunkWindowMillis() || head.outOfOrderWindowMillis() > 0
                || fingerprintLength != fingerprint.length
                || bytes.asSlice(FINGERPRINT_AT + 4, fingerprintLength).mismatch(MemorySegment.ofArray(fingerprint)) != -1) {
                return new Result(Outcome.STALE, null);
            }
            long at = FINGERPRINT_AT + 4 + fingerprintLength;
            final long count = Integer.toUnsignedLong(bytes.get(U32, at));
            at += 4;
            for (long i = 0; i < count; i++) {
                final int length = bytes.get(U32, at + 4);
                series.put(bytes.get(U32, at), bytes.asSlice(at + 8, length).toArray(ValueLayout.JAVA_BYTE));
                at += 8 + length;
            }
            restore(head, bytes, at);
            return new Result(Outcome.RESTORED, new WalPosition(bytes.get(I64, 48), bytes.get(I64, 56)));
        }
    }

    /** Null if the snapshot is whole and well-formed, else what is wrong and where. */
    private static String check(final MemorySegment bytes, final int maxRegionBytes) {
        final long size = bytes.byteSize();
        if (size < FINGERPRINT_AT + 16) {
            return "file of " + size + " bytes";
        }
        final CRC32C crc = new CRC32C();
        for (long at = 0; at < size - 4; at += 1 << 30) {
            crc.update(bytes.asSlice(at, Math.min(1L << 30, size - 4 - at)).asByteBuffer());
        }
        if (bytes.get(U32, size - 4) != (int) crc.getValue()) {
            return "CRC32C mismatch at offset " + (size - 4);
        }
        if (bytes.get(U32, 0) != MAGIC || Short.toUnsignedInt(bytes.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 4))
            != VERSION) {
            return "magic or version at offset 0";
        }
        final long end = size - 4;
        long at = FINGERPRINT_AT + 4 + Integer.toUnsignedLong(bytes.get(U32, FINGERPRINT_AT));
        if (at + 4 > end) {
            return "fingerprint runs past the end";
        }
        final long labelled = Integer.toUnsignedLong(bytes.get(U32, at));
        at += 4;
        for (long i = 0; i < labelled; i++) {
            if (at + 8 > end || bytes.get(U32, at) < 0) {
                return "series labels " + i + " at offset " + at;
            }
            final long length = Integer.toUnsignedLong(bytes.get(U32, at + 4));
            at += 8;
            if (length > end - at || length > 16 << 20) {
                return "labels of " + length + " bytes at offset " + at;
            }
            at += length;
        }
        if (at + 4 > end) {
            return "series count runs past the end";
        }
        final long series = Integer.toUnsignedLong(bytes.get(U32, at));
        at += 4;
        for (long s = 0; s < series; s++) {
            if (at + SERIES_FIXED_BYTES > end || bytes.get(U32, at) < 0) {
                return "series " + s + " at offset " + at;
            }
            final long open = Integer.toUnsignedLong(bytes.get(U32, at + SERIES_FIXED_BYTES - 4));
            at += SERIES_FIXED_BYTES;
            if (open > maxRegionBytes || at + open + 4 > end || open != 0 && open < ChunkLayout.HEADER_BYTES) {
                return "open chunk of " + open + " bytes at offset " + at;
            }
            at += open;
            final long closed = Integer.toUnsignedLong(bytes.get(U32, at));
            at += 4;
            for (long c = 0; c < closed; c++) {
                if (at + CLOSED_FIXED_BYTES > end) {
                    return "closed chunk " + c + " at offset " + at;
                }
                final long length = Integer.toUnsignedLong(bytes.get(U32, at + 8));
                at += CLOSED_FIXED_BYTES;
                if (length < ChunkLayout.HEADER_BYTES + 8 || length > Integer.MAX_VALUE / 2 || at + length > end) {
                    return "closed chunk of " + length + " bytes at offset " + at;
                }
                at += length;
            }
        }
        return at == end ? null : (end - at) + " bytes after the last series";
    }

    private static void restore(final HeadShard head, final MemorySegment bytes, final long start) {
        final SeriesStates states = head.states();
        final ChunkRegions regions = head.regions();
        final ClosedChunks closed = head.closed();
        long closedBytes = 0;
        long chunks = 0;
        final long series = Integer.toUnsignedLong(bytes.get(U32, start));
        long at = start + 4;
        for (long s = 0; s < series; s++) {
            final int slot = bytes.get(U32, at);
            final MemorySegment page = states.ensure(slot);
            final long record = SeriesStates.offset(slot);
            page.set(ValueLayout.JAVA_LONG, record + SeriesStates.LAST_TIMESTAMP, bytes.get(I64, at + 4));
            page.set(ValueLayout.JAVA_LONG, record + SeriesStates.LAST_VALUE, bytes.get(I64, at + 12));
            page.set(ValueLayout.JAVA_LONG, record + SeriesStates.CHUNK_WINDOW_END, bytes.get(I64, at + 20));
            page.set(ValueLayout.JAVA_LONG, record + SeriesStates.PREVIOUS_DELTA, bytes.get(I64, at + 28));
            page.set(ValueLayout.JAVA_INT, record + SeriesStates.OPEN_COUNT, bytes.get(U32, at + 36));
            page.set(ValueLayout.JAVA_INT, record + SeriesStates.BIT_LENGTH, bytes.get(U32, at + 40));
            page.set(ValueLayout.JAVA_INT, record + SeriesStates.WINDOW, bytes.get(U32, at + 44));
            final int open = bytes.get(U32, at + 48);
            at += SERIES_FIXED_BYTES;
            if (open > 0) {
                final int region = regions.allocate(regions.classFor(open));
                MemorySegment.copy(bytes, at, regions.page(region), ChunkRegions.offset(region), open);
                page.set(ValueLayout.JAVA_INT, record + SeriesStates.OPEN_CHUNK, region);
                at += open;
            }
            final int count = bytes.get(U32, at);
            at += 4;
            long older = SeriesStates.NO_CHUNK_REF;
            for (int c = 0; c < count; c++) {
                final long maxTime = bytes.get(I64, at);
                final int length = bytes.get(U32, at + 8);
                at += CLOSED_FIXED_BYTES;
                final long first = bytes.get(HeadShard.FIRST_TIMESTAMP, at + ChunkLayout.HEADER_BYTES);
                final long ref = closed.reserve(head.windowEnd(first), HeadShard.CLOSED_HEADER_BYTES + length);
                final MemorySegment block = closed.block(ref);
                final long to = ClosedChunks.offset(ref);
                block.set(ValueLayout.JAVA_LONG, to + HeadShard.CLOSED_OLDER, older);
                block.set(ValueLayout.JAVA_LONG, to + HeadShard.CLOSED_MAX_TIME, maxTime);
                block.set(ValueLayout.JAVA_INT_UNALIGNED, to + HeadShard.CLOSED_LENGTH, length);
                MemorySegment.copy(bytes, at, block, to + HeadShard.CLOSED_HEADER_BYTES, length);
                at += length;
                older = ref;
                closedBytes += HeadShard.CLOSED_HEADER_BYTES + length;
            }
            page.set(ValueLayout.JAVA_INT, record + SeriesStates.CLOSED_COUNT, count);
            SeriesStates.setLongRelease(page, record + SeriesStates.NEWEST_CLOSED, older);
            chunks += count;
        }
        head.restored(bytes.get(I64, 24), bytes.get(I64, 32), bytes.get(I64, 40), closedBytes, chunks);
    }

    /** Buffered big-endian output with a running CRC32C, written out in 1 MiB pieces. */
    private static final class Output {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.BIG_ENDIAN);
        private final MemorySegment segment = MemorySegment.ofBuffer(buffer);
        private final CRC32C crc = new CRC32C();

        Output(final FileChannel channel) {
            this.channel = channel;
        }

        Output putInt(final int value) throws IOException {
            room(4);
            buffer.putInt(value);
            return this;
        }

        Output putShort(final int value) throws IOException {
            room(2);
            buffer.putShort((short) value);
            return this;
        }

        Output putLong(final long value) throws IOException {
            room(8);
            buffer.putLong(value);
            return this;
        }

        Output put(final MemorySegment source, final long offset, final long length) throws IOException {
            long done = 0;
            while (done < length) {
                if (!buffer.hasRemaining()) {
                    flush();
                }
                final int piece = (int) Math.min(length - done, buffer.remaining());
                MemorySegment.copy(source, offset + done, segment, buffer.position(), piece);
                buffer.position(buffer.position() + piece);
                done += piece;
            }
            return this;
        }

        private void room(final int bytes) throws IOException {
            if (buffer.remaining() < bytes) {
                flush();
            }
        }

        private void flush() throws IOException {
            buffer.flip();
            crc.update(buffer.duplicate());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        void finish() throws IOException {
            flush();
            buffer.putInt((int) crc.getValue()).flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }
}
