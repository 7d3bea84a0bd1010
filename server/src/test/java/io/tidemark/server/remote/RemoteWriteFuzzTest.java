package io.tidemark.server.remote;

import static io.tidemark.server.remote.RemoteWriteTestDatabase.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.index.series.SeriesKeyCache;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random and mutated requests: the decoders throw nothing but {@link RemoteWriteFormatException},
 * read nothing out of bounds (inputs are exact-size heap segments, so a stray read throws
 * IndexOutOfBoundsException and fails the test) and take no more memory than the limit allows.
 */
class RemoteWriteFuzzTest {
    private static final long LIMIT = 64 << 10;

    @TempDir
    Path data;

    private static byte[] validRequest(final Random random) {
        final WriteRequests request = new WriteRequests();
        final int series = 1 + random.nextInt(6);
        for (int s = 0; s < series; s++) {
            final WriteRequests.Series one = new WriteRequests.Series().labels("__name__", "m" + random.nextInt(5), "instance",
                "host-" + random.nextInt(20), "job", "node");
            for (int t = 0; t < random.nextInt(6); t++) {
                one.sample(1_700_000_000_000L + t * 1000L, random.nextDouble());
            }
            if (random.nextInt(4) == 0) {
                one.exemplar(1, 2).histogram(3).unknownFields();
            }
            request.add(one);
        }
        if (random.nextInt(3) == 0) {
            request.metadata(random.nextInt(8), "m", "help", "unit");
        }
        return request.encode();
    }

    private static byte[] mutate(final Random random, final byte[] original) {
        byte[] bytes = original.clone();
        final int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && bytes.length > 0; m++) {
            final int at = random.nextInt(bytes.length);
            switch (random.nextInt(6)) {
                case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes[at] = (byte) random.nextInt(256);
                case 2 -> bytes = Arrays.copyOf(bytes, at);
                case 3 -> {
                    final byte[] longer = new byte[bytes.length + 1 + random.nextInt(8)];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    for (int i = at; i < at + longer.length - bytes.length; i++) {
                        longer[i] = (byte) random.nextInt(256);
                    }
                    System.arraycopy(bytes, at, longer, at + longer.length - bytes.length, bytes.length - at);
                    bytes = longer;
                }
                case 4 -> bytes[at] = (byte) (0x80 | random.nextInt(128));
                default -> bytes[at] = (byte) 0xFF;
            }
        }
        return bytes;
    }

    /** The body for one iteration: a valid request, mutated before or after compression, or random bytes. */
    private static byte[] body(final Random random) {
        final byte[] raw = validRequest(random);
        return switch (random.nextInt(4)) {
            case 0 -> WriteRequests.snappy(mutate(random, raw));
            case 1 -> mutate(random, WriteRequests.snappy(raw));
            case 2 -> {
                final byte[] noise = new byte[random.nextInt(64)];
                random.nextBytes(noise);
                yield noise;
            }
            default -> WriteRequests.snappy(raw);
        };
    }

    @Test
    void shouldThrowOnlyItsOwnErrorOnMutatedAndRandomBodies() {
        final long seed = System.nanoTime();
        System.out.println("RemoteWriteFuzzTest decoders seed=" + seed);
        final Random random = new Random(seed);
        final NativeAllocator allocator = NativeAllocator.withLimit(NativeAllocator.UNLIMITED);
        int refused = 0;
        long hits = 0;
        // every label set validRequest makes, cached, so that half the bodies take the cache's way through their series
        final SeriesKeyCache cache = new SeriesKeyCache(new SeriesKeyCache.Budget(1 << 20, 64 << 10), id -> false);
        for (int m = 0; m < 5; m++) {
            for (int h = 0; h < 20; h++) {
                final byte[] key = new WriteRequests.Series().labels("__name__", "m" + m, "instance", "host-" + h, "job", "node").encode();
                cache.add(MemorySegment.ofArray(key), 0, key.length, m * 20 + h);
            }
        }
        try (SnappyBlockDecoder snappy = new SnappyBlockDecoder(allocator, LIMIT);
             WriteRequestDecoder decoder = new WriteRequestDecoder(allocator, 16)) {
            for (int i = 0; i < 30_000; i++) {
                final byte[] body = body(random);
                try {
                    final long length = snappy.decompress(MemorySegment.ofArray(body), 0, body.length);
                    assertThat(length).isBetween(0L, LIMIT);
                    decoder.decode(snappy.output().asSlice(0, length), length, i % 2 == 0 ? cache : null);
                    assertThat(decoder.samplesToStore() + decoder.samplesRejected()).isLessThanOrEqualTo(length / 2);
                    hits += decoder.cacheHits();
                } catch (final RemoteWriteFormatException expected) {
                    refused++;
                } catch (final Throwable t) {
                    fail("seed=" + seed + " iteration=" + i + " body=" + Arrays.toString(body), t);
                }
                // Two buffers, each at most the limit rounded up to a power of two (and the label bytes of a
                // request never outgrow the request): nothing grows from an unchecked length.
                assertThat(allocator.bytesInUse(MemoryTag.NETWORK)).as("seed=%d iteration=%d", seed, i).isLessThanOrEqualTo(4 * LIMIT);
            }
        }
        allocator.assertNoLeaks();
        System.out.println("RemoteWriteFuzzTest refused=" + refused + " of 30000, cache hits=" + hits);
        assertThat(refused).isBetween(3_000, 27_000);
        assertThat(hits).isGreaterThan(1_000);
    }

    @Test
    void shouldNeverThrowFromIngestOnMutatedBodies() throws Exception {
        final long seed = System.nanoTime();
        System.out.println("RemoteWriteFuzzTest ingest seed=" + seed);
        final Random random = new Random(seed);
        final NativeAllocator allocator = NativeAllocator.withLimit(NativeAllocator.UNLIMITED);
        long stored = 0;
        try (Tidemark db = RemoteWriteTestDatabase.open(data);
             RemoteWriteIngest ingest = new RemoteWriteIngest(db, new RemoteWriteLimits(LIMIT, 16), allocator, (t, type, f, h, u) -> { })) {
            for (int i = 0; i < 3_000; i++) {
                final byte[] body = body(random);
                final RemoteWriteResult result;
                try {
                    result = ingest.ingest(TENANT, MemorySegment.ofArray(body), 0, body.length);
                } catch (final Throwable t) {
                    throw new AssertionError("seed=" + seed + " iteration=" + i + " body=" + Arrays.toString(body), t);
                }
                assertThat(result.outcome()).as("seed=%d iteration=%d %s", seed, i, result)
                    .isNotIn(RemoteWriteResult.Outcome.INTERNAL_ERROR, RemoteWriteResult.Outcome.UNAVAILABLE);
                assertThat(result.error() == null).isEqualTo(result.outcome() == RemoteWriteResult.Outcome.STORED);
                stored += result.samplesStored();
            }
        }
        allocator.assertNoLeaks();
        assertThat(stored).isPositive();
    }
}
