package io.tidemark.bench.data;

import static io.tidemark.bench.data.SeriesAssertions.assertSameSeries;
import static io.tidemark.bench.data.SeriesAssertions.rawBits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetsTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    @BeforeAll
    static void printSeed() {
        System.out.println("DatasetsTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
    }

    private static Dataset small(final String name, final long seed) {
        return Datasets.byName(name, seed, 3, 60);
    }

    @Test
    void shouldMapNamesToDatasetsWithTheRightSeriesCounts() {
        final Dataset node = Datasets.byName("node", SEED, 4, 10);
        final Dataset tsbs = Datasets.byName("tsbs", SEED, 7, 10);
        assertThat(node.name()).isEqualTo("node");
        assertThat(node.seriesCount()).isEqualTo(4 * 163);
        assertThat(tsbs.name()).isEqualTo("tsbs");
        assertThat(tsbs.seriesCount()).isEqualTo(70);
        assertThat(Datasets.node(SEED, 5, 3).seriesCount()).isEqualTo(5 * 163);
        assertThat(Datasets.tsbs(SEED, 5, 3).seriesCount()).isEqualTo(50);
        assertThat(node.series(node.seriesCount() - 1).size()).isEqualTo(10);
        assertThat(tsbs.series(tsbs.seriesCount() - 1).size()).isEqualTo(10);
    }

    @Test
    void shouldRejectAnUnknownNameListingTheValidOnes() {
        assertThatThrownBy(() -> Datasets.byName("prometheus", SEED, 1, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("prometheus").hasMessageContaining("node").hasMessageContaining("tsbs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"node", "tsbs"})
    void shouldRejectNonPositiveCountsAndOutOfRangeIndexes(final String name) {
        assertThatThrownBy(() -> Datasets.byName(name, SEED, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Datasets.byName(name, SEED, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Datasets.byName(name, SEED, Integer.MAX_VALUE, 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too many series");
        final Dataset dataset = small(name, SEED);
        assertThatThrownBy(() -> dataset.series(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> dataset.series(dataset.seriesCount())).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"node", "tsbs"})
    void shouldGenerateBitIdenticalSeriesForTheSameSeed(final String name) {
        final Dataset first = small(name, SEED);
        final Dataset second = small(name, SEED);
        for (int index = 0; index < first.seriesCount(); index++) {
            assertSameSeries(second.series(index), first.series(index), name + " series " + index);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"node", "tsbs"})
    void shouldGenerateEachSeriesIndependentlyOfGenerationOrder(final String name) {
        final List<SeriesData> inOrder = SeriesAssertions.all(small(name, SEED));
        final Dataset shuffledDataset = small(name, SEED);
        final List<Integer> order = new ArrayList<>();
        for (int index = 0; index < inOrder.size(); index++) {
            order.add(index);
            order.add(index);
        }
        Collections.shuffle(order, new Random(SEED));
        for (final int index : order) {
            assertSameSeries(shuffledDataset.series(index), inOrder.get(index), name + " series " + index);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"node", "tsbs"})
    void shouldGiveEachCallItsOwnArrays(final String name) {
        final Dataset dataset = small(name, SEED);
        final SeriesData first = dataset.series(1);
        final long[] valueBits = rawBits(first.values());
        first.values()[0] = -12345.0;
        first.timestamps()[0] = -1;
        final SeriesData second = dataset.series(1);
        assertThat(second.values()).isNotSameAs(first.values());
        assertThat(rawBits(second.values())[0]).isEqualTo(valueBits[0]);
        assertThat(second.timestamps()[0]).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"node", "tsbs"})
    void shouldGenerateDifferentValuesForDifferentSeeds(final String name) {
        final Dataset first = small(name, SEED);
        final Dataset second = small(name, SEED + 1);
        int differing = 0;
        for (int index = 0; index < first.seriesCount(); index++) {
            if (!Arrays.equals(rawBits(first.series(index).values()), rawBits(second.series(index).values()))) {
                differing++;
            }
        }
        assertThat(differing).isGreaterThan(first.seriesCount() / 2);
    }
}
