package io.tidemark.bench.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code node_hwmon_temp_celsius{chip, sensor}}: four coretemp sensors (package and three cores),
 * which report whole degrees, and one ACPI thermal zone, which reports tenths. The kernel gives
 * millidegrees and node_exporter divides by 1000, so values are exactly {@code k / 10.0}.
 *
 * <p>Each sensor follows the target's CPU activity with a lag and some noise: cores react within a
 * scrape or two, the thermal zone over minutes.
 */
final class NodeHwmonFamily extends NodeSeriesFamily {
    private static final String CORETEMP = "platform_coretemp_0";
    private static final int THERMAL_ZONE = 4;

    NodeHwmonFamily() {
        super(List.of(
            new SeriesKey("node_hwmon_temp_celsius", "chip", CORETEMP, "sensor", "temp1"),
            new SeriesKey("node_hwmon_temp_celsius", "chip", CORETEMP, "sensor", "temp2"),
            new SeriesKey("node_hwmon_temp_celsius", "chip", CORETEMP, "sensor", "temp3"),
            new SeriesKey("node_hwmon_temp_celsius", "chip", CORETEMP, "sensor", "temp4"),
            new SeriesKey("node_hwmon_temp_celsius", "chip", "thermal_thermal_zone0", "sensor", "temp1")));
    }

    @Override
    void generate(final NodeTarget target, final SplittableRandom random, final double[][] values) {
        final double ambient = 28 + 10 * random.nextDouble();
        final double heating = 35 + 20 * random.nextDouble();
        for (int sensor = 0; sensor < values.length; sensor++) {
            final boolean zone = sensor == THERMAL_ZONE;
            final double offset = zone ? 2 * random.nextDouble() : 4 * random.nextDouble() - 2;
            final double response = zone ? 0.05 : 0.4;
            final double noise = zone ? 0.15 : 1.2;
            double temperature = ambient + offset + heating * target.busy(0);
            for (int sample = 0; sample < target.samples(); sample++) {
                final double goal = ambient + offset + heating * target.busy(sample);
                temperature += response * (goal - temperature) + noise * random.nextGaussian();
                final long millidegrees = zone ? Math.round(temperature * 10) * 100 : Math.round(temperature) * 1000;
                values[sensor][sample] = millidegrees / 1000.0;
            }
        }
    }
}
