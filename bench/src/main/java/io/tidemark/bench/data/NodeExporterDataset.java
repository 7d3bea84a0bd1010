package io.tidemark.bench.data;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * What Prometheus stores when it scrapes node_exporter on many hosts every 15 s: per target
 * ({@code instance="10.0.<t/256>.<t%256>:9100"}, {@code job="node"}) the same
 * {@value #SERIES_PER_TARGET} series, all stamped with that target's scrape times (see
 * {@link NodeTarget}). Series {@code i} belongs to target {@code i / 163}.
 *
 * <p>Values are produced with the exporters' own arithmetic (USER_HZ ticks over 100, diskstats
 * milliseconds times 0.001, KiB times 1024, fixed-point load averages, Go durations) and driven by
 * one CPU-activity curve per target, so related series move together. Composition per target:
 * <pre>
 * family      series  kinds
 * cpu           32    float counters node_cpu_seconds_total (4 CPUs x 8 modes), exactly k/100
 * disk          16    8 integer counters (ops; bytes in whole 4 KiB), 6 float counters (ms * 0.001),
 *                     2 small integer gauges (io_now)
 * filesystem    15    6 constants (size, files), 9 slow integer gauges (avail, free, files_free)
 * histogram     24    20 cumulative bucket and 2 count integer counters, 2 high-entropy float _sum counters
 * hwmon          5    temperature gauges, whole degrees (4) or tenths (1)
 * load           3    gauges, exactly k/100
 * memory        10    2 constants (MemTotal, SwapTotal), 8 integer gauges in whole 4 KiB pages
 * network       10    integer counters, bursty (the lo drop counter stays 0)
 * process        7    1 float counter (k/100), 5 integer gauges, 1 constant
 * scrape        25    11 constants (up, collector success), 11 high-entropy float gauges (durations),
 *                     3 rarely changing integer gauges
 * system        16    3 integer counters, 6 constants (boot time, uname, max frequency), 6 integer gauges,
 *                     1 high-entropy float gauge (node_time_seconds)
 * total        163    84 counters (51%), 41 slowly moving gauges (25%), 12 high-entropy gauges (7%),
 *                     26 constants (16%)
 * </pre>
 * Counters never decrease (no resets). Each family of one target draws from its own random stream
 * seeded by (seed, target, family), so a series does not depend on which others were generated.
 *
 * <p>A family is generated whole; the last one generated is kept (a few arrays of one target) so
 * that reading the series in index order generates each family once. Thread-safe: the kept family
 * is immutable and published through a volatile field, and series get copies of its arrays.
 */
final class NodeExporterDataset implements Dataset {
    static final int SERIES_PER_TARGET = 163;
    private static final long FIRST_FAMILY_STREAM = 100;
    private static final List<NodeSeriesFamily> FAMILIES = List.of(
        new NodeCpuFamily(0), new NodeCpuFamily(1), new NodeCpuFamily(2), new NodeCpuFamily(3), new NodeDiskFamily(), new NodeFilesystemFamily(), new NodeHistogramFamily(),
        new NodeHwmonFamily(), new NodeLoadFamily(), new NodeMemoryFamily(), new NodeNetworkFamily(),
        new NodeProcessFamily(), new NodeScrapeFamily(), new NodeSystemFamily());

    static {
        final int total = FAMILIES.stream().mapToInt(NodeSeriesFamily::seriesCount).sum();
        if (total != SERIES_PER_TARGET) {
            throw new IllegalStateException("family sizes do not add up: total=" + total
                + " expected=" + SERIES_PER_TARGET);
        }
    }

    private final long seed;
    private final int targets;
    private final int samplesPerSeries;
    private final int seriesCount;
    private volatile GeneratedFamily lastGenerated;

    /** The values of one family of one target, never modified once built. */
    private record GeneratedFamily(NodeTarget target, int familyIndex, double[][] values) {
    }

    NodeExporterDataset(final long seed, final int targets, final int samplesPerSeries) {
        this.seriesCount = Datasets.checkedSeriesCount("targets", targets, SERIES_PER_TARGET, samplesPerSeries);
        this.seed = seed;
        this.targets = targets;
        this.samplesPerSeries = samplesPerSeries;
    }

    @Override
    public String name() {
        return Datasets.NODE;
    }

    @Override
    public int seriesCount() {
        return seriesCount;
    }

    int targets() {
        return targets;
    }

    @Override
    public SeriesData series(final int index) {
        if (index < 0 || index >= seriesCount) {
            throw new IndexOutOfBoundsException("series out of range: index=" + index + " seriesCount=" + seriesCount);
        }
        final int targetIndex = index / SERIES_PER_TARGET;
        int member = index % SERIES_PER_TARGET;
        int familyIndex = 0;
        while (member >= FAMILIES.get(familyIndex).seriesCount()) {
            member -= FAMILIES.get(familyIndex).seriesCount();
            familyIndex++;
        }
        final GeneratedFamily generated = generated(targetIndex, familyIndex);
        final Map<String, String> labels = new TreeMap<>();
        FAMILIES.get(familyIndex).putLabels(member, generated.target(), labels);
        labels.put("instance", generated.target().instance());
        labels.put("job", "node");
        return new SeriesData(labels, generated.target().copyTimestamps(), generated.values()[member].clone());
    }

    private GeneratedFamily generated(final int targetIndex, final int familyIndex) {
        final GeneratedFamily last = lastGenerated;
        if (last != null && last.target().index() == targetIndex && last.familyIndex() == familyIndex) {
            return last;
        }
        final NodeTarget target = last != null && last.target().index() == targetIndex
            ? last.target() : NodeTarget.create(seed, targetIndex, samplesPerSeries);
        final NodeSeriesFamily family = FAMILIES.get(familyIndex);
        final SplittableRandom random = RandomStreams.of(seed, targetIndex, FIRST_FAMILY_STREAM + familyIndex);
        final double[][] values = new double[family.seriesCount()][samplesPerSeries];
        family.generate(target, random, values);
        final GeneratedFamily generated = new GeneratedFamily(target, familyIndex, values);
        lastGenerated = generated;
        return generated;
    }

    @Override
    public String toString() {
        return "NodeExporterDataset{seed=" + seed + ", targets=" + targets + ", samplesPerSeries=" + samplesPerSeries + '}';
    }
}
