package io.tidemark.engine.wal;

import io.tidemark.memory.NativeAllocator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The process {@link WalCrashTest} kills: recovers a WAL, then appends numbered batches forever and
 * prints {@code ack N} each time the durable mark shows that batches up to N are durable. Batch
 * contents are a function of the batch number ({@link #batch}), so the test can check them.
 *
 * <p>Arguments: directory, durability mode name, background sync (true or false), first batch number.
 */
public final class WalCrashChild {
    private WalCrashChild() {
    }

    public static void main(final String[] args) throws IOException {
        final Path directory = Path.of(args[0]);
        final Durability durability = Durability.valueOf(args[1]);
        final boolean backgroundSync = Boolean.parseBoolean(args[2]);
        final long firstBatch = Long.parseLong(args[3]);
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        final BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII));
        final WalRecovery recovery = WalRecovery.recover(directory, 0, new RecordingVisitor(), allocator);
        final WalConfig config = WalConfig.defaults().withDurability(durability).withSizes(256 << 10, 64 << 10, 16 << 10)
            .withGroupCommit(8, 300).withBackgroundSync(backgroundSync);
        try (WalWriter writer = WalWriter.open(recovery, config, allocator)) {
            out.write("ready " + recovery.nextSequence() + "\n");
            out.flush();
            long printed = -1;
            for (long b = firstBatch; ; b++) {
                final SplittableRandom random = new SplittableRandom(b);
                if (b % 5 == 0) {
                    writer.appendSeries((int) b, labels(b));
                }
                final int n = 1 + random.nextInt(300);
                writer.beginSamples();
                for (int i = 0; i < n; i++) {
                    writer.addSampleBits(id(b, i), time(b, i), random.nextLong());
                }
                writer.endSamples();
                writer.mark(b);
                writer.maybeCommit(System.nanoTime());
                final long durable = writer.durablePosition().mark();
                if (durable > printed) {
                    out.write("ack " + durable + "\n");
                    out.flush();
                    printed = durable;
                }
            }
        }
    }

    /** Batch {@code b} flattened as {@link RecordingVisitor#flattened()} shows it. */
    static List<String> batch(final long b) {
        final List<String> flattened = new ArrayList<>();
        if (b % 5 == 0) {
            flattened.add("S " + (int) b + " " + java.util.Arrays.toString(labels(b)));
        }
        final SplittableRandom random = new SplittableRandom(b);
        final int n = 1 + random.nextInt(300);
        for (int i = 0; i < n; i++) {
            flattened.add(id(b, i) + "/" + time(b, i) + "/" + Long.toHexString(random.nextLong()));
        }
        return flattened;
    }

    private static byte[] labels(final long b) {
        return ("{__name__=\"m\",batch=\"" + b + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static int id(final long b, final int i) {
        return (int) (b % 1000) + i;
    }

    private static long time(final long b, final int i) {
        return 1_700_000_000_000L + b * 1000 + i;
    }
}
