package io.tidemark.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.server.imports.ImportLimits;
import io.tidemark.server.imports.ImportResult;
import io.tidemark.server.imports.Importer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfMetricsTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path data;

    @Test
    void shouldWriteAPageThatParsesAsTheTextFormatWithEveryFamilyOnceAndCumulativeBuckets() throws Exception {
        try (Tidemark db = open()) {
            final TenantAppender appender = db.appender("team_a-b");
            final int id = appender.series(LabelSet.of("__name__", "up"));
            appender.append(id, 1000, 1);
            appender.append(id, 500, 1); // out of order
            appender.commit();
            assertThat(appender.awaitDurable(TIMEOUT)).isTrue();
            final ServerMetrics server = new ServerMetrics();
            server.request("/api/v1/query", 200, 3_000_000);
            server.request("/api/v1/query", 200, 40_000_000);
            server.request("/api/v1/query", 400, 100_000);
            server.request("/api/v1/write", 204, 1_000_000);
            server.remoteWrite("samples", 2_000);
            final String page = SelfMetrics.render(db, server, "0.1.0 \"dev\"\n");

            assertThat(page).contains("tidemark_samples_refused_total{tenant=\"team_a-b\",reason=\"out_of_order\"} 1\n");
            assertThat(page).contains("tidemark_http_requests_total{handler=\"/api/v1/query\",code=\"200\"} 2\n");
            assertThat(page).contains("tidemark_http_request_duration_seconds_bucket{handler=\"/api/v1/query\",le=\"0.005\"} 2\n");
            assertThat(page).contains("tidemark_http_request_duration_seconds_count{handler=\"/api/v1/query\"} 3\n");
            assertThat(page).contains("tidemark_build_info{version=\"0.1.0 \\\"dev\\\"\\n\"} 1\n");
            assertThat(page).containsPattern("tidemark_wal_fsync_duration_seconds_count [1-9]");
            assertThat(page).containsPattern("tidemark_ingest_applied_latency_seconds_count [1-9]");
            assertThat(page).containsPattern("tidemark_ingest_durable_latency_seconds_bucket\\{le=\"10\\.0\"} [1-9]");
            final Set<String> families = new HashSet<>();
            long samples = 0;
            for (final String line : page.split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    assertThat(families.add(line.split(" ")[2])).as("one TYPE line per family: %s", line).isTrue();
                } else if (!line.startsWith("#")) {
                    samples++;
                }
            }
            // the page reads back through the text-format importer without a rejected line
            final byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
            final ImportResult read = new Importer(db, ImportLimits.DEFAULT, TIMEOUT)
                .importBody("scrape", Importer.Format.PROMETHEUS_TEXT, bytes, 0, bytes.length, 2000);
            assertThat(read.linesRejected()).as(read.describe()).isZero();
            assertThat(read.samples()).isEqualTo(samples);
        }
    }

    @Test
    void shouldCountEveryIngestBatchOnceAcrossScrapes() throws Exception {
        try (Tidemark db = open()) {
            final TenantAppender appender = db.appender("default");
            final ServerMetrics server = new ServerMetrics();
            long lastCount = 0;
            for (int scrape = 1; scrape <= 3; scrape++) {
                for (int batch = 0; batch < 5; batch++) {
                    final int id = appender.series(LabelSet.of("__name__", "m", "batch", Integer.toString(batch)));
                    appender.append(id, scrape * 1000L, scrape);
                    appender.commit(); // one ring slot: every batch's series is on one shard
                }
                assertThat(appender.awaitDurable(TIMEOUT)).isTrue();
                final String page = SelfMetrics.render(db, server, "v");
                final long applied = value(page, "tidemark_ingest_applied_latency_seconds_count");
                final long durable = value(page, "tidemark_ingest_durable_latency_seconds_count");
                final long underTenSeconds = value(page, "tidemark_ingest_applied_latency_seconds_bucket{le=\"10.0\"}");
                assertThat(applied).as("scrape %d: batches applied since start", scrape).isEqualTo(5L * scrape);
                assertThat(durable).as("scrape %d: batches durable since start", scrape).isEqualTo(5L * scrape);
                assertThat(underTenSeconds).isEqualTo(applied);
                assertThat(value(page, "tidemark_ingest_applied_latency_seconds_sum")).isGreaterThanOrEqualTo(0);
                assertThat(applied).isGreaterThan(lastCount);
                lastCount = applied;
            }
            final String again = SelfMetrics.render(db, server, "v");
            assertThat(value(again, "tidemark_ingest_applied_latency_seconds_count")).as("no writes, no new counts").isEqualTo(15);
        }
    }

    private Tidemark open() throws IOException {
        return Tidemark.open(TidemarkConfig.defaults(data)
            .withIngest(new IngestConfig(2, 64, 64, IngestConfig.BackPressure.BLOCK, TIMEOUT, IngestConfig.Idle.BACKOFF))
            .withWal(WalConfig.defaults().withDurability(Durability.FSYNC))
            .withSealCheck(0));
    }

    private static long value(final String page, final String series) {
        for (final String line : page.split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        throw new AssertionError(series + " not on the page");
    }
}
