package io.tidemark.jcstress.index;

import io.tidemark.index.series.SeriesKeyCache;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Concurrency scenarios for {@link SeriesKeyCache}: an adder reserves an entry with one atomic add, writes the key,
 * publishes the entry's header (release) and then its slot; a reader reads slots and headers with acquire, so it finds
 * a key's own id or nothing, never a half-written entry or another key's id, whether it comes by the hash, by the guess
 * that the next key of a request follows the last one found, or across a generation the adder replaces.
 *
 * <p>Results are ids: {@code -1} not found. The scenario classes are not final because the jcstress annotation
 * processor refuses final {@link State} classes.
 */
public final class SeriesKeyCacheTests {
    private static final MemorySegment FIRST = key("__name__=node_cpu_seconds_total,cpu=0,instance=host-1,mode=idle");
    private static final MemorySegment SECOND = key("__name__=node_cpu_seconds_total,cpu=0,instance=host-2,mode=idle");

    private SeriesKeyCacheTests() {
    }

    private static MemorySegment key(final String text) {
        return MemorySegment.ofArray(text.getBytes(StandardCharsets.UTF_8));
    }

    private static SeriesKeyCache cache() {
        return new SeriesKeyCache(new SeriesKeyCache.Budget(1 << 20, 4 << 10), id -> false);
    }

    private static int find(final SeriesKeyCache.Lookup lookup, final MemorySegment key) {
        return lookup.find(key, 0, (int) key.byteSize());
    }

    /** FIRST with id 1, then SECOND with id 2: one entry after the other in the arena, if both fit. */
    private static void addBoth(final SeriesKeyCache cache) {
        cache.add(FIRST, 0, (int) FIRST.byteSize(), 1);
        cache.add(SECOND, 0, (int) SECOND.byteSize(), 2);
    }

    /** Looks up FIRST, then SECOND (first at the entry after FIRST's), in one lookup, as a request's series are. */
    private static void findBoth(final SeriesKeyCache cache, final SeriesKeyCache.Lookup lookup, final II_Result r) {
        lookup.begin(cache);
        r.r1 = find(lookup, FIRST);
        r.r2 = find(lookup, SECOND);
    }

    /** One thread adds a key while another looks it up by its hash. */
    @JCStressTest
    @Outcome(id = "-1, 0", expect = Expect.ACCEPTABLE, desc = "not yet added")
    @Outcome(id = "5, 0", expect = Expect.ACCEPTABLE, desc = "found with its id")
    @Outcome(expect = Expect.FORBIDDEN, desc = "another id: a half-written entry was read")
    @State
    public static class AddedWhileLookedUp {
        private final SeriesKeyCache cache = cache();
        private final SeriesKeyCache.Lookup lookup = new SeriesKeyCache.Lookup();

        @Actor
        public void adder() {
            cache.add(FIRST, 0, (int) FIRST.byteSize(), 5);
        }

        @Actor
        public void reader(final II_Result r) {
            lookup.begin(cache);
            r.r1 = find(lookup, FIRST);
        }
    }

    /**
     * One thread adds two keys, one after the other in the arena; another looks up the first and then the second,
     * which it tries first at the entry after the first's: that place may hold nothing yet or a half-written entry.
     */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = Expect.ACCEPTABLE, desc = "neither added yet")
    @Outcome(id = "1, -1", expect = Expect.ACCEPTABLE, desc = "the first found, the second not yet added")
    @Outcome(id = "1, 2", expect = Expect.ACCEPTABLE, desc = "both found")
    @Outcome(id = "-1, 2", expect = Expect.ACCEPTABLE_INTERESTING, desc = "the first missed, then both were added")
    @Outcome(expect = Expect.FORBIDDEN, desc = "another id: the guess read a half-written entry")
    @State
    public static class GuessedWhileAdded {
        private final SeriesKeyCache cache = cache();
        private final SeriesKeyCache.Lookup lookup = new SeriesKeyCache.Lookup();

        @Actor
        public void adder() {
            addBoth(cache);
        }

        @Actor
        public void reader(final II_Result r) {
            findBoth(cache, lookup, r);
        }
    }

    /**
     * The arena is one entry short of full: the adder's second key installs a new generation. The reader, started on
     * either, finds each key with its own id or not at all.
     */
    @JCStressTest
    @Outcome(id = "-1, -1", expect = Expect.ACCEPTABLE, desc = "neither found (the old generation, before the first add)")
    @Outcome(id = "1, -1", expect = Expect.ACCEPTABLE, desc = "the first found")
    @Outcome(id = "-1, 2", expect = Expect.ACCEPTABLE, desc = "the new generation, holding only the second")
    @Outcome(id = "1, 2", expect = Expect.ACCEPTABLE_INTERESTING, desc = "both: the second fitted after all")
    @Outcome(expect = Expect.FORBIDDEN, desc = "another id")
    @State
    public static class FilledWhileLookedUp {
        private final SeriesKeyCache cache = cache();
        private final SeriesKeyCache.Lookup lookup = new SeriesKeyCache.Lookup();

        public FilledWhileLookedUp() {
            final long entry = Long.BYTES + ((FIRST.byteSize() + 7) & ~7L);
            // other keys, until the arena has room for FIRST and not for SECOND as well
            for (int i = 0; cache.remainingBytes() >= 2 * entry; i++) {
                final MemorySegment filler = key("__name__=filler_of_the_arena_to_its_end,i=" + (1_000_000 + i));
                cache.add(filler, 0, (int) filler.byteSize(), 100 + i);
            }
        }

        @Actor
        public void adder() {
            addBoth(cache);
        }

        @Actor
        public void reader(final II_Result r) {
            findBoth(cache, lookup, r);
        }
    }
}
