package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.tiering.block.BlockReader;
import io.tidemark.tiering.block.SeriesDeletions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deletion of series by matchers over a time range (tombstones): read filtering, sealing, compaction, reopen. */
class TidemarkDeleteTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final long HOUR = 3_600_000;
    private static final long STEP = 15_000;
    private static final int SERIES = 8;
    private static final List<LabelMatcher> ALL = List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "requests_total"));

    @TempDir
    Path data;

    private TidemarkConfig config() {
        return config(data);
    }

    private static TidemarkConfig config(final Path directory) {
        return HourBlocks.config(directory, 0);
    }

    private static LabelSet series(final int i) {
        return LabelSet.of("__name__", "requests_total", "instance", "host-" + i, "job", i % 2 == 0 ? "even" : "odd");
    }

    private static LabelMatcher eq(final String name, final String value) {
        return LabelMatcher.of(LabelMatcher.Type.EQUAL, name, value);
    }

    /** The samples of every series in [k0, k1) steps, into the database and the model. */
    private static void write(final Tidemark db, final List<TreeMap<Long, Double>> model, final long k0, final long k1) {
        final TenantAppender appender = db.appender("default");
        final int[] ids = new int[SERIES];
        for (int s = 0; s < SERIES; s++) {
            ids[s] = appender.series(series(s));
        }
        for (long k = k0; k < k1; k++) {
            for (int s = 0; s < SERIES; s++) {
                final double value = s * 1_000_000.0 + k;
                appender.append(ids[s], k * STEP, value);
                model.get(s).put(k * STEP, value);
            }
            appender.commit();
        }
        assertThat(appender.awaitApplied(TIMEOUT)).isTrue();
    }

    /** Every series reads exactly as the model says. */
    private static void check(final Tidemark db, final List<TreeMap<Long, Double>> model, final String when) {
        final SeriesSet set = db.queryable("default").select(ALL, Long.MIN_VALUE, Long.MAX_VALUE);
        final SampleBuffer buffer = new SampleBuffer(16);
        final Map<Integer, Integer> seen = new TreeMap<>();
        while (set.next()) {
            final int s = Integer.parseInt(set.labels().get("instance").substring("host-".length()));
            set.samples(buffer);
            final TreeMap<Long, Double> expected = model.get(s);
            assertThat(buffer.size()).as("%s: samples of series %d", when, s).isEqualTo(expected.size());
            int i = 0;
            for (final Map.Entry<Long, Double> sample : expected.entrySet()) {
                assertThat(buffer.timestamps()[i]).as("%s: series %d sample %d", when, s, i).isEqualTo(sample.getKey());
                assertThat(buffer.values()[i]).isEqualTo(sample.getValue());
                i++;
            }
            seen.put(s, buffer.size());
        }
        for (int s = 0; s < SERIES; s++) {
            if (!model.get(s).isEmpty()) {
                assertThat(seen).as("%s: series %d is selected", when, s).containsKey(s);
            }
        }
    }

    private static List<TreeMap<Long, Double>> emptyModel() {
        final List<TreeMap<Long, Double>> model = new ArrayList<>();
        for (int s = 0; s < SERIES; s++) {
            model.add(new TreeMap<>());
        }
        return model;
    }

    @Test
    void shouldDeleteFromHeadAndBlocksKeepItOverReopenAndDropItFromDiskAtCompaction() throws IOException {
        final List<TreeMap<Long, Double>> model = emptyModel();
        Tidemark db = Tidemark.open(config());
        try {
            write(db, model, 0, 3 * HOUR / STEP); // three windows
            assertThat(db.flush()).isEqualTo(3);
            write(db, model, 3 * HOUR / STEP, 4 * HOUR / STEP); // a fourth in the head
            // job="even" loses [90 min, 3 h 30 min]: part of two blocks and part of the head
            final long from = 90 * 60_000;
            final long to = 210 * 60_000;
            db.deleteSeries("default", List.of(List.of(eq("job", "even"))), from, to);
            for (int s = 0; s < SERIES; s += 2) {
                model.get(s).subMap(from, true, to, true).clear();
            }
            check(db, model, "after the delete");
            assertThat(Files.exists(data.resolve("tenants/default/deletions"))).isTrue();

            db.close();
            db = Tidemark.open(config());
            check(db, model, "after reopening");

            // later samples, newer than anything held at the delete, are not deleted
            write(db, model, 4 * HOUR / STEP, 5 * HOUR / STEP);
            check(db, model, "after writing on");

            db.flush();
            assertThat(db.deletions("default")).as("two blocks still hold deleted samples").isNotSameAs(SeriesDeletions.NONE);
            final Path file = data.resolve("tenants/default/deletions");
            final byte[] beforeCompaction = Files.readAllBytes(file);
            db.compact();
            check(db, model, "after compaction");
            assertThat(db.deletions("default")).as("every deletion applied and retired").isSameAs(SeriesDeletions.NONE);
            long onDisk = 0;
            for (final BlockReader block : db.blocks("default")) {
                onDisk += block.meta().sampleCount();
            }
            final long expected = model.stream().mapToLong(TreeMap::size).sum();
            assertThat(onDisk).as("the deleted samples are gone from the blocks").isEqualTo(expected);
            db.close();
            db = Tidemark.open(config());
            check(db, model, "after reopening once retired");
            // as after a crash between the compaction and the rewrite of the deletions file: open retires them
            db.close();
            Files.write(file, beforeCompaction);
            db = Tidemark.open(config());
            assertThat(db.deletions("default")).isSameAs(SeriesDeletions.NONE);
            check(db, model, "after reopening with the deletions file of before the compaction");
            assertThat(DeletionsFile.read(file).list()).as("the file was rewritten on open").isEmpty();
        } finally {
            db.close();
        }
    }

    @Test
    void shouldRemoveABlockWhoseSamplesAreAllDeletedAndKeepSeriesThatMatchersDoNotSelect() throws IOException {
        final List<TreeMap<Long, Double>> model = emptyModel();
        try (Tidemark db = Tidemark.open(config())) {
            write(db, model, 0, 2 * HOUR / STEP);
            db.flush();
            db.deleteSeries("default", List.of(List.of(eq("__name__", "requests_total"))), 0, HOUR - 1);
            for (final TreeMap<Long, Double> samples : model) {
                samples.headMap(HOUR, false).clear();
            }
            db.deleteSeries("default", List.of(List.of(eq("instance", "host-3")), List.of(eq("instance", "host-5"))),
                Long.MIN_VALUE, Long.MAX_VALUE);
            model.get(3).clear();
            model.get(5).clear();
            check(db, model, "after the deletes");
            db.compact();
            check(db, model, "after compaction");
            assertThat(db.blocks("default")).as("the first hour's block had nothing left").hasSize(1);
            assertThat(db.blocks("default").getFirst().meta().seriesCount()).isEqualTo(SERIES - 2);
            assertThat(db.deletions("default")).isSameAs(SeriesDeletions.NONE);
        }
    }

    @Test
    void shouldRefuseSelectorsThatSelectEverythingAndRangesBackwards() throws IOException {
        try (Tidemark db = Tidemark.open(config())) {
            write(db, emptyModel(), 0, 10);
            assertThatThrownBy(() -> db.deleteSeries("default", List.of(List.of(eq("job", ""))), 0, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one non-empty matcher");
            assertThatThrownBy(() -> db.deleteSeries("default", List.of(List.of(eq("job", "even"))), 100, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after end");
            db.deleteSeries("nobody", List.of(List.of(eq("job", "even"))), 0, 100); // an unknown tenant has nothing to delete
            db.deleteSeries("default", List.of(List.of(eq("job", "none"))), 0, 100); // selects nothing: nothing recorded
            assertThat(db.deletions("default")).isSameAs(SeriesDeletions.NONE);
            assertThat(Files.exists(data.resolve("tenants/default/deletions"))).isFalse();
        }
    }

    @Test
    void shouldAgreeWithAModelOverRandomWritesDeletesSealsCompactionsAndReopens() throws IOException {
        for (long seed = 1; seed <= 4; seed++) {
            final Path directory = data.resolve("seed-" + seed);
            final Random random = new Random(seed);
            final List<TreeMap<Long, Double>> model = emptyModel();
            final TidemarkConfig config = config(directory);
            Tidemark db = Tidemark.open(config);
            try {
                long k = 0;
                for (int op = 0; op < 40; op++) {
                    final String when = "seed " + seed + " op " + op;
                    switch (random.nextInt(6)) {
                        case 0, 1 -> {
                            final long steps = 1 + random.nextInt(400);
                            write(db, model, k, k + steps);
                            k += steps;
                        }
                        case 2 -> {
                            final List<LabelMatcher> selector = switch (random.nextInt(3)) {
                                case 0 -> List.of(eq("job", random.nextBoolean() ? "even" : "odd"));
                                case 1 -> List.of(eq("instance", "host-" + random.nextInt(SERIES)));
                                default -> List.of(LabelMatcher.of(LabelMatcher.Type.REGEX, "instance", "host-[1-3]"),
                                    LabelMatcher.of(LabelMatcher.Type.NOT_EQUAL, "job", "odd"));
                            };
                            final long a = random.nextLong(k + 50) * STEP - random.nextInt(2);
                            final long b = a + random.nextLong(300) * STEP;
                            db.deleteSeries("default", List.of(selector), a, b);
                            for (int s = 0; s < SERIES; s++) {
                                if (new Deletion(selector, a, b, java.util.Set.of()).selects(series(s).namesAndValues())) {
                                    model.get(s).subMap(a, true, b, true).clear();
                                }
                            }
                        }
                        case 3 -> db.flush();
                        case 4 -> db.compact();
                        default -> {
                            db.close();
                            db = Tidemark.open(config);
                        }
                    }
                    check(db, model, when);
                }
                db.flush();
                db.compact();
                check(db, model, "seed " + seed + " at the end");
                assertThat(db.deletions("default")).as("seed %d: all applied", seed).isSameAs(SeriesDeletions.NONE);
                long onDisk = 0;
                for (final BlockReader block : db.blocks("default")) {
                    onDisk += block.meta().sampleCount();
                }
                assertThat(onDisk).as("seed %d: blocks hold exactly the samples left", seed)
                    .isEqualTo(model.stream().mapToLong(TreeMap::size).sum());
            } finally {
                db.close();
            }
        }
    }
}
