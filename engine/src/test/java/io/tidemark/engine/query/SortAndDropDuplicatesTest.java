package io.tidemark.engine.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The merge step of {@link TenantQueryable}: sources appended one after another, ordered and deduplicated. */
class SortAndDropDuplicatesTest {
    @Test
    void shouldLeaveStrictlyIncreasingSamplesAlone() {
        final SampleBuffer samples = new SampleBuffer(4);
        for (int i = 0; i < 10; i++) {
            samples.add(i * 10L, i);
        }
        TenantQueryable.sortAndDropDuplicates(samples);
        assertThat(samples.size()).isEqualTo(10);
        assertThat(samples.timestamps()[9]).isEqualTo(90);
    }

    @Test
    void shouldOrderOverlappingSourcesAndKeepTheFirstSampleOfEachTimestamp() {
        final SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 200; round++) {
            final SampleBuffer samples = new SampleBuffer(4);
            final TreeMap<Long, Double> expected = new TreeMap<>();
            final int sources = 1 + random.nextInt(4);
            for (int source = 0; source < sources; source++) {
                long t = random.nextInt(50);
                final int n = random.nextInt(30);
                for (int i = 0; i < n; i++) {
                    t += 1 + random.nextInt(5);
                    final double value = source * 1000 + t;
                    samples.add(t, value);
                    expected.putIfAbsent(t, value); // the first source to hold a timestamp wins
                }
            }
            TenantQueryable.sortAndDropDuplicates(samples);
            assertThat(samples.size()).as("round %d", round).isEqualTo(expected.size());
            int i = 0;
            for (final var entry : expected.entrySet()) {
                assertThat(samples.timestamps()[i]).isEqualTo(entry.getKey());
                assertThat(samples.values()[i]).as("round %d t=%d", round, entry.getKey()).isEqualTo(entry.getValue());
                i++;
            }
        }
    }
}
