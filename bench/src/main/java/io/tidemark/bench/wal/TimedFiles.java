package io.tidemark.bench.wal;

import io.tidemark.engine.wal.WalFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import org.HdrHistogram.Histogram;

/** The real file system, with the latency of every segment fsync recorded (in µs). */
final class TimedFiles implements WalFiles {
    final Histogram fsyncMicros = new Histogram(60_000_000L, 3);

    @Override
    public void force(final FileChannel channel) throws IOException {
        final long start = System.nanoTime();
        channel.force(false);
        fsyncMicros.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
    }
}
