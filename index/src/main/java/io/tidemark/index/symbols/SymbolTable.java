package io.tidemark.index.symbols;

import io.tidemark.memory.AppendOnlyBlocks;
import io.tidemark.index.storage.IdTable;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Interns label names and values: each distinct UTF-8 byte string gets a dense int id, once.
 *
 * <p>Layout. A symbol's bytes are appended to off-heap blocks (of {@value #BLOCK_BYTES} bytes by default)
 * ({@link AppendOnlyBlocks}, under {@link MemoryTag#INDEX}); they never move and are freed only by
 * {@link #close()}. Ids, their locations (block, offset and length packed in a long) and hashes,
 * and the hash index are an {@link IdTable} on the heap.
 *
 * <p>Threads. {@link #find} and the accessors of an id never lock and never allocate. {@link #intern}
 * takes the table's lock only when the symbol is new: it copies the bytes in, then adds the id,
 * which publishes it (see {@link IdTable}), so a reader that finds the id sees its bytes. Ids are
 * only valid for the table that issued them.
 */
public final class SymbolTable implements AutoCloseable {
    /** Returned by {@link #find} for a symbol that was never interned. */
    public static final int NOT_FOUND = -1;
    /** Longest symbol in bytes; longer names or values are refused. */
    public static final int MAX_SYMBOL_BYTES = 0xFFFF;
    static final int BLOCK_BYTES = 1 << 20;

    private final AppendOnlyBlocks blocks;
    private final IdTable ids = new IdTable();
    private final Object lock = new Object();
    private long bytesOfSymbols;

    public SymbolTable(final NativeAllocator allocator) {
        this(allocator, BLOCK_BYTES);
    }

    /** A table that takes off-heap blocks of {@code blockBytes} (at least 64 KiB, so the longest symbol fits). */
    public SymbolTable(final NativeAllocator allocator, final int blockBytes) {
        if (blockBytes < MAX_SYMBOL_BYTES + 1) {
            throw new IllegalArgumentException("blockBytes must be at least 64 KiB: " + blockBytes);
        }
        this.blocks = new AppendOnlyBlocks(allocator, MemoryTag.INDEX, blockBytes);
    }

    /** The id of the UTF-8 bytes {@code [offset, offset + length)} of {@code bytes}, or {@link #NOT_FOUND}. */
    public int find(final MemorySegment bytes, final long offset, final int length) {
        return find(bytes, offset, length, SymbolHash.hash(bytes, offset, length));
    }

    /** The id of {@code symbol}, or {@link #NOT_FOUND}. Encodes the string: allocates. */
    public int find(final String symbol) {
        final MemorySegment bytes = MemorySegment.ofArray(symbol.getBytes(StandardCharsets.UTF_8));
        return find(bytes, 0, (int) bytes.byteSize());
    }

    private int find(final MemorySegment bytes, final long offset, final int length, final int hash) {
        final long[] slots = ids.slots();
        final int mask = IdTable.slotCount(slots) - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            final long key = IdTable.keyAcquire(slots, slot);
            if (key == 0) {
                return NOT_FOUND;
            }
            if (IdTable.keyHash(key) == hash && equalsAt(IdTable.slotLocation(slots, slot), bytes, offset, length)) {
                return IdTable.keyId(key);
            }
        }
    }

    private boolean equalsAt(final long location, final MemorySegment bytes, final long offset, final int length) {
        if (lengthOf(location) != length) {
            return false;
        }
        final long at = AppendOnlyBlocks.offset(blockLocation(location));
        return MemorySegment.mismatch(blocks.block(blockLocation(location)), at, at + length, bytes, offset, offset + length) == -1;
    }

    /** The id of the given UTF-8 bytes, interning them if new. */
    public int intern(final MemorySegment bytes, final long offset, final int length) {
        if (length < 0 || length > MAX_SYMBOL_BYTES) {
            throw new IllegalArgumentException("symbol length out of range: length=" + length + " max=" + MAX_SYMBOL_BYTES);
        }
        final int hash = SymbolHash.hash(bytes, offset, length);
        final int existing = find(bytes, offset, length, hash);
        if (existing != NOT_FOUND) {
            return existing;
        }
        synchronized (lock) {
            final int raced = find(bytes, offset, length, hash);
            if (raced != NOT_FOUND) {
                return raced;
            }
            final long at = blocks.reserve(length);
            MemorySegment.copy(bytes, offset, blocks.block(at), AppendOnlyBlocks.offset(at), length);
            bytesOfSymbols += length;
            // blocks are 1 MiB, so the offset needs 20 bits and the packing keeps 16 for the length
            return ids.add(hash, at << 16 | length);
        }
    }

    /** The id of {@code symbol}, interning it if new. */
    public int intern(final String symbol) {
        final byte[] utf8 = symbol.getBytes(StandardCharsets.UTF_8);
        return intern(MemorySegment.ofArray(utf8), 0, utf8.length);
    }

    /** Number of symbols. */
    public int size() {
        return ids.size();
    }

    /** The bytes of symbol {@code id}, a slice of the table's memory valid until {@link #close()}. Allocates the slice. */
    public MemorySegment bytes(final int id) {
        final long location = ids.location(ids.check(id, "symbol"));
        return blocks.block(blockLocation(location)).asSlice(AppendOnlyBlocks.offset(blockLocation(location)), lengthOf(location));
    }

    /** Byte length of symbol {@code id}. */
    public int length(final int id) {
        return lengthOf(ids.location(ids.check(id, "symbol")));
    }

    /** Compares symbol {@code id} with the given bytes, without allocating. */
    public boolean equals(final int id, final MemorySegment bytes, final long offset, final int length) {
        return equalsAt(ids.location(ids.check(id, "symbol")), bytes, offset, length);
    }

    /** Unsigned byte-order comparison of two symbols (the order labels sort in), without allocating. */
    public int compare(final int a, final int b) {
        final long la = ids.location(ids.check(a, "symbol"));
        final long lb = ids.location(ids.check(b, "symbol"));
        final MemorySegment sa = blocks.block(blockLocation(la));
        final MemorySegment sb = blocks.block(blockLocation(lb));
        final long oa = AppendOnlyBlocks.offset(blockLocation(la));
        final long ob = AppendOnlyBlocks.offset(blockLocation(lb));
        final int common = Math.min(lengthOf(la), lengthOf(lb));
        for (int i = 0; i < common; i++) {
            final int diff = (sa.get(ValueLayout.JAVA_BYTE, oa + i) & 0xFF) - (sb.get(ValueLayout.JAVA_BYTE, ob + i) & 0xFF);
            if (diff != 0) {
                return diff;
            }
        }
        return Integer.compare(lengthOf(la), lengthOf(lb));
    }

    /** Symbol {@code id} as a string. Allocates. */
    public String string(final int id) {
        return new String(bytes(id).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** Off-heap bytes taken. */
    public long nativeBytes() {
        return blocks.nativeBytes();
    }

    /** Heap bytes of the id arrays and the hash index (not counting object headers). */
    public long heapBytes() {
        return ids.heapBytes();
    }

    /** Bytes of all symbols' text. */
    public long symbolBytes() {
        return bytesOfSymbols;
    }

    private static long blockLocation(final long location) {
        return location >>> 16;
    }

    private static int lengthOf(final long location) {
        return (int) (location & 0xFFFF);
    }

    /** Frees the symbols' memory; ids and slices from this table are invalid afterwards. */
    @Override
    public void close() {
        synchronized (lock) {
            blocks.close();
        }
    }
}
