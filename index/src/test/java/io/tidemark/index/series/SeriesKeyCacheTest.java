package io.tidemark.index.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Series ids by raw label bytes: exact matches only, never another key's id, whatever the hashes, fills and threads. */
class SeriesKeyCacheTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    private static MemorySegment key(final String text) {
        return MemorySegment.ofArray(text.getBytes(StandardCharsets.UTF_8));
    }

    private static SeriesKeyCache cache(final long initialBytes, final long maxBytes) {
        return new SeriesKeyCache(new SeriesKeyCache.Budget(maxBytes, initialBytes), id -> false);
    }

    /** A cache whose series in {@code removed} count as removed from the index. */
    private static SeriesKeyCache cache(final Set<Integer> removed) {
        return new SeriesKeyCache(new SeriesKeyCache.Budget(1 << 20, 64 << 10), removed::contains);
    }

    private static void add(final SeriesKeyCache cache, final MemorySegment key, final int id) {
        cache.add(key, 0, (int) key.byteSize(), id);
    }

    /** The id the cache holds for the key, found by hash, or MISS. */
    private static int find(final SeriesKeyCache cache, final MemorySegment key) {
        final SeriesKeyCache.Generation g = cache.generation();
        final int length = (int) key.byteSize();
        final long ref = SeriesKeyCache.probe(g, SeriesKeyCache.hash(key, 0, length), key, 0, length);
        return ref == SeriesKeyCache.MISS ? SeriesKeyCache.MISS : SeriesKeyCache.id(g, ref);
    }

    @Test
    void shouldFindOnlyTheExactBytesOfAKey() {
        final SeriesKeyCache cache = cache(64 << 10, 1 << 20);
        // lengths that are and are not multiples of 8, so both the word loop and the overlapping last word decide
        final String[] keys = {"__name__=up,job=node", "__name__=up,job=nodf", "__name__=up,job=nod", "0123456789abcdef",
            "0123456789abcdeF", "12345678"};
        for (int i = 0; i < keys.length; i++) {
            add(cache, key(keys[i]), 100 + i);
        }
        for (int i = 0; i < keys.length; i++) {
            assertThat(find(cache, key(keys[i]))).as(keys[i]).isEqualTo(100 + i);
        }
        assertThat(find(cache, key("__name__=up,job=nodg"))).isEqualTo(SeriesKeyCache.MISS);
        assertThat(find(cache, key("X123456789abcdef"))).isEqualTo(SeriesKeyCache.MISS);
        assertThat(find(cache, key("__name__=up,job=node,x=y"))).isEqualTo(SeriesKeyCache.MISS);
    }

    @Test
    void shouldTellKeysWithOneHashApartAndForgetRatherThanConfuseWhenTheProbeWindowIsFull() {
        final SeriesKeyCache cache = cache(64 << 10, 1 << 20);
        final int hash = 12345;
        final int keys = 3 * SeriesKeyCache.PROBES;
        for (int i = 0; i < keys; i++) {
            final MemorySegment key = key("__name__=colliding,i=" + i);
            cache.add(key, 0, (int) key.byteSize(), hash, i);
        }
        int found = 0;
        for (int i = 0; i < keys; i++) {
            final MemorySegment key = key("__name__=colliding,i=" + i);
            final SeriesKeyCache.Generation g = cache.generation();
            final long ref = SeriesKeyCache.probe(g, hash, key, 0, (int) key.byteSize());
            if (ref != SeriesKeyCache.MISS) {
                assertThat(SeriesKeyCache.id(g, ref)).as("key %d", i).isEqualTo(i);
                found++;
            }
        }
        // the first PROBES filled the window; every later one took the home slot from the one before
        assertThat(found).isEqualTo(SeriesKeyCache.PROBES);
        assertThat(SeriesKeyCache.probe(cache.generation(), hash, key("__name__=colliding,i=" + (keys - 1)), 0,
            (int) key("__name__=colliding,i=" + (keys - 1)).byteSize())).isNotEqualTo(SeriesKeyCache.MISS);
    }

    @Test
    void shouldGuessTheEntryAfterTheLastOneFound() {
        final SeriesKeyCache cache = cache(64 << 10, 1 << 20);
        final MemorySegment first = key("__name__=a,instance=host-1");
        final MemorySegment second = key("__name__=a,instance=host-2");
        add(cache, first, 1);
        add(cache, second, 2);
        final SeriesKeyCache.Generation g = cache.generation();
        final long ref = SeriesKeyCache.match(g, 0, first, 0, (int) first.byteSize());
        assertThat(ref).isZero();
        final long guess = ref + SeriesKeyCache.Generation.size((int) first.byteSize());
        assertThat(SeriesKeyCache.id(g, SeriesKeyCache.match(g, guess, second, 0, (int) second.byteSize()))).isEqualTo(2);
        assertThat(SeriesKeyCache.match(g, guess, first, 0, (int) first.byteSize())).isEqualTo(SeriesKeyCache.MISS);
        final long past = guess + SeriesKeyCache.Generation.size((int) second.byteSize());
        assertThat(SeriesKeyCache.match(g, past, second, 0, (int) second.byteSize())).as("nothing written there yet")
            .isEqualTo(SeriesKeyCache.MISS);
        assertThat(SeriesKeyCache.match(g, SeriesKeyCache.MISS, first, 0, (int) first.byteSize())).isEqualTo(SeriesKeyCache.MISS);
        assertThat(SeriesKeyCache.match(g, g.limit, first, 0, (int) first.byteSize())).isEqualTo(SeriesKeyCache.MISS);
    }

    @Test
    void shouldGiveTheGuessedKeysLengthWhenTheBytesBeginWithItAndItsIdOnceTaken() {
        final Set<Integer> removed = ConcurrentHashMap.newKeySet();
        final SeriesKeyCache cache = cache(removed);
        final MemorySegment first = key("__name__=a,instance=host-1");
        final MemorySegment second = key("__name__=a,instance=host-2");
        final MemorySegment third = key("__name__=a,instance=host-3");
        add(cache, first, 1);
        add(cache, second, 2);
        add(cache, third, 3);
        final SeriesKeyCache.Lookup lookup = new SeriesKeyCache.Lookup();
        lookup.begin(cache);
        assertThat(lookup.guessedLength(first, 0, first.byteSize())).as("no entry found yet, nothing to guess").isEqualTo(-1);
        assertThatThrownBy(lookup::takeGuess).isInstanceOf(IllegalStateException.class);
        assertThat(lookup.find(first, 0, (int) first.byteSize())).isEqualTo(1);

        // bytes that begin with the guessed key and go on: its length, for the writer to see whether its key ends there
        final MemorySegment longer = key("__name__=a,instance=host-2,zone=b");
        assertThat(lookup.guessedLength(longer, 0, longer.byteSize())).isEqualTo((int) second.byteSize());
        assertThat(lookup.guessedLength(longer, 0, second.byteSize() - 1)).as("longer than allowed").isEqualTo(-1);
        assertThat(lookup.guessedLength(key("__name__=a,instance=host-9,zone=b"), 0, 64)).isEqualTo(-1);
        assertThat(lookup.guessedLength(second, 0, second.byteSize())).isEqualTo((int) second.byteSize());
        assertThat(lookup.takeGuess()).isEqualTo(2);
        assertThatThrownBy(lookup::takeGuess).as("taken once").isInstanceOf(IllegalStateException.class);

        // the guess moved past it; a removed series' entry is matched but not given
        removed.add(3);
        assertThat(lookup.guessedLength(third, 0, third.byteSize())).isEqualTo((int) third.byteSize());
        assertThat(lookup.takeGuess()).isEqualTo(SeriesKeyCache.MISS);
        assertThat(lookup.guessedLength(third, 0, third.byteSize())).as("the guess did not move").isEqualTo((int) third.byteSize());
        assertThat(lookup.find(first, 0, (int) first.byteSize())).isEqualTo(1);
        assertThat(lookup.guessedLength(second, 0, second.byteSize())).isEqualTo((int) second.byteSize());
        assertThat(lookup.takeGuess()).isEqualTo(2);
        assertThat(lookup.guessedLength(first, 0, first.byteSize())).as("the next entry, host-3's, does not begin them").isEqualTo(-1);
    }

    @Test
    void shouldStartAnEmptyGenerationTwiceTheSizeWhenFullAndStopGrowingAtTheBudget() {
        final SeriesKeyCache.Budget budget = new SeriesKeyCache.Budget(16 << 10, 4 << 10);
        final SeriesKeyCache cache = new SeriesKeyCache(budget, id -> false);
        assertThat(budget.used()).isEqualTo(4 << 10);
        final SeriesKeyCache.Generation first = cache.generation();
        int i = 0;
        while (cache.generation() == first) {
            add(cache, key("__name__=fill,i=" + i), i);
            i++;
        }
        assertThat(budget.used()).isEqualTo(8 << 10);
        assertThat(find(cache, key("__name__=fill,i=" + (i - 1)))).as("the key that filled it is in the new one").isEqualTo(i - 1);
        assertThat(find(cache, key("__name__=fill,i=0"))).as("the old generation's keys are gone").isEqualTo(SeriesKeyCache.MISS);
        for (int n = 0; n < 20_000; n++) {
            add(cache, key("__name__=fill,i=" + (i + n)), i + n);
        }
        assertThat(budget.used()).isEqualTo(16 << 10);
        assertThat(cache.bytes()).isLessThanOrEqualTo(16 << 10).isGreaterThan(8 << 10);
        // a second cache within the same full budget keeps its first size
        final SeriesKeyCache other = new SeriesKeyCache(budget, id -> false);
        for (int n = 0; n < 2_000; n++) {
            add(other, key("__name__=other,i=" + n), n);
        }
        assertThat(other.bytes()).isLessThanOrEqualTo(4 << 10);
    }

    @Test
    void shouldRefuseKeysOutsideItsLengthsAndBadBudgets() {
        final SeriesKeyCache cache = cache(64 << 10, 1 << 20);
        assertThatThrownBy(() -> add(cache, key("short"), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> add(cache, key("x".repeat(SeriesKeyCache.MAX_KEY_BYTES + 1)), 1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SeriesKeyCache.Budget(1 << 20, 512)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SeriesKeyCache.Budget(1 << 10, 2 << 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldLookUpARequestsSeriesByGuessThenHashAndNotGiveTheIdOfARemovedSeries() {
        final SeriesKeyCache cache = new SeriesKeyCache(new SeriesKeyCache.Budget(1 << 20, 64 << 10), id -> id == 7);
        for (int i = 0; i < 10; i++) {
            add(cache, key("__name__=up,instance=host-" + i), i);
        }
        final SeriesKeyCache.Lookup lookup = new SeriesKeyCache.Lookup();
        lookup.begin(cache);
        for (final int i : new int[] {0, 1, 2, 5, 6, 7, 8, 9, 3}) {
            final MemorySegment key = key("__name__=up,instance=host-" + i);
            assertThat(lookup.find(key, 0, (int) key.byteSize())).as("host-%d", i).isEqualTo(i == 7 ? SeriesKeyCache.MISS : i);
        }
        final MemorySegment unknown = key("__name__=up,instance=host-10");
        assertThat(lookup.find(unknown, 0, (int) unknown.byteSize())).isEqualTo(SeriesKeyCache.MISS);
        assertThat(lookup.find(key("short"), 0, 5)).isEqualTo(SeriesKeyCache.MISS);
    }

    @Test
    void shouldFindTheNewIdOfASeriesRemovedAndAddedAgainByGuessAndByHash() {
        final Set<Integer> removed = ConcurrentHashMap.newKeySet();
        final SeriesKeyCache cache = cache(removed);
        final MemorySegment before = key("__name__=up,instance=host-0");
        final MemorySegment again = key("__name__=up,instance=host-1");
        add(cache, before, 10);
        add(cache, again, 11);
        removed.add(11);
        final SeriesKeyCache.Lookup lookup = new SeriesKeyCache.Lookup();
        lookup.begin(cache);
        assertThat(lookup.find(before, 0, (int) before.byteSize())).isEqualTo(10);
        assertThat(lookup.find(again, 0, (int) again.byteSize())).as("removed").isEqualTo(SeriesKeyCache.MISS);
        add(cache, again, 12); // what the writer does after the index gave the labels a new id
        final long free = cache.remainingBytes();
        for (int request = 0; request < 3; request++) {
            lookup.begin(cache);
            assertThat(lookup.find(before, 0, (int) before.byteSize())).isEqualTo(10);
            // the guess after host-0 is host-1's old entry: removed, so the hash decides, and finds the new one
            assertThat(lookup.find(again, 0, (int) again.byteSize())).as("request %d", request).isEqualTo(12);
            lookup.begin(cache);
            assertThat(lookup.find(again, 0, (int) again.byteSize())).as("by hash, request %d", request).isEqualTo(12);
        }
        assertThat(cache.remainingBytes()).as("found, so nothing added again").isEqualTo(free);
    }

    /**
     * Four threads add and look up keys of a shared set (each key's id is a function of the key) in a cache small enough
     * to fill again and again: a lookup finds the right id or nothing, never a torn or foreign entry.
     */
    @Test
    void shouldNeverGiveAnotherKeysIdWhileThreadsAddAndGenerationsTurnOver() throws Exception {
        System.out.println("SeriesKeyCacheTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final SeriesKeyCache cache = cache(4 << 10, 32 << 10);
        final int keys = 5_000;
        final List<MemorySegment> set = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            set.add(key("__name__=node_cpu_seconds_total,cpu=" + (i % 64) + ",instance=host-" + i + ",mode=idle".repeat(i % 3)));
        }
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong hits = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final long seed = SEED + t;
            threads.add(Thread.ofPlatform().start(() -> {
                final SplittableRandom random = new SplittableRandom(seed);
                try {
                    for (int n = 0; n < 200_000; n++) {
                        final int i = random.nextInt(keys);
                        final MemorySegment key = set.get(i);
                        final int found = find(cache, key);
                        if (found == SeriesKeyCache.MISS) {
                            add(cache, key, i);
                        } else if (found != i) {
                            throw new AssertionError("key " + i + " found id " + found);
                        } else {
                            hits.incrementAndGet();
                        }
                    }
                } catch (final Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (final Thread thread : threads) {
            thread.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(hits.get()).as("lookups that found their key").isGreaterThan(10_000);
    }
}
