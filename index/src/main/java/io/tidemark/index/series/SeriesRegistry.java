package io.tidemark.index.series;

import io.tidemark.index.symbols.SymbolTable;
import io.tidemark.memory.AppendOnlyBlocks;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntConsumer;

/**
 * Maps label sets to dense, stable series ids (0, 1, 2, ...) and back.
 *
 * <p>Layout. A series is a record in off-heap blocks ({@link AppendOnlyBlocks}, under
 * {@link MemoryTag#INDEX}): its id, its length and its canonical label bytes
 * ({@link SeriesRecordLayout}), so that finding a series compares one contiguous run of bytes instead
 * of looking up a symbol per label. Every name and value is also interned in the registry's
 * {@link SymbolTable}, for its owner's postings; the symbol of a label is found from the record.
 * The hash index (one long per slot: hash and record reference), the record reference of each id
 * and the removed bits are a {@link SeriesHashTable} on the heap.
 *
 * <p>Threads. Finding an existing series ({@link #find}) never locks and never allocates: one hash
 * over the canonical bytes ({@link LabelSetHash}), a probe that skips slots of another hash without
 * reading their records, and one comparison with the record's bytes, whose first cache line also
 * holds the id. A random lookup among many series thus takes two dependent cache misses (the slot,
 * then the record); that is the floor for a hash index that checks what it finds. Creating a series
 * takes the registry's {@link #writeLock()}; two threads creating the same label set get the same
 * id. Under the lock the record is written, then its slot is published (release), the creation
 * callback runs (the owner adds the series to its postings there), and only then is the id made
 * visible by a release store of the visible-id watermark; {@link #find} returns only ids below the
 * watermark, so a reader that sees an id sees the whole series and everything the callback built
 * for it.
 *
 * <p>Removal. {@link #remove} (under the write lock) hides a series from {@link #find} at once; a
 * later {@link #getOrCreate} of the same labels makes a new id, on the removed id's shard when the
 * registry knows the shard count, and that id takes over the removed one's hash slot. Ids are never
 * reused, and the record of a removed series stays readable through {@link #labels(int)} until the
 * registry is closed, so readers holding the id are never cut off. What a removed series costs
 * until restart: its record, 4 bytes of per-id arrays and its hash slot (8 bytes, at most half the
 * table full) while its label set is not created again.
 */
public final class SeriesRegistry implements AutoCloseable {
    /** Returned by {@link #find} for a label set with no series. */
    public static final int NOT_FOUND = -1;
    static final int BLOCK_BYTES = 1 << 20;
    private static final IntConsumer NOTHING = id -> { };
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final long REF_MASK = 0xFFFF_FFFFL;
    private static final int LINE_BYTES = 64;
    /** Wrong guesses in a row after which {@link #findAll} hashes the rest of a request. */
    private static final int GUESSES_MISSED_BEFORE_HASHING = 2;

    private final SymbolTable symbols;
    private final AppendOnlyBlocks records;
    private final SeriesHashTable ids = new SeriesHashTable();
    private final Object lock = new Object();
    private final IntConsumer onCreate;
    /** A label set created again after its removal gets an id congruent to the removed one modulo this. */
    private final int shards;
    /** A record reference is {@code (block << offsetBits | offset / 8) + 1}: 32 bits name 32 GiB of records. */
    private final int offsetBits;
    private final long offsetMask;
    /** Ids below this are fully built; written with release semantics under the lock. */
    private volatile int visible;

    /** A registry that does nothing more when it creates a series. */
    public SeriesRegistry(final NativeAllocator allocator, final SymbolTable symbols) {
        this(allocator, symbols, BLOCK_BYTES, NOTHING);
    }

    /**
     * @param blockBytes bytes of each off-heap block of records; a label set whose record is larger is refused
     * @param onCreate   called with each new id under the {@link #writeLock()}, after the record is
     *                   readable and before the id is visible to {@link #find}
     */
    public SeriesRegistry(final NativeAllocator allocator, final SymbolTable symbols, final int blockBytes,
                          final IntConsumer onCreate) {
        this(allocator, symbols, blockBytes, onCreate, 1);
    }

    /**
     * As above, for an owner that routes series {@code id} to shard {@code id % shards}: a label set
     * created again after its removal gets the next id on the removed one's shard (the ids skipped
     * are reserved as removed, as on restore), so that a writer still holding the old id and the
     * shard that resolves it again agree on where the series lives.
     */
    public SeriesRegistry(final NativeAllocator allocator, final SymbolTable symbols, final int blockBytes,
                          final IntConsumer onCreate, final int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1: " + shards);
        }
        this.shards = shards;
        this.records = new AppendOnlyBlocks(allocator, MemoryTag.INDEX, blockBytes);
        this.symbols = symbols;
        this.onCreate = onCreate;
        this.offsetBits = Integer.SIZE - Integer.numberOfLeadingZeros(Math.max(1, blockBytes / SeriesRecordLayout.ALIGNMENT) - 1);
        this.offsetMask = (1L << offsetBits) - 1;
    }

    /** The lock every creation and removal holds; owners hold it to change what they keep per series. */
    public Object writeLock() {
        return lock;
    }

    /** The symbols of this registry's records. */
    public SymbolTable symbols() {
        return symbols;
    }

    /** The id of the series whose canonical label bytes are {@code [offset, offset + length)}, or {@link #NOT_FOUND}. */
    public int find(final MemorySegment labels, final long offset, final int length) {
        return find(labels, offset, length, LabelSetHash.hash(labels, offset, length));
    }

    private int find(final MemorySegment labels, final long offset, final int length, final int hash) {
        final long[] slots = ids.slots();
        final int mask = slots.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            final long key = SeriesHashTable.keyAcquire(slots, slot);
            if (key == 0) {
                return NOT_FOUND;
            }
            if (SeriesHashTable.keyHash(key) == hash) {
                final int ref = SeriesHashTable.keyRef(key);
                final MemorySegment block = recordBlockOf(ref);
                final long at = recordAt(ref);
                if (recordEquals(block, at, labels, offset, length)) {
                    final int id = block.get(SeriesRecordLayout.ID, at + SeriesRecordLayout.ID_OFFSET);
                    // A removed series is passed over: the same labels may have a newer id further on.
                    if (!ids.isRemoved(id)) {
                        // An id at or above the watermark is being created: its creator holds the lock, getOrCreate waits for it.
                        return id < visible ? id : NOT_FOUND;
                    }
                }
            }
        }
    }

    /**
     * The id of the series with these canonical label bytes, or {@link #NOT_FOUND}, trying series
     * {@code expectedId} first: if its record holds these bytes, no hash is computed and no slot is
     * read. For callers that know the likely answer, as a scrape does: its series come in the same
     * order every time and were mostly created together, so the previous answer plus one is usually
     * right, and that record sits next to the previous one in memory. A wrong guess costs one more
     * record read (a cache miss if the record is cold) before the ordinary {@link #find}. Lock-free,
     * allocates nothing; any {@code expectedId} is allowed.
     */
    public int findExpected(final MemorySegment labels, final long offset, final int length, final int expectedId) {
        return isSeries(expectedId, visible, labels, offset, length) ? expectedId : find(labels, offset, length);
    }

    /**
     * True if {@code id} is below {@code limit} (a value of the watermark read by the caller), not
     * removed, and its record holds these canonical bytes. Reads no hash slot.
     */
    private boolean isSeries(final int id, final int limit, final MemorySegment labels, final long offset, final int length) {
        if (id < 0 || id >= limit) {
            return false;
        }
        final int ref = ids.ref(id); // written before the release store of the watermark that the caller acquired
        return ref != 0 && recordEquals(recordBlockOf(ref), recordAt(ref), labels, offset, length) && !ids.isRemoved(id);
    }

    /**
     * Finds {@code count} label sets at once, for a request's worth of series: {@code ids[i]} becomes
     * the id of the canonical bytes at {@code offsets[i]} (length {@code lengths[i]}), or
     * {@link #NOT_FOUND}. Same answers as {@link #find}. Lock-free; allocates nothing
     * ({@code scratch} holds at least {@code 2 * count + 1} ints).
     *
     * <p>Two ways, both to spare cache misses on a large index. First, in order, each set is compared
     * with the series that would follow the last one found if ids ran on (the first set is found by
     * {@link #find}): a request of a scrape's series, in the order they were created, is resolved
     * here, reading records that lie one after another and no hash slot. A wrong guess costs one
     * record read near the last one found; after {@value #GUESSES_MISSED_BEFORE_HASHING} wrong
     * guesses in a row the rest of the request goes the second way. Second, the sets left are
     * hashed, then every set's first hash slot is loaded, then every cache line of the record that
     * the first slot of the set's hash along the probe names (found among slots now in cache), each
     * in a tight loop of independent loads, so that the CPU overlaps their cache misses instead of
     * taking them one after another; the probes that follow find everything in cache.
     */
    public void findAll(final MemorySegment labels, final long[] offsets, final int[] lengths, final int count,
                        final int[] found, final int[] scratch) {
        if (count == 0) {
            scratch[0] = 0;
            return;
        }
        final int limit = visible;
        found[0] = find(labels, offsets[0], lengths[0]);
        int knownId = found[0];
        int knownAt = 0;
        int missed = knownId == NOT_FOUND ? GUESSES_MISSED_BEFORE_HASHING : 0;
        int pending = 0;
        for (int i = 1; i < count; i++) {
            if (missed < GUESSES_MISSED_BEFORE_HASHING) {
                final int guess = knownId + (i - knownAt);
                if (isSeries(guess, limit, labels, offsets[i], lengths[i])) {
                    found[i] = guess;
                    knownId = guess;
                    knownAt = i;
                    missed = 0;
                    continue;
                }
                missed++;
            }
            scratch[pending++] = i; // the indexes of the sets left for hashing
        }
        final long[] slots = ids.slots();
        final int mask = slots.length - 1;
        for (int p = 0; p < pending; p++) {
            final int i = scratch[p];
            found[i] = LabelSetHash.hash(labels, offsets[i], lengths[i]); // found[i] holds the hash until the probe
        }
        long touched = 0;
        for (int p = 0; p < pending; p++) {
            touched += SeriesHashTable.keyAcquire(slots, found[scratch[p]] & mask);
        }
        for (int p = 0; p < pending; p++) { // the first slots are in cache now
            scratch[count + p] = candidateRef(slots, mask, found[scratch[p]]);
        }
        for (int p = 0; p < pending; p++) {
            final int ref = scratch[count + p];
            if (ref != 0) {
                final MemorySegment block = recordBlockOf(ref);
                final long at = recordAt(ref);
                // every line of the record, up to where its last byte would be if it matches
                final long last = Math.min(at + SeriesRecordLayout.BYTES_OFFSET + lengths[scratch[p]], block.byteSize()) - 1;
                touched += block.get(ValueLayout.JAVA_BYTE, last);
                for (long line = at; line < last; line += LINE_BYTES) {
                    touched += block.get(ValueLayout.JAVA_BYTE, line);
                }
            }
        }
        for (int p = 0; p < pending; p++) {
            final int i = scratch[p];
            found[i] = find(labels, offsets[i], lengths[i], found[i]);
        }
        scratch[2 * count] = (int) touched; // keeps the touching loads from being optimised away
    }

    /**
     * The record reference in the first slot along {@code hash}'s probe that holds that hash (the record
     * {@link #find} compares first), or 0. With up to half the slots in use, many a first slot holds another hash.
     */
    private static int candidateRef(final long[] slots, final int mask, final int hash) {
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            final long key = SeriesHashTable.keyAcquire(slots, slot);
            if (key == 0) {
                return 0;
            }
            if (SeriesHashTable.keyHash(key) == hash) {
                return SeriesHashTable.keyRef(key);
            }
        }
    }

    /** The block of the record that {@code ref} (not 0) names. */
    private MemorySegment recordBlockOf(final int ref) {
        return records.block(((ref & REF_MASK) - 1) >>> offsetBits << 32);
    }

    /** Where the record that {@code ref} (not 0) names starts in its block. */
    private long recordAt(final int ref) {
        return (((ref & REF_MASK) - 1) & offsetMask) * SeriesRecordLayout.ALIGNMENT;
    }

    /**
     * Compares the record at {@code at} with canonical bytes: the length, then eight bytes at a time,
     * the last word overlapping the one before it, differences or'ed together without a branch per word.
     */
    private static boolean recordEquals(final MemorySegment block, final long at, final MemorySegment labels,
                                        final long offset, final int length) {
        if (block.get(SeriesRecordLayout.LENGTH, at + SeriesRecordLayout.LENGTH_OFFSET) != length) {
            return false;
        }
        final long from = at + SeriesRecordLayout.BYTES_OFFSET;
        if (length < Long.BYTES) {
            return MemorySegment.mismatch(block, from, from + length, labels, offset, offset + length) == -1;
        }
        long difference = block.get(WORD, from + length - Long.BYTES) ^ labels.get(WORD, offset + length - Long.BYTES);
        for (int i = 0; i + Long.BYTES <= length; i += Long.BYTES) {
            difference |= block.get(WORD, from + i) ^ labels.get(WORD, offset + i);
        }
        return difference == 0;
    }

    /**
     * The id of the series with these canonical label bytes, created if new.
     *
     * @throws IllegalArgumentException if the bytes are not a valid canonical label set
     */
    public int getOrCreate(final MemorySegment labels, final long offset, final int length) {
        final int hash = LabelSetHash.hash(labels, offset, length);
        final int existing = find(labels, offset, length, hash);
        if (existing != NOT_FOUND) {
            return existing;
        }
        validate(labels, offset, length);
        synchronized (lock) {
            final int raced = find(labels, offset, length, hash);
            if (raced != NOT_FOUND) {
                return raced;
            }
            final int removedSlot = removedSlot(labels, offset, length, hash);
            if (removedSlot >= 0) {
                final int removedId = idOfSlot(removedSlot);
                while (ids.size() % shards != removedId % shards) {
                    visible = ids.addPlaceholder() + 1;
                }
            }
            return announce(add(labels, offset, length, hash, removedSlot));
        }
    }

    /**
     * Recreates, after a restart, the series that had id {@code id}: ids between the last one and
     * this one are reserved as removed (series created but never logged), then the labels get
     * exactly {@code id}. Ids must come in increasing order, before any other creation.
     *
     * @throws IllegalArgumentException if {@code id} is below the next id, or the labels already have a series
     */
    public int restore(final int id, final MemorySegment labels, final long offset, final int length) {
        validate(labels, offset, length);
        final int hash = LabelSetHash.hash(labels, offset, length);
        synchronized (lock) {
            if (id < ids.size()) {
                throw new IllegalArgumentException("series ids must be restored in increasing order: id=" + id + " next=" + ids.size());
            }
            if (find(labels, offset, length, hash) != NOT_FOUND) {
                throw new IllegalArgumentException("labels restored twice, the second time as id " + id);
            }
            while (ids.size() < id) {
                visible = ids.addPlaceholder() + 1;
            }
            return announce(add(labels, offset, length, hash, -1));
        }
    }

    /**
     * Runs the creation callback for the new {@code id} (under the lock), then makes the id visible: a volatile write
     * that publishes the series and what the callback built. If the callback throws, the id is removed instead.
     */
    private int announce(final int id) {
        try {
            onCreate.accept(id);
        } catch (final RuntimeException | Error failure) {
            ids.remove(id);
            visible = id + 1;
            throw failure;
        }
        visible = id + 1;
        return id;
    }

    /** The id of the series with these labels, created if new. Allocates. */
    public int getOrCreate(final LabelSet labels) {
        final MemorySegment bytes = labels.encode();
        return getOrCreate(bytes, 0, (int) bytes.byteSize());
    }

    /** The id of the series with these labels, or {@link #NOT_FOUND}. Allocates. */
    public int find(final LabelSet labels) {
        final MemorySegment bytes = labels.encode();
        return find(bytes, 0, (int) bytes.byteSize());
    }

    /** Checks the canonical form; returns the label count. */
    private static int validate(final MemorySegment labels, final long offset, final int length) {
        final long end = offset + length;
        if (length < LabelSetLayout.LENGTH_BYTES) {
            throw new IllegalArgumentException("label set of " + length + " bytes has no count");
        }
        final int pairs = Short.toUnsignedInt(labels.get(LabelSetLayout.U16, offset));
        long position = offset + LabelSetLayout.LENGTH_BYTES;
        long previousName = -1;
        int previousNameLength = 0;
        for (int p = 0; p < pairs; p++) {
            for (int part = 0; part < 2; part++) {
                if (end - position < LabelSetLayout.LENGTH_BYTES) {
                    throw new IllegalArgumentException("label set truncated at label " + p);
                }
                final int partLength = Short.toUnsignedInt(labels.get(LabelSetLayout.U16, position));
                position += LabelSetLayout.LENGTH_BYTES;
                if (end - position < partLength) {
                    throw new IllegalArgumentException("label set truncated in label " + p);
                }
                if (partLength == 0) {
                    throw new IllegalArgumentException((part == 0 ? "empty label name" : "empty label value") + " at label " + p);
                }
                if (part == 0) {
                    if (previousName >= 0 && compareUnsigned(labels, previousName, previousNameLength, position, partLength) >= 0) {
                        throw new IllegalArgumentException("label names not sorted and unique at label " + p);
                    }
                    previousName = position;
                    previousNameLength = partLength;
                }
                position += partLength;
            }
        }
        if (position != end) {
            throw new IllegalArgumentException("label set has " + (end - position) + " bytes after its last label");
        }
        return pairs;
    }

    private static int compareUnsigned(final MemorySegment bytes, final long a, final int aLength, final long b, final int bLength) {
        final long mismatch = MemorySegment.mismatch(bytes, a, a + aLength, bytes, b, b + bLength);
        if (mismatch == -1) {
            return 0;
        }
        if (mismatch == aLength || mismatch == bLength) {
            return Integer.compare(aLength, bLength);
        }
        return Integer.compare(bytes.get(ValueLayout.JAVA_BYTE, a + mismatch) & 0xFF, bytes.get(ValueLayout.JAVA_BYTE, b + mismatch) & 0xFF);
    }

    /**
     * The slot of the current index whose record holds these bytes under a removed id, or -1: the
     * label set had a series that was removed and not created again since. Under the lock.
     */
    private int removedSlot(final MemorySegment labels, final long offset, final int length, final int hash) {
        final long[] slots = ids.slots();
        final int mask = slots.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            final long key = slots[slot];
            if (key == 0) {
                return -1;
            }
            if (SeriesHashTable.keyHash(key) == hash) {
                final int ref = SeriesHashTable.keyRef(key);
                if (recordEquals(recordBlockOf(ref), recordAt(ref), labels, offset, length)) {
                    return slot;
                }
            }
        }
    }

    /** The id in the record that slot {@code slot} of the current index names. */
    private int idOfSlot(final int slot) {
        final int ref = SeriesHashTable.keyRef(ids.slots()[slot]);
        return recordBlockOf(ref).get(SeriesRecordLayout.ID, recordAt(ref) + SeriesRecordLayout.ID_OFFSET);
    }

    /** Writes the record and adds the next id for it, in the removed series' slot {@code removedSlot} if not -1. */
    private int add(final MemorySegment labels, final long offset, final int length, final int hash, final int removedSlot) {
        final int pairs = Short.toUnsignedInt(labels.get(LabelSetLayout.U16, offset));
        long position = offset + LabelSetLayout.LENGTH_BYTES;
        for (int p = 0; p < 2 * pairs; p++) {
            final int partLength = Short.toUnsignedInt(labels.get(LabelSetLayout.U16, position));
            symbols.intern(labels, position + LabelSetLayout.LENGTH_BYTES, partLength); // for the owner's postings
            position += LabelSetLayout.LENGTH_BYTES + partLength;
        }
        final long location = records.reserve(SeriesRecordLayout.recordBytes(length));
        final long ref = ((location >>> 32) << offsetBits | AppendOnlyBlocks.offset(location) / SeriesRecordLayout.ALIGNMENT) + 1;
        if (ref > REF_MASK) {
            throw new IllegalStateException("series records full: 32-bit references reach " + (REF_MASK * SeriesRecordLayout.ALIGNMENT)
                + " bytes of records; location=" + location);
        }
        final MemorySegment record = records.block(location);
        final long at = AppendOnlyBlocks.offset(location);
        record.set(SeriesRecordLayout.ID, at + SeriesRecordLayout.ID_OFFSET, ids.size());
        record.set(SeriesRecordLayout.LENGTH, at + SeriesRecordLayout.LENGTH_OFFSET, length);
        MemorySegment.copy(labels, offset, record, at + SeriesRecordLayout.BYTES_OFFSET, length);
        // publishes the slot after the record
        return removedSlot >= 0 ? ids.addReplacing(removedSlot, hash, (int) ref) : ids.add(hash, (int) ref);
    }

    /**
     * Hides series {@code id} from {@link #find}; its record stays readable, and its hash slot stays
     * until the label set is created again. The caller holds the {@link #writeLock()}.
     *
     * @return false if it was already removed
     * @throws IllegalArgumentException if there is no such series
     */
    public boolean remove(final int id) {
        return ids.remove(checkVisible(id));
    }

    /** True if series {@code id} was removed. */
    public boolean isRemoved(final int id) {
        return ids.isRemoved(checkAdded(id));
    }

    /** Number of series, not counting removed ones. */
    public int size() {
        return ids.liveCount();
    }

    /** Every id ever made visible is below this; read with acquire semantics. */
    public int idLimit() {
        return visible;
    }

    /** Throws unless {@code id} is below {@link #idLimit()}; returns it. */
    private int checkVisible(final int id) {
        if (id < 0 || id >= visible) {
            throw new IllegalArgumentException("no such series: id=" + id + " idLimit=" + visible);
        }
        return id;
    }

    /** Throws unless series {@code id} was added; returns it. */
    private int checkAdded(final int id) {
        if (id < 0 || id >= ids.size()) {
            throw new IllegalArgumentException("no such series: id=" + id + " size=" + ids.size());
        }
        return id;
    }

    /** The record of series {@code id}: its block, with the canonical bytes at {@link #recordOffset}. */
    private MemorySegment recordBlock(final int id) {
        final int ref = ids.ref(checkAdded(id));
        if (ref == 0) {
            throw new IllegalArgumentException("no such series: id=" + id + " was reserved on restore, never created");
        }
        return recordBlockOf(ref);
    }

    /** Where series {@code id}'s record starts in its {@link #recordBlock}. */
    private long recordStart(final int id) {
        return recordAt(ids.ref(id));
    }

    /** Where series {@code id}'s canonical bytes start in its {@link #recordBlock}. */
    private long recordOffset(final int id) {
        return recordStart(id) + SeriesRecordLayout.BYTES_OFFSET;
    }

    /** The length of series {@code id}'s canonical bytes. */
    private int recordLength(final int id) {
        return recordBlock(id).get(SeriesRecordLayout.LENGTH, recordStart(id) + SeriesRecordLayout.LENGTH_OFFSET);
    }

    /** Series {@code id}'s canonical label bytes, in place (valid while the registry is open). Allocates the slice only. */
    public MemorySegment labelBytes(final int id) {
        return recordBlock(id).asSlice(recordOffset(id), recordLength(id));
    }

    /**
     * The symbols of series {@code id}'s labels (also for the id passed to the creation callback), in one walk of its record: name and value of label 0,
     * then of label 1, and so on (labels sorted by name). Allocates the array.
     */
    public int[] labelSymbols(final int id) {
        final MemorySegment record = recordBlock(id);
        long position = recordOffset(id);
        final int[] result = new int[2 * Short.toUnsignedInt(record.get(LabelSetLayout.U16, position))];
        position += LabelSetLayout.LENGTH_BYTES;
        for (int part = 0; part < result.length; part++) {
            final int length = Short.toUnsignedInt(record.get(LabelSetLayout.U16, position));
            result[part] = symbols.find(record, position + LabelSetLayout.LENGTH_BYTES, length);
            position += LabelSetLayout.LENGTH_BYTES + length;
        }
        return result;
    }

    /** The labels of series {@code id}, removed or not. Allocates. */
    public LabelSet labels(final int id) {
        final MemorySegment record = recordBlock(id);
        long position = recordOffset(id);
        final int pairs = Short.toUnsignedInt(record.get(LabelSetLayout.U16, position));
        position += LabelSetLayout.LENGTH_BYTES;
        final byte[][] names = new byte[pairs][];
        final byte[][] values = new byte[pairs][];
        for (int p = 0; p < pairs; p++) {
            for (int part = 0; part < 2; part++) {
                final int length = Short.toUnsignedInt(record.get(LabelSetLayout.U16, position));
                final byte[] bytes = record.asSlice(position + LabelSetLayout.LENGTH_BYTES, length).toArray(ValueLayout.JAVA_BYTE);
                if (part == 0) {
                    names[p] = bytes;
                } else {
                    values[p] = bytes;
                }
                position += LabelSetLayout.LENGTH_BYTES + length;
            }
        }
        return LabelSet.ofBytes(names, values);
    }

    /** Off-heap bytes of the series records (not counting symbols). */
    public long nativeBytes() {
        return records.nativeBytes();
    }

    /** Bytes the records actually use, for per-series figures. */
    public long recordBytesUsed() {
        return records.usedBytes();
    }

    /** Heap bytes of the per-id arrays and the hash index (not counting object headers). */
    public long heapBytes() {
        return ids.heapBytes();
    }

    /** Frees the records' memory (not the symbols'). */
    @Override
    public void close() {
        synchronized (lock) {
            records.close();
        }
    }
}
