package io.tidemark.index.series;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

/**
 * Series ids by key: bytes a writer derives from a series' labels in its own encoding, such as the raw
 * protobuf bytes of a remote-write {@code TimeSeries}' labels exactly as the sender wrote them. A sender
 * sends the same bytes for a series in every request, so a series seen before is found from its bytes
 * alone, without parsing its labels, checking them, making them canonical and looking them up in the
 * series index. What a key means is the writer's business: it adds only keys whose labels passed its
 * checks, so equal bytes are a series that would pass them again. A hit compares every byte, so a hash
 * collision costs a lookup, never a wrong series.
 *
 * <p>Layout. A generation is an arena (a {@code long[]}) of entries and a table of slots. An entry is
 * a header word ({@code length << 32 | id}, never 0) and the key's bytes, padded to 8; entries are
 * written one after another as series are first seen, so the series of a request, which come in the
 * same order each time, lie one after another too. A slot is {@code hash << 32 | (entry offset / 8 +
 * 1)}, 0 when empty, found by linear probing over at most {@value #PROBES} slots.
 *
 * <p>Threads. Any number of threads read and add at once without a lock. An adder reserves its entry's
 * space by one atomic add, writes the bytes, publishes the header (release), then the slot (a CAS into
 * an empty slot, or a release store over the home slot when the window is full: the entry there is
 * forgotten). A reader reads a slot or a header with acquire, so it sees whole entries only; reading
 * an entry at the offset after the one it found last (its guess for a request's next series) is safe
 * because reservations are contiguous: that offset holds the next entry's header or 0. Entries never
 * change. When the arena is full, the next adder installs a new, empty generation, twice the size up
 * to what the shared {@link Budget} allows; readers of the old one finish on it and the garbage
 * collector frees it once none holds it, so there is no memory to free under a reader. The arenas are
 * on the Java heap for that reason; a new generation is the only allocation, one per fill.
 *
 * <p>A series removed from the index ({@code removed} says so) is not taken from the cache: its bytes
 * go the slow way again and the new id is added, in the slot of the old entry, so the hash finds the new
 * one; a guess that lands on the old entry falls back to the hash.
 */
public final class SeriesKeyCache {
    /** Most bytes of a key: longer label sets always go the slow way. */
    public static final int MAX_KEY_BYTES = 2048;
    /** Fewest bytes of a key (the last word of a key is compared as the 8 bytes that end it). */
    public static final int MIN_KEY_BYTES = Long.BYTES;
    /** The id returned for bytes not in the cache. */
    public static final int MISS = -1;
    static final int PROBES = 8;
    /**
     * A generation has a slot per this many bytes of arena, rounded down to a power of two: entries of 64 bytes or more
     * (a node-exporter series' labels take about 120) fill at most half the slots.
     */
    private static final int ARENA_BYTES_PER_SLOT = 32;
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    private final Budget budget;
    private final IntPredicate removed;
    private volatile Generation current;

    /**
     * A cache whose arenas grow from {@link Budget#initialBytes} as they fill, within {@code budget}.
     *
     * @param removed whether a series id was removed from the tenant's index; thread-safe
     */
    public SeriesKeyCache(final Budget budget, final IntPredicate removed) {
        this.budget = budget;
        this.removed = removed;
        this.current = new Generation(budget.reserve(0, budget.initialBytes()));
    }

    /** The generation a request reads from and adds to. */
    Generation generation() {
        return current;
    }

    /** Bytes left in the current generation's arena before the next add of a key installs a new one (about). */
    public long remainingBytes() {
        final Generation g = current;
        return Math.max(0, g.limit - g.top.get());
    }

    /** Bytes of the current generation's arena and slots. */
    public long bytes() {
        return current.bytes();
    }

    /**
     * The entry at {@code ref} of {@code g} if it holds exactly the {@code length} bytes at {@code at} of
     * {@code key}; the entry reference ({@code ref}), or {@link #MISS}. {@code ref} may be any offset an
     * earlier lookup returned plus that entry's {@link Generation#size}.
     */
    static long match(final Generation g, final long ref, final MemorySegment key, final long at, final int length) {
        if (ref < 0 || ref >= g.limit) {
            return MISS;
        }
        final long header = (long) WORDS.getAcquire(g.arena, (int) (ref >>> 3));
        if (header == 0 || (int) (header >>> 32) != length) {
            return MISS;
        }
        return equal(g, ref + Long.BYTES, key, at, length) ? ref : MISS;
    }

    /** The entry of {@code g} holding the key, found by its {@code hash}; its reference, or {@link #MISS}. */
    static long probe(final Generation g, final int hash, final MemorySegment key, final long at, final int length) {
        final long[] slots = g.slots;
        final int mask = slots.length - 1;
        for (int i = 0, slot = hash & mask; i < PROBES; i++, slot = (slot + 1) & mask) {
            final long word = (long) WORDS.getAcquire(slots, slot);
            if (word == 0) {
                return MISS;
            }
            if ((int) (word >>> 32) == hash) {
                final long ref = ((word & 0xFFFF_FFFFL) - 1) << 3;
                if (match(g, ref, key, at, length) != MISS) {
                    return ref;
                }
            }
        }
        return MISS;
    }

    /** The id in the entry at {@code ref}. */
    static int id(final Generation g, final long ref) {
        return (int) g.arena[(int) (ref >>> 3)];
    }

    /** The hash by which keys are placed. */
    static int hash(final MemorySegment key, final long at, final int length) {
        return LabelSetHash.hash(key, at, length);
    }

    private static boolean equal(final Generation g, final long from, final MemorySegment key, final long at, final int length) {
        final long[] arena = g.arena;
        final int first = (int) (from >>> 3);
        final int words = length >>> 3;
        for (int w = 0; w < words; w++) {
            if (arena[first + w] != key.get(WORD, at + ((long) w << 3))) {
                return false;
            }
        }
        final int rest = length & 7;
        if (rest == 0) {
            return true;
        }
        // the 8 bytes that end the key, overlapping bytes already compared (a key has at least 8)
        return g.view.get(WORD, from + length - Long.BYTES) == key.get(WORD, at + length - Long.BYTES);
    }

    /**
     * Adds the key ({@code length} bytes at {@code at} of {@code key}, {@link #MIN_KEY_BYTES} to
     * {@link #MAX_KEY_BYTES}) for series {@code id}; installs a new generation when the current one is full.
     * Lock-free except for that installation; allocates nothing else.
     */
    public void add(final MemorySegment key, final long at, final int length, final int id) {
        add(key, at, length, hash(key, at, length), id);
    }

    /** {@link #add(MemorySegment, long, int, int)} with the key's hash given (tests give colliding ones). */
    void add(final MemorySegment key, final long at, final int length, final int hash, final int id) {
        if (length < MIN_KEY_BYTES || length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a key has " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " bytes: " + length);
        }
        final long size = Generation.size(length);
        Generation g = current;
        long ref = g.top.getAndAdd(size);
        while (ref + size > g.limit) {
            g = next(g);
            ref = g.top.getAndAdd(size);
        }
        MemorySegment.copy(key, at, g.view, ref + Long.BYTES, length);
        WORDS.setRelease(g.arena, (int) (ref >>> 3), (long) length << 32 | (id & 0xFFFF_FFFFL));
        final long word = (long) hash << 32 | ((ref >>> 3) + 1);
        final long[] slots = g.slots;
        final int mask = slots.length - 1;
        for (int i = 0, slot = hash & mask; i < PROBES; i++, slot = (slot + 1) & mask) {
            final long seen = (long) WORDS.getAcquire(slots, slot);
            // an empty slot, or the slot of an entry with the same key (a series removed and given a new id): the
            // probe must find this entry, not the older one
            if ((seen == 0 || (int) (seen >>> 32) == hash && match(g, ((seen & 0xFFFF_FFFFL) - 1) << 3, key, at, length) != MISS)
                && WORDS.compareAndSet(slots, slot, seen, word)) {
                return;
            }
        }
        WORDS.setRelease(slots, hash & mask, word);
    }

    /** The generation after {@code full}: installed by this thread, or by another that got there first. */
    private Generation next(final Generation full) {
        synchronized (this) {
            final Generation now = current;
            if (now != full) {
                return now;
            }
            final Generation fresh = new Generation(budget.reserve(full.reserved, 2 * full.reserved));
            current = fresh;
            return fresh;
        }
    }

    /**
     * One thread's way of finding keys, for a batch that sends its series in the same order each time (a request):
     * from {@link #begin} on it reads one generation, tries first the entry after the one it found last, then the
     * hash. Not thread-safe; allocates nothing.
     */
    public static final class Lookup {
        private SeriesKeyCache cache;
        private Generation generation;
        private long nextGuess = MISS;
        /** The entry {@link #guessedLength} matched last, and its key's length; MISS when none. */
        private long guessed = MISS;
        private int guessedLength;

        /** Starts a batch on {@code cache}'s current generation. */
        public void begin(final SeriesKeyCache from) {
            cache = from;
            generation = from.current;
            nextGuess = MISS;
            guessed = MISS;
        }

        /**
         * The length of the key in the entry after the one found last, if the bytes at {@code at} of {@code key} begin
         * with it and it has at most {@code maxLength} bytes; -1 if not. For a writer whose key ends where its bytes say
         * (a run of label fields): it need not find that end first. If the key does end there, {@link #takeGuess} gives
         * the id; if not, {@link #find} with the key's real length.
         */
        public int guessedLength(final MemorySegment key, final long at, final long maxLength) {
            guessed = MISS;
            final Generation g = generation;
            final long ref = nextGuess;
            if (ref < 0 || ref >= g.limit) {
                return -1;
            }
            final long header = (long) WORDS.getAcquire(g.arena, (int) (ref >>> 3));
            final int length = (int) (header >>> 32);
            if (header == 0 || length > maxLength || !equal(g, ref + Long.BYTES, key, at, length)) {
                return -1;
            }
            guessed = ref;
            guessedLength = length;
            return length;
        }

        /**
         * The id in the entry {@link #guessedLength} matched, once the writer has seen that the key ends there, and the
         * next guess moves past it; {@link #MISS} if that series was removed from the index (then {@link #find}, whose
         * hash finds a newer entry of the key).
         *
         * @throws IllegalStateException if the last {@link #guessedLength} matched nothing
         */
        public int takeGuess() {
            final long ref = guessed;
            if (ref == MISS) {
                throw new IllegalStateException("no guessed entry matched");
            }
            guessed = MISS;
            final int id = id(generation, ref);
            if (cache.removed.test(id)) {
                return MISS;
            }
            nextGuess = ref + Generation.size(guessedLength);
            return id;
        }

        /** The id of the series whose key is the {@code length} bytes at {@code at} of {@code key}, if still in the index; else {@link #MISS}. */
        public int find(final MemorySegment key, final long at, final int length) {
            if (length < MIN_KEY_BYTES || length > MAX_KEY_BYTES) {
                return MISS;
            }
            final Generation g = generation;
            long ref = match(g, nextGuess, key, at, length);
            if (ref == MISS || cache.removed.test(id(g, ref))) {
                // not guessed, or guessed an entry of a removed series, which a newer entry of the key may replace:
                // the hash finds the newest
                ref = probe(g, hash(key, at, length), key, at, length);
                if (ref == MISS) {
                    return MISS;
                }
            }
            nextGuess = ref + Generation.size(length);
            final int id = id(g, ref);
            return cache.removed.test(id) ? MISS : id;
        }
    }

    /** One arena and its slots; replaced whole, never cleared. */
    static final class Generation {
        final long[] arena;
        final MemorySegment view;
        final long[] slots;
        final long limit;
        /** Bytes of the {@link Budget} this generation holds (its arena and slots take a little less). */
        final long reserved;
        final AtomicLong top = new AtomicLong();

        Generation(final long bytes) {
            this.reserved = bytes;
            final int words = (int) (bytes / (Long.BYTES + Long.BYTES * Long.BYTES / ARENA_BYTES_PER_SLOT));
            this.arena = new long[words];
            this.view = MemorySegment.ofArray(arena);
            this.slots = new long[Integer.highestOneBit(Math.max(PROBES, (int) ((long) words * Long.BYTES / ARENA_BYTES_PER_SLOT)))];
            this.limit = (long) words * Long.BYTES;
        }

        /** Bytes of the arena and the slots. */
        long bytes() {
            return (long) (arena.length + slots.length) * Long.BYTES;
        }

        /** Bytes an entry of a {@code length}-byte key takes: its header and its bytes, padded to 8. */
        static long size(final int length) {
            return Long.BYTES + ((length + 7L) & ~7L);
        }
    }

    /**
     * The heap all of a server's caches may hold, shared by its tenants: a generation grows (doubles) only while
     * the total stays within it, and otherwise keeps its size.
     */
    public static final class Budget {
        private final long maxBytes;
        private final long initialBytes;
        private final AtomicLong used = new AtomicLong();

        /**
         * @param maxBytes     most bytes of all caches' current generations together
         * @param initialBytes bytes of a new cache's first generation
         */
        public Budget(final long maxBytes, final long initialBytes) {
            if (initialBytes < 1024 || initialBytes > maxBytes || maxBytes > 1L << 34) {
                throw new IllegalArgumentException("need 1 KiB <= initialBytes <= maxBytes <= 16 GiB: initialBytes=" + initialBytes
                    + " maxBytes=" + maxBytes);
            }
            this.maxBytes = maxBytes;
            this.initialBytes = initialBytes;
        }

        /** A budget of an eighth of the heap the JVM may grow to, with 64 KiB first generations. */
        public static Budget ofHeap() {
            return new Budget(Math.max(1L << 20, Math.min(1L << 34, Runtime.getRuntime().maxMemory() / 8)), 64L << 10);
        }

        long initialBytes() {
            return initialBytes;
        }

        /** Bytes held by every cache's current generation. */
        public long used() {
            return used.get();
        }

        /** Swaps a generation of {@code old} bytes for one of {@code wanted}, or of {@code old} if that does not fit. */
        long reserve(final long old, final long wanted) {
            while (true) {
                final long now = used.get();
                final long bytes = now - old + wanted <= maxBytes || old == 0 ? wanted : old;
                if (used.compareAndSet(now, now - old + bytes)) {
                    return bytes;
                }
            }
        }
    }
}
