package io.tidemark.index.postings;

import static io.tidemark.index.postings.PostingsIterator.NO_MORE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.NativeAllocator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One writer appends 1M ids while two readers iterate and seek over and over. Every prefix a reader
 * sees must be exactly the first n appended ids (contiguous from the start, strictly increasing) and
 * n must never exceed what the writer had finished appending. Recycled blocks are filled with junk
 * first, so a reader that saw a slot before its id was written would see the junk.
 */
class PostingsListConcurrencyTest {
    private static final int IDS = 1_000_000;
    private static final int JUNK = 7;

    private static int idOf(final int index) {
        return 2 * index + 1;
    }

    @Test
    void shouldShowReadersOnlyCompletePrefixesWhileOneWriterAppends() throws InterruptedException {
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (PostingsMemory memory = new PostingsMemory(allocator, 16, 1_024)) {
            dirtyFreeBlocks(memory);
            final PostingsList list = new PostingsList(memory);
            final AtomicInteger appended = new AtomicInteger();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread[] readers = new Thread[2];
            final int[] passes = new int[readers.length];
            final CountDownLatch readersRunning = new CountDownLatch(readers.length);
            for (int r = 0; r < readers.length; r++) {
                final int reader = r;
                readers[r] = new Thread(() -> {
                    try {
                        final PostingsListIterator iterator = new PostingsListIterator();
                        readersRunning.countDown();
                        while (appended.get() < IDS) {
                            checkPrefix(iterator.reset(list), appended);
                            checkSeeks(iterator.reset(list), appended);
                            passes[reader]++;
                        }
                    } catch (final Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }, "postings-reader-" + r);
                readers[r].start();
            }
            readersRunning.await();
            for (int i = 0; i < IDS && failure.get() == null; i++) {
                list.append(idOf(i));
                appended.set(i + 1);
                if ((i & 1_023) == 0) {
                    Thread.yield(); // let the readers interleave with the writer on a small machine
                }
            }
            appended.set(IDS);
            for (final Thread reader : readers) {
                reader.join(10_000);
            }
            System.out.println("PostingsListConcurrencyTest readerPasses=" + passes[0] + "," + passes[1]);
            assertThat(failure.get()).isNull();
            assertThat(Postings.count(list.iterator())).isEqualTo(IDS);
            list.close();
        }
        allocator.assertNoLeaks();
    }

    private static void checkPrefix(final PostingsListIterator iterator, final AtomicInteger appended) {
        final int limit = iterator.limit();
        int count = 0;
        for (int id = iterator.next(); id != NO_MORE; id = iterator.next()) {
            if (id != idOf(count)) {
                throw new AssertionError("index " + count + " holds " + id + ", expected " + idOf(count) + " limit=" + limit);
            }
            count++;
        }
        final int done = appended.get();
        if (count != limit || count > done + 1) {
            // the writer publishes the length before it records the append, so it may run one ahead
            throw new AssertionError("saw " + count + " ids, limit=" + limit + ", writer had finished " + done);
        }
    }

    private static void checkSeeks(final PostingsListIterator iterator, final AtomicInteger appended) {
        final int limit = iterator.limit();
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int probe = 0; probe < 64 && limit > 0; probe++) {
            final int index = iterator.current() < 0 ? random.nextInt(limit) : (iterator.current() - 1) / 2
                + random.nextInt(1 + limit / 64);
            final int found = iterator.seek(2 * index);
            final int expected = index >= limit ? NO_MORE : idOf(index);
            if (found != expected) {
                throw new AssertionError("seek to " + 2 * index + " found " + found + ", expected " + expected + " limit=" + limit);
            }
            if (found == NO_MORE) {
                return;
            }
        }
    }

    /** Fills blocks of every size class a 1M-id list uses with junk and frees them, so they are recycled. */
    private static void dirtyFreeBlocks(final PostingsMemory memory) {
        final PostingsList junk = new PostingsList(memory);
        for (int i = 0; i < 40_000; i++) {
            junk.append(i * JUNK);
        }
        junk.close();
    }
}
