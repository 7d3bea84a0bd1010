package io.tidemark.bench.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code node_network_{receive,transmit}_{bytes,packets}_total} and
 * {@code node_network_receive_drop_total} for {@code device="eth0"} and {@code device="lo"}: the
 * integer counters of /proc/net/dev.
 *
 * <p>Packet counts per interval follow a log-normal rate with occasional bursts of 3 to 30 times,
 * and quiet intervals; bytes are the packets times an average size that changes every interval.
 * Drops happen in about one interval in 200. Loopback traffic is received as it is sent, so its
 * receive and transmit counters are equal.
 */
final class NodeNetworkFamily extends NodeSeriesFamily {
    private static final String[] DEVICES = {"eth0", "lo"};
    private static final int RECEIVE_BYTES = 0;
    private static final int RECEIVE_DROP = 1;
    private static final int RECEIVE_PACKETS = 2;
    private static final int TRANSMIT_BYTES = 3;
    private static final int TRANSMIT_PACKETS = 4;
    private static final int PER_DEVICE = 5;

    NodeNetworkFamily() {
        super(keys());
    }

    private static List<SeriesKey> keys() {
        final List<SeriesKey> keys = new ArrayList<>();
        for (final String device : DEVICES) {
            keys.add(new SeriesKey("node_network_receive_bytes_total", "device", device));
            keys.add(new SeriesKey("node_network_receive_drop_total", "device", device));
            keys.add(new SeriesKey("node_network_receive_packets_total", "device", device));
            keys.add(new SeriesKey("node_network_transmit_bytes_total", "device", device));
            keys.add(new SeriesKey("node_network_transmit_packets_total", "device", device));
        }
        return keys;
    }

    @Override
    void generate(final NodeTarget target, final SplittableRandom random, final double[][] values) {
        final double uptimeSeconds = (target.previousTimestamp(0) - target.bootTimeMs()) / 1000.0;
        for (int device = 0; device < DEVICES.length; device++) {
            final boolean loopback = device == 1;
            final double packetsPerSecond = Sampling.logNormal(random, loopback ? 15 : 300, 1.0);
            final long[] counters = new long[PER_DEVICE];
            counters[RECEIVE_PACKETS] = Math.round(uptimeSeconds * packetsPerSecond);
            counters[TRANSMIT_PACKETS] = loopback ? counters[RECEIVE_PACKETS] : Math.round(counters[RECEIVE_PACKETS] * 0.8);
            counters[RECEIVE_BYTES] = counters[RECEIVE_PACKETS] * (loopback ? 180 : 900);
            counters[TRANSMIT_BYTES] = loopback ? counters[RECEIVE_BYTES] : counters[TRANSMIT_PACKETS] * 400;
            counters[RECEIVE_DROP] = loopback ? 0 : random.nextLong(0, 2_000);
            for (int sample = 0; sample < target.samples(); sample++) {
                final double seconds = (target.timestamp(sample) - target.previousTimestamp(sample)) / 1000.0;
                final double activity = 0.5 + target.busy(sample);
                final long received = burstyPackets(random, packetsPerSecond * activity * seconds);
                counters[RECEIVE_PACKETS] += received;
                counters[RECEIVE_BYTES] += received * packetSize(random, loopback ? 60 : 64, loopback ? 400 : 1_500);
                if (loopback) {
                    counters[TRANSMIT_PACKETS] = counters[RECEIVE_PACKETS];
                    counters[TRANSMIT_BYTES] = counters[RECEIVE_BYTES];
                } else {
                    final long sent = burstyPackets(random, packetsPerSecond * 0.8 * activity * seconds);
                    counters[TRANSMIT_PACKETS] += sent;
                    counters[TRANSMIT_BYTES] += sent * packetSize(random, 54, 1_500);
                    if (random.nextDouble() < 0.005) {
                        counters[RECEIVE_DROP] += random.nextLong(1, 6);
                    }
                }
                for (int counter = 0; counter < PER_DEVICE; counter++) {
                    values[device * PER_DEVICE + counter][sample] = counters[counter];
                }
            }
        }
    }

    private static long burstyPackets(final SplittableRandom random, final double mean) {
        final double roll = random.nextDouble();
        if (roll < 0.03) {
            return 0;
        }
        double rate = mean * Math.exp(0.5 * random.nextGaussian() - 0.125);
        if (roll > 0.97) {
            rate *= 3 + 27 * random.nextDouble();
        }
        return Sampling.poisson(random, rate);
    }

    /** Average packet size over an interval: anywhere from all headers to all full frames. */
    private static long packetSize(final SplittableRandom random, final int smallest, final int largest) {
        return random.nextLong(smallest, largest + 1);
    }
}
