package io.tidemark.engine.db;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.tiering.block.BlockFileSystem;
import io.tidemark.tiering.block.BlockId;
import io.tidemark.tiering.block.BlockReader;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The {@code deletions} file of a tenant ({@code tenants/<tenant>/deletions}): its {@link Deletions},
 * rewritten whole on every change (temporary file, fsync, rename, directory fsync), so it is always
 * either the old or the new version. Layout (big-endian) in {@code docs/format/deletions.md}:
 * <pre>
 *   u32 magic 0x544D4454 ("TMDT")  u16 version 1  u16 reserved 0  u32 deletion count
 *   per deletion: i64 min time, i64 max time, u16 matcher count,
 *                 per matcher: u8 type (0 =, 1 !=, 2 =~, 3 !~), u16 name length, name (UTF-8),
 *                              u32 value length, value (UTF-8)
 *                 u32 pending block count, per block its 16-byte id (i64 high, i64 low)
 *   u32 CRC-32C of every byte before it
 * </pre>
 */
final class DeletionsFile {
    static final String NAME = "deletions";
    static final int MAGIC = 0x544D4454;
    static final int VERSION = 1;
    private static final int HEADER_BYTES = 12;
    private static final LabelMatcher.Type[] TYPES = LabelMatcher.Type.values();
    private static final System.Logger LOG = System.getLogger(DeletionsFile.class.getName());

    private DeletionsFile() {
    }

    static Path path(final Path dataDirectory, final String tenant) {
        return dataDirectory.resolve("tenants").resolve(tenant).resolve(NAME);
    }

    /**
     * The deletions of the tenant whose file is {@code file}, without what the blocks found on open
     * no longer need (a crash after a rewrite, before the file's); the file is rewritten if so, or
     * left for the next change when that fails.
     */
    static Deletions open(final Path file, final List<BlockReader> blocks, final long sealedThrough) throws IOException {
        final Deletions stored = read(file);
        final Set<BlockId> published = new HashSet<>();
        for (final BlockReader block : blocks) {
            published.add(block.meta().id());
        }
        final Deletions live = stored.retire(published, sealedThrough);
        if (live != stored) {
            try {
                write(BlockFileSystem.DEFAULT, file, live);
            } catch (final IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not rewrite " + file + " without retired deletions; kept as it is", e);
            }
        }
        return live;
    }

    static ByteBuffer encode(final Deletions deletions) {
        final List<byte[]> strings = new ArrayList<>();
        long size = HEADER_BYTES + 4;
        for (final Deletion deletion : deletions.list()) {
            size += 8 + 8 + 2 + 4 + (long) BlockId.BYTES * deletion.pending().size();
            if (deletion.matchers().size() > 0xFFFF) {
                throw new IllegalArgumentException("too many matchers in one deletion: " + deletion.matchers().size());
            }
            for (final LabelMatcher matcher : deletion.matchers()) {
                final byte[] name = matcher.name().getBytes(StandardCharsets.UTF_8);
                final byte[] value = matcher.value().getBytes(StandardCharsets.UTF_8);
                if (name.length > 0xFFFF) {
                    throw new IllegalArgumentException("label name of " + name.length + " bytes in a deletion");
                }
                strings.add(name);
                strings.add(value);
                size += 1 + 2 + name.length + 4 + value.length;
            }
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("deletions take " + size + " bytes, more than a file of them may hold");
        }
        final ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.BIG_ENDIAN);
        out.putInt(MAGIC).putShort((short) VERSION).putShort((short) 0).putInt(deletions.list().size());
        int string = 0;
        for (final Deletion deletion : deletions.list()) {
            out.putLong(deletion.minTime()).putLong(deletion.maxTime()).putShort((short) deletion.matchers().size());
            for (final LabelMatcher matcher : deletion.matchers()) {
                final byte[] name = strings.get(string++);
                final byte[] value = strings.get(string++);
                out.put((byte) matcher.type().ordinal()).putShort((short) name.length).put(name).putInt(value.length).put(value);
            }
            out.putInt(deletion.pending().size());
            for (final BlockId id : deletion.pending().stream().sorted().toList()) {
                out.putLong(id.high()).putLong(id.low());
            }
        }
        final CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.flip();
    }

    /** Writes {@code deletions} as {@code file}, replacing it atomically; durable on return. */
    static void write(final BlockFileSystem files, final Path file, final Deletions deletions) throws IOException {
        final Path temporary = file.resolveSibling(NAME + ".tmp");
        Files.deleteIfExists(temporary);
        try (FileChannel channel = files.create(temporary)) {
            final ByteBuffer bytes = encode(deletions);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            files.sync(channel);
        } catch (final IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (final IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        files.syncDirectory(file.getParent());
    }

    /**
     * The deletions in {@code file}; {@link Deletions#EMPTY} if there is none. A left-over temporary
     * file (a crash before its rename) is deleted: the deletion it held was never acknowledged.
     *
     * @throws IOException naming the file and the offset of the first bad field when it is damaged
     */
    static Deletions read(final Path file) throws IOException {
        Files.deleteIfExists(file.resolveSibling(NAME + ".tmp"));
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (final NoSuchFileException absent) {
            return Deletions.EMPTY;
        }
        return decode(file, bytes);
    }

    static Deletions decode(final Path file, final byte[] bytes) throws IOException {
        final ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        try {
            if (bytes.length < HEADER_BYTES + 4) {
                throw damaged(file, bytes.length, "file of " + bytes.length + " bytes, expected at least " + (HEADER_BYTES + 4));
            }
            final CRC32C crc = new CRC32C();
            crc.update(bytes, 0, bytes.length - 4);
            final int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.BIG_ENDIAN).getInt();
            if (stored != (int) crc.getValue()) {
                throw damaged(file, bytes.length - 4, "CRC32C mismatch: stored 0x" + Integer.toHexString(stored)
                    + ", computed 0x" + Long.toHexString(crc.getValue()));
            }
            final int magic = in.getInt();
            if (magic != MAGIC) {
                throw damaged(file, 0, "magic 0x" + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC));
            }
            final int version = Short.toUnsignedInt(in.getShort());
            if (version != VERSION) {
                throw damaged(file, 4, "format version " + version + ", this build reads version " + VERSION);
            }
            in.getShort();
            final long count = Integer.toUnsignedLong(in.getInt());
            final ByteBuffer body = in.limit(bytes.length - 4);
            final List<Deletion> list = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                final int at = body.position();
                final long minTime = body.getLong();
                final long maxTime = body.getLong();
                final int matcherCount = Short.toUnsignedInt(body.getShort());
                final List<LabelMatcher> matchers = new ArrayList<>(matcherCount);
                for (int m = 0; m < matcherCount; m++) {
                    final int typeAt = body.position();
                    final int type = Byte.toUnsignedInt(body.get());
                    if (type >= TYPES.length) {
                        throw damaged(file, typeAt, "matcher type " + type);
                    }
                    final String name = string(file, body, Short.toUnsignedInt(body.getShort()));
                    final String value = string(file, body, body.getInt());
                    try {
                        matchers.add(LabelMatcher.of(TYPES[type], name, value));
                    } catch (final RuntimeException e) {
                        throw damaged(file, typeAt, "matcher " + name + TYPES[type].operator() + value + ": " + e.getMessage());
                    }
                }
                final int pendingAt = body.position();
                final long pendingCount = Integer.toUnsignedLong(body.getInt());
                if (pendingCount > body.remaining() / BlockId.BYTES) {
                    throw damaged(file, pendingAt, "pending block count " + pendingCount + " runs past the file");
                }
                final Set<BlockId> pending = new HashSet<>();
                for (long p = 0; p < pendingCount; p++) {
                    pending.add(BlockId.of(body.getLong(), body.getLong()));
                }
                if (matchers.isEmpty() || minTime > maxTime) {
                    throw damaged(file, at, "deletion without matchers or with min time " + minTime + " > max time " + maxTime);
                }
                list.add(new Deletion(matchers, minTime, maxTime, pending));
            }
            if (body.hasRemaining()) {
                throw damaged(file, body.position(), body.remaining() + " bytes after the last of " + count + " deletions");
            }
            return new Deletions(list);
        } catch (final BufferUnderflowException e) {
            throw damaged(file, in.position(), "truncated: a field runs past the end");
        }
    }

    private static String string(final Path file, final ByteBuffer body, final int length) throws IOException {
        if (length < 0 || length > body.remaining()) {
            throw damaged(file, body.position(), "string of " + Integer.toUnsignedLong(length) + " bytes runs past the file");
        }
        final String text = new String(body.array(), body.position(), length, StandardCharsets.UTF_8);
        body.position(body.position() + length);
        return text;
    }

    private static IOException damaged(final Path file, final long offset, final String problem) {
        return new IOException("deletions file " + file + " is damaged at offset " + offset + ": " + problem
            + "; to open without it, move it away (the samples it deletes reappear)");
    }
}
