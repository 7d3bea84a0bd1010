package io.tidemark.server.remote.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.server.remote.read.RemoteReadProtos.Frame;
import io.tidemark.server.remote.read.RemoteReadProtos.Matcher;
import io.tidemark.server.remote.read.RemoteReadProtos.Query;
import io.tidemark.server.remote.read.RemoteReadProtos.Series;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteReadTidemarkTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final long STALE_MARKER = 0x7ff0000000000002L;

    @TempDir
    Path data;

    private static long bits(final int series, final int k) {
        return k % 50 == 49 ? STALE_MARKER : Double.doubleToRawLongBits(series * 100.0 + k / 4.0);
    }

    @Test
    void shouldReadBackWhatATidemarkTenantHoldsInBothResponseTypes() throws Exception {
        final TidemarkConfig config = TidemarkConfig.defaults(data)
            .withIngest(new IngestConfig(2, 64, 64, IngestConfig.BackPressure.BLOCK, TIMEOUT, IngestConfig.Idle.BACKOFF));
        try (Tidemark db = Tidemark.open(config)) {
            final TenantAppender appender = db.appender("team-a");
            final int[] ids = new int[4];
            for (int s = 0; s < ids.length; s++) {
                ids[s] = appender.series(LabelSet.of("__name__", "http_requests_total", "code", s % 2 == 0 ? "200" : "500",
                    "instance", "host-" + s));
            }
            for (int k = 0; k < 300; k++) {
                for (int s = 0; s < ids.length; s++) {
                    appender.append(ids[s], 1_000L * k, Double.longBitsToDouble(bits(s, k)));
                }
                appender.commit();
            }
            assertThat(appender.awaitDurable(TIMEOUT)).isTrue();
            final TenantAppender other = db.appender("team-b"); // another tenant's series must not show up
            other.append(other.series(LabelSet.of("__name__", "http_requests_total", "code", "200", "instance", "other")),
                20_000, 1);
            other.commit();
            assertThat(other.awaitDurable(TIMEOUT)).isTrue();

            final RemoteReadHandler handler = new RemoteReadHandler(RemoteReadLimits.DEFAULTS);
            final ResponseBuffer out = new ResponseBuffer(1024);
            final List<Query> queries = List.of(new Query(10_000, 250_000, List.of(
                new Matcher(0, "__name__", "http_requests_total"), new Matcher(0, "code", "200"))));

            handler.handle(RemoteReadProtos.snappy(RemoteReadProtos.request(queries)), 0,
                RemoteReadProtos.snappy(RemoteReadProtos.request(queries)).length, db.queryable("team-a"), out);
            final List<Series> series = RemoteReadProtos.readSamples(out.toByteArray()).get(0);
            assertThat(series).extracting(s -> s.labels().get("instance")).containsExactly("host-0", "host-2");
            for (final Series one : series) {
                final int s = Integer.parseInt(one.labels().get("instance").substring(5));
                assertThat(RemoteReadProtos.describe(one.samples())).isEqualTo(RemoteReadProtos.describe(expected(s)));
            }

            final byte[] streamed = RemoteReadProtos.snappy(RemoteReadProtos.request(queries, 1));
            handler.handle(streamed, 0, streamed.length, db.queryable("team-a"), out);
            final List<Frame> frames = RemoteReadProtos.readFrames(out.toByteArray());
            assertThat(frames).extracting(f -> f.labels().get("instance")).containsExactly("host-0", "host-2");
            for (final Frame frame : frames) {
                final int s = Integer.parseInt(frame.labels().get("instance").substring(5));
                assertThat(frame.chunkRanges()).extracting(r -> r[2]).containsExactly(120L, 120L, 1L);
                assertThat(RemoteReadProtos.describe(frame.samples())).isEqualTo(RemoteReadProtos.describe(expected(s)));
            }
        }
    }

    private static List<long[]> expected(final int s) {
        final List<long[]> samples = new ArrayList<>();
        for (int k = 10; k <= 250; k++) {
            samples.add(new long[] {1_000L * k, bits(s, k)});
        }
        return samples;
    }
}
