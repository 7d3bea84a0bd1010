package io.tidemark.bench.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code node_filesystem_{avail,free,size}_bytes} and {@code node_filesystem_files{,_free}} for three
 * mount points, from statfs(2): block counts times the 4 KiB block size, and inode counts.
 *
 * <p>Sizes and inode totals are constant. {@code /} grows by logs and is trimmed by rotation,
 * {@code /boot} does not change at all, {@code /var/lib/docker} jumps when images are pulled or
 * pruned. Free space is available space plus the 5% reserved for root.
 */
final class NodeFilesystemFamily extends NodeSeriesFamily {
    private static final String[][] MOUNTS = {
        {"/dev/sda1", "ext4", "/"},
        {"/dev/sda2", "ext4", "/boot"},
        {"/dev/sdb1", "xfs", "/var/lib/docker"},
    };
    private static final String[] METRICS = {
        "node_filesystem_avail_bytes", "node_filesystem_files", "node_filesystem_files_free",
        "node_filesystem_free_bytes", "node_filesystem_size_bytes",
    };
    private static final long BLOCK_BYTES = 4096;

    NodeFilesystemFamily() {
        super(keys());
    }

    private static List<SeriesKey> keys() {
        final List<SeriesKey> keys = new ArrayList<>();
        for (final String[] mount : MOUNTS) {
            for (final String metric : METRICS) {
                keys.add(new SeriesKey(metric, "device", mount[0], "fstype", mount[1], "mountpoint", mount[2]));
            }
        }
        return keys;
    }

    @Override
    void generate(final NodeTarget target, final SplittableRandom random, final double[][] values) {
        for (int mount = 0; mount < MOUNTS.length; mount++) {
            final long sizeBlocks = switch (mount) {
                case 0 -> random.nextLong(5_000_000, 25_000_000);
                case 1 -> random.nextLong(240_000, 250_000);
                default -> random.nextLong(50_000_000, 250_000_000);
            };
            final long reservedBlocks = sizeBlocks / 20;
            long availableBlocks = Math.round((sizeBlocks - reservedBlocks) * (0.2 + 0.6 * random.nextDouble()));
            final long files = sizeBlocks / 4;
            long freeFiles = Math.round(files * (0.6 + 0.35 * random.nextDouble()));
            final int base = mount * METRICS.length;
            for (int sample = 0; sample < target.samples(); sample++) {
                if (mount == 0) {
                    availableBlocks -= Sampling.poisson(random, 3 + 20 * target.busy(sample));
                    if (random.nextDouble() < 0.002) {
                        availableBlocks += random.nextLong(1_000, 50_000);
                    }
                    freeFiles += random.nextDouble() < 0.1 ? random.nextLong(-20, 21) : 0;
                } else if (mount == 2 && random.nextDouble() < 0.01) {
                    final long change = random.nextLong(10_000, 500_000);
                    availableBlocks += random.nextBoolean() ? change : -change;
                    freeFiles += random.nextBoolean() ? change / 8 : -change / 8;
                }
                availableBlocks = Math.max(0, Math.min(sizeBlocks - reservedBlocks, availableBlocks));
                freeFiles = Math.max(0, Math.min(files, freeFiles));
                values[base][sample] = availableBlocks * BLOCK_BYTES;
                values[base + 1][sample] = files;
                values[base + 2][sample] = freeFiles;
                values[base + 3][sample] = (availableBlocks + reservedBlocks) * BLOCK_BYTES;
                values[base + 4][sample] = sizeBlocks * BLOCK_BYTES;
            }
        }
    }
}
