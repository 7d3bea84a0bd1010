package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer keeps the ids of series while the shards remove them: its samples reach the ring before the removal,
 * between the removal and the writer's next lookup, or after; each lands in the one series that holds the labels.
 */
class TidemarkSeriesRemovalRaceTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final long HOUR = HourBlocks.HOUR;
    private static final int SERIES = 2_000;
    private static final List<LabelMatcher> RACED = List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "raced"));

    @TempDir
    Path data;

    private static LabelSet series(final int i) {
        return LabelSet.of("__name__", "raced", "instance", "host-" + i);
    }

    @Test
    void shouldLandEverySampleOfARemovedIdInTheSeriesOfItsLabels() throws Exception {
        System.out.println("TidemarkSeriesRemovalRaceTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int round = 0; round < 3; round++) {
            final Path directory = data.resolve("round-" + round);
            try (Tidemark db = Tidemark.open(HourBlocks.config(directory, 0))) {
                final TenantAppender appender = db.appender("default");
                final int[] ids = new int[SERIES];
                for (int i = 0; i < SERIES; i++) {
                    ids[i] = appender.series(series(i));
                    appender.append(ids[i], 0, -1);
                }
                appender.commit();
                assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
                final long delayNanos = random.nextLong(2_000_000);
                final long roundSeed = random.nextLong();
                final AtomicReference<Throwable> failure = new AtomicReference<>();
                // The writer sends one sample per series, in a shuffled order, a few per commit, with the ids of hour 0.
                final Thread writer = Thread.ofPlatform().name("writer").start(() -> {
                    try {
                        final SplittableRandom order = new SplittableRandom(roundSeed);
                        final int[] shuffled = shuffled(order);
                        for (int k = 0; k < SERIES; k++) {
                            final int i = shuffled[k];
                            appender.append(ids[i], HOUR + i, i);
                            if (order.nextInt(8) == 0) {
                                appender.commit();
                            }
                        }
                        appender.commit();
                        if (!appender.awaitApplied(TIMEOUT)) {
                            throw new AssertionError("writer's samples not applied");
                        }
                    } catch (final Throwable t) {
                        failure.set(t);
                    }
                });
                // Meanwhile the shards drop hour 0 (no block is written: only the new samples are checked) and
                // remove every series that had nothing else yet.
                final Tenant tenant = db.tenant("default");
                final long until = System.nanoTime() + delayNanos;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                tenant.refuseRequested = HOUR;
                tenant.truncateRequested = HOUR;
                for (int shard = 0; shard < tenant.heads.length; shard++) {
                    while (tenant.truncateApplied.get(shard) < HOUR) {
                        Thread.sleep(1);
                    }
                }
                writer.join();
                assertThat(failure.get()).isNull();
                tenant.index.purgeRemoved();

                final long removed = db.stats().tenants().getFirst().seriesRemoved();
                System.out.println("TidemarkSeriesRemovalRaceTest round=" + round + " delayNanos=" + delayNanos + " removed=" + removed);
                assertThat(db.refused("default")).as("no sample refused").containsOnly(0L);
                final SeriesSet set = db.queryable("default").select(RACED, Long.MIN_VALUE, Long.MAX_VALUE);
                assertThat(set.size()).as("one series per label set").isEqualTo(SERIES);
                final SampleBuffer buffer = new SampleBuffer(4);
                while (set.next()) {
                    final int i = Integer.parseInt(set.labels().get("instance").substring("host-".length()));
                    set.samples(buffer);
                    assertThat(buffer.size()).as("host-%d", i).isEqualTo(1);
                    assertThat(buffer.timestamps()[0]).isEqualTo(HOUR + i);
                    assertThat(buffer.values()[0]).isEqualTo(i);
                }
                assertThat(db.select("default", RACED)).hasSize(SERIES);
            }
        }
    }

    private static int[] shuffled(final SplittableRandom random) {
        final int[] order = new int[SERIES];
        for (int i = 0; i < SERIES; i++) {
            order[i] = i;
        }
        for (int i = SERIES - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
