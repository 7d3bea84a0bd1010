package io.tidemark.engine.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.engine.head.SeriesCursor;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.engine.wal.WalDiskFullException;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A database on a file system made small for the purpose (a tmpfs of a few MiB, mounted by the test;
 * skipped with a message where mounting is not permitted) runs out of space: writes are refused with
 * {@link DiskFullException}, sealing fails without leaving a partial block, nothing acknowledged is
 * lost, writes resume by themselves once a filler file is deleted, and a reopen finds every sample
 * that was acknowledged.
 */
class TidemarkDiskFullTest {
    private static final String TENANT = "full";
    private static final int SERIES = 100;
    private static final long START = 1_700_000_000_000L;
    private static final long STEP = 15_000;
    private static final long DURABLE_WAIT = TimeUnit.SECONDS.toNanos(2);

    private Path mountPoint;
    private boolean mounted;

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"),
            "skipped: the disk-full test mounts a tmpfs, which needs Linux");
        mountPoint = Files.createTempDirectory("tidemark-disk-full");
        final String output;
        final int exit;
        try {
            final Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", mountPoint.toString())
                .redirectErrorStream(true).start();
            output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            exit = mount.waitFor(30, TimeUnit.SECONDS) ? mount.exitValue() : -1;
        } catch (final IOException e) {
            Assumptions.abort("skipped: cannot run mount to make a small tmpfs: " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(exit == 0, () -> "skipped: cannot mount a 6 MiB tmpfs at " + mountPoint
            + " (needs root or CAP_SYS_ADMIN): exit " + exit + " " + output);
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            final Process umount = new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start();
            assertThat(umount.waitFor(30, TimeUnit.SECONDS) && umount.exitValue() == 0).as("umount " + mountPoint).isTrue();
        }
        if (mountPoint != null) {
            Files.deleteIfExists(mountPoint);
        }
    }

    private TidemarkConfig config() {
        return TidemarkConfig.defaults(mountPoint.resolve("data"))
            .withIngest(new IngestConfig(2, 64, 128, IngestConfig.BackPressure.BLOCK, TimeUnit.SECONDS.toNanos(2),
                IngestConfig.Idle.BACKOFF))
            .withWal(WalConfig.defaults().withDurability(Durability.FSYNC).withSegmentBytes(512 << 10))
            .withSealCheck(0);
    }

    private static double value(final int series, final long round) {
        return series * 1_000_000.0 + round;
    }

    @Test
    void shouldRefuseWritesWhileTheDiskIsFullAndResumeWhenSpaceReturns() throws Exception {
        final Path filler = mountPoint.resolve("filler");
        final Path topUp = mountPoint.resolve("top-up");
        final List<Long> acknowledged = new ArrayList<>();
        long round = 0;
        try (Tidemark db = Tidemark.open(config())) {
            final TenantAppender appender = db.appender(TENANT);
            final int[] ids = new int[SERIES];
            for (int s = 0; s < SERIES; s++) {
                ids[s] = appender.series(LabelSet.of("__name__", "disk_full_test", "series", Integer.toString(s)));
            }
            // Leave about 200 KiB free: a few hundred rounds of 100 samples fit, then the WAL meets the full disk.
            fill(filler, Files.getFileStore(mountPoint).getUsableSpace() - (200 << 10));

            DiskFullException refused = null;
            long toldWaiterNanos = -1;
            for (; round < 100_000 && refused == null; round++) {
                try {
                    append(appender, ids, round);
                    appender.commit();
                } catch (final DiskFullException e) {
                    refused = e;
                    appender.discard(); // this producer gives up on the refused round
                    break;
                }
                final long waitStart = System.nanoTime();
                try {
                    if (appender.awaitDurable(DURABLE_WAIT)) {
                        acknowledged.add(round);
                    }
                } catch (final DiskFullException e) {
                    // the round the full disk caught: its waiter is told now, not at its timeout
                    toldWaiterNanos = System.nanoTime() - waitStart;
                    refused = e;
                }
            }
            assertThat(toldWaiterNanos).as("the waiter of the round that met the full disk is told").isNotNegative()
                .isLessThan(DURABLE_WAIT);
            assertThat(refused).as("writes must be refused once the disk is full").isNotNull();
            assertThat(refused).hasMessageStartingWith("disk full: WAL of tenant " + TENANT + " shard ")
                .hasMessageContaining("No space left on device").hasCauseInstanceOf(WalDiskFullException.class);
            assertThat(acknowledged).as("rounds acknowledged before the disk filled").hasSizeGreaterThan(10);

            // While full: more writes are refused, reads see every acknowledged sample, sealing fails cleanly.
            fill(topUp, Long.MAX_VALUE);
            final long refusedRound = round++;
            assertThatThrownBy(() -> {
                append(appender, ids, refusedRound);
                appender.commit();
            }).isInstanceOf(DiskFullException.class);
            appender.discard();
            check(db, ids, acknowledged);
            assertThatThrownBy(db::flush).as("sealing needs space too")
                .satisfies(e -> assertThat(WalDiskFullException.isOutOfSpace(e)).as(e.toString()).isTrue());
            assertThat(blockDirectories()).as("no partial block is left behind").isEmpty();
            assertThat(db.blocks(TENANT)).isEmpty();
            check(db, ids, acknowledged);

            // Space returns: writes resume by themselves.
            Files.delete(topUp);
            Files.delete(filler);
            final long resumedAt = System.nanoTime();
            int refusals = 0;
            while (true) {
                try {
                    append(appender, ids, round);
                    appender.commit();
                    break;
                } catch (final DiskFullException e) {
                    appender.discard();
                    refusals++;
                    assertThat(System.nanoTime() - resumedAt).as("writes resume within seconds").isLessThan(TimeUnit.SECONDS.toNanos(10));
                    Thread.sleep(50);
                }
            }
            assertThat(appender.awaitDurable(TimeUnit.SECONDS.toNanos(30))).isTrue();
            acknowledged.add(round++);
            for (final long end = round + 200; round < end; round++) {
                append(appender, ids, round);
                appender.commit();
                assertThat(appender.awaitDurable(TimeUnit.SECONDS.toNanos(30))).isTrue();
                acknowledged.add(round);
            }
            check(db, ids, acknowledged);
            System.out.println("disk-full test: " + acknowledged.size() + " rounds acknowledged, refused after round "
                + refusedRound + ", " + refusals + " refusals after space returned");
        }
        try (Tidemark db = Tidemark.open(config())) {
            final int[] ids = new int[SERIES];
            final TenantAppender appender = db.appender(TENANT);
            for (int s = 0; s < SERIES; s++) {
                ids[s] = appender.series(LabelSet.of("__name__", "disk_full_test", "series", Integer.toString(s)));
            }
            check(db, ids, acknowledged);
        }
    }

    private static void append(final TenantAppender appender, final int[] ids, final long round) {
        for (int s = 0; s < ids.length; s++) {
            appender.append(ids[s], START + round * STEP, value(s, round));
        }
    }

    /** Every acknowledged round has its sample in every series, with its value. */
    private static void check(final Tidemark db, final int[] ids, final List<Long> acknowledged) {
        final SeriesCursor cursor = new SeriesCursor();
        for (int s = 0; s < ids.length; s++) {
            final Map<Long, Double> found = new HashMap<>();
            db.read(TENANT, ids[s], Long.MIN_VALUE, Long.MAX_VALUE, cursor);
            while (cursor.next()) {
                found.put(cursor.timestamp(), cursor.value());
            }
            for (final long round : acknowledged) {
                assertThat(found.get(START + round * STEP)).as("series %d round %d", s, round).isEqualTo(value(s, round));
            }
        }
    }

    private List<Path> blockDirectories() throws IOException {
        final Path blocks = Tenant.blockDirectory(mountPoint.resolve("data"), TENANT);
        if (!Files.isDirectory(blocks)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(blocks)) {
            return list.toList();
        }
    }

    /** Writes {@code bytes} of filler to {@code file}, or until the file system is full. */
    private static void fill(final Path file, final long bytes) throws IOException {
        final ByteBuffer chunk = ByteBuffer.allocateDirect(4096);
        long left = bytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (left > 0) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), left));
                left -= channel.write(chunk);
            }
        } catch (final IOException e) {
            if (!WalDiskFullException.isOutOfSpace(e)) {
                throw e;
            }
        }
    }
}
