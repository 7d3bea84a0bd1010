package io.tidemark.server.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.engine.db.TidemarkConfig;
import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.engine.wal.Durability;
import io.tidemark.engine.wal.WalConfig;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.server.remote.MetricMetadataStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportExportTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final List<List<LabelMatcher>> EVERYTHING = List.of(List.of(LabelMatcher.of(LabelMatcher.Type.REGEX, "__name__", ".+")));

    @TempDir
    Path data;
    private Tidemark db;
    private Importer importer;

    @BeforeEach
    void open() throws Exception {
        db = Tidemark.open(TidemarkConfig.defaults(data)
            .withIngest(new IngestConfig(2, 64, 64, IngestConfig.BackPressure.BLOCK, TIMEOUT, IngestConfig.Idle.BACKOFF))
            .withWal(WalConfig.defaults().withDurability(Durability.OS_WRITE_LOST_ON_POWER_FAILURE))
            .withSealCheck(0));
        importer = new Importer(db, ImportLimits.DEFAULT, TIMEOUT);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private ImportResult load(final String tenant, final Importer.Format format, final String body) throws Exception {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return importer.importBody(tenant, format, bytes, 0, bytes.length, 1_700_000_000_000L);
    }

    /** Every series of {@code tenant}: labels to [timestamp, value bits] pairs. */
    private Map<String, List<long[]>> read(final String tenant) {
        final Map<String, List<long[]>> all = new TreeMap<>();
        final SeriesSet set = db.queryable(tenant).select(EVERYTHING.getFirst(), Long.MIN_VALUE, Long.MAX_VALUE);
        final SampleBuffer buffer = new SampleBuffer(16);
        while (set.next()) {
            set.samples(buffer);
            final List<long[]> samples = new ArrayList<>();
            for (int i = 0; i < buffer.size(); i++) {
                samples.add(new long[] {buffer.timestamps()[i], Double.doubleToRawLongBits(buffer.values()[i])});
            }
            all.put(set.labels().toString(), samples);
        }
        return all;
    }

    private String export(final String tenant) throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLinesExporter.export(db.queryable(tenant), EVERYTHING, Long.MIN_VALUE, Long.MAX_VALUE, 1_000_000, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldImportJsonLinesExportThemAndImportTheExportToTheSameSeries() throws Exception {
        final String body = """
            {"metric":{"__name__":"up","job":"node","instance":"a:9100"},"values":[1,0,1.5,"NaN","+Inf","-Inf",-2.5e-3],"timestamps":[1000,2000,3000,4000,5000,6000,7000]}

              {"timestamps":[1000],"values":[42],"metric":{"__name__":"temp","room":"k\\u00fcche \\"1\\"","empty":""},"other":{"x":[1,{"y":null}]}}
            """;
        final ImportResult result = load("a", Importer.Format.JSON_LINES, body);
        assertThat(result.clean()).as(result.describe()).isTrue();
        assertThat(result.samples()).isEqualTo(8);
        final Map<String, List<long[]>> imported = read("a");
        assertThat(imported).containsOnlyKeys(LabelSet.of("__name__", "temp", "room", "küche \"1\"").toString(),
            "{__name__=\"up\", instance=\"a:9100\", job=\"node\"}");
        assertThat(imported.get("{__name__=\"up\", instance=\"a:9100\", job=\"node\"}")).hasSize(7);
        final String exported = export("a");
        assertThat(exported).contains("{\"metric\":{\"__name__\":\"up\",\"instance\":\"a:9100\",\"job\":\"node\"},"
            + "\"values\":[1,0,1.5,\"NaN\",\"+Inf\",\"-Inf\",-0.0025],\"timestamps\":[1000,2000,3000,4000,5000,6000,7000]}\n");
        final ImportResult again = load("b", Importer.Format.JSON_LINES, exported);
        assertThat(again.clean()).isTrue();
        assertThat(read("b")).usingRecursiveComparison().isEqualTo(imported);
    }

    @Test
    void shouldRejectEachBadJsonLineWithItsNumberAndStoreTheGoodOnes() throws Exception {
        final String[] bad = {
            "{\"metric\":{\"__name__\":\"x\"},\"values\":[1],\"timestamps\":[NaN]}",
            "{\"metric\":{\"__name__\":\"x\"},\"values\":[1],\"timestamps\":[\"Inf\"]}",
            "{\"metric\":{\"__name__\":\"x\"},\"values\":[1],\"timestamps\":[1.5]}",
            "{\"metric\":{\"__name__\":\"x\"},\"values\":[NaN],\"timestamps\":[1]}",
            "{\"metric\":{\"__name__\":\"x\"},\"values\":[1,2],\"timestamps\":[1]}",
            "{\"values\":[1],\"timestamps\":[1]}",
            "{\"metric\":{\"__name__\":\"x\",\"__name__\":\"y\"},\"values\":[1],\"timestamps\":[1]}",
            "{\"metric\":{\"__name__\":\"x\",\"\":\"y\"},\"values\":[1],\"timestamps\":[1]}",
            "{\"metric\":{\"__name__\":\"x\"},\"values\":[1],\"timestamps\":[1]",
            "{\"metric\":{\"__name__\":\"x\"},\"values\":[1],\"timestamps\":[1]} trailing",
            "{\"metric\":{\"__name__\":\"\\ud800\"},\"values\":[1],\"timestamps\":[1]}",
            "{\"metric\":{\"__name__\":\"\\q\"},\"values\":[1],\"timestamps\":[1]}",
            "{\"metric\":{\"__name__\":\"x\"},\"values\":[01],\"timestamps\":[1]}",
            "{\"metric\":{\"__name__\":\"x\"},\"values\":[1],\"timestamps\":[99999999999999999999]}",
            "{\"metric\":{\"empty\":\"\"},\"values\":[1],\"timestamps\":[1]}",
            "[1,2,3]",
        };
        for (final String line : bad) {
            final String body = "{\"metric\":{\"__name__\":\"good\",\"n\":\"1\"},\"values\":[1],\"timestamps\":[1]}\n" + line
                + "\n{\"metric\":{\"__name__\":\"good\",\"n\":\"2\"},\"values\":[2],\"timestamps\":[1]}\n";
            final ImportResult result = load("bad", Importer.Format.JSON_LINES, body);
            assertThat(result.linesRejected()).as(line).isEqualTo(1);
            assertThat(result.firstError()).as(line).startsWith("line 2: ").contains("column");
            assertThat(result.samples()).as(line).isEqualTo(2);
        }
        assertThat(read("bad")).hasSize(2);
        final byte[] invalidUtf8 = "{\"metric\":{\"__name__\":\"\u00ff\"},\"values\":[1],\"timestamps\":[1]}".getBytes(StandardCharsets.ISO_8859_1);
        final ImportResult result = importer.importBody("bad", Importer.Format.JSON_LINES, invalidUtf8, 0, invalidUtf8.length, 0);
        assertThat(result.firstError()).contains("invalid UTF-8");
        final Importer tight = new Importer(db, new ImportLimits(1 << 20, 3, 8, 2), TIMEOUT);
        final byte[] many = ("{\"metric\":{\"__name__\":\"x\",\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"},\"values\":[1],\"timestamps\":[1]}\n"
            + "{\"metric\":{\"__name__\":\"x\",\"a\":\"123456789\"},\"values\":[1],\"timestamps\":[1]}\n"
            + "{\"metric\":{\"__name__\":\"x\"},\"values\":[1,2,3],\"timestamps\":[1,2,3]}\n").getBytes(StandardCharsets.UTF_8);
        final ImportResult limited = tight.importBody("bad", Importer.Format.JSON_LINES, many, 0, many.length, 0);
        assertThat(limited.linesRejected()).isEqualTo(3);
        assertThat(limited.firstError()).contains("more than 3 labels");
    }

    @Test
    void shouldImportPrometheusTextWithAndWithoutTimestamps() throws Exception {
        final String body = """
            # HELP http_requests_total The total number of HTTP requests.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400",} 3 1395066363000
            msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
            metric_without_labels 12.47
            {"my.dotted.metric", "label.with.dots"="x"} +Inf 1000
            nan_metric NaN -5
              spaced_metric{ a = "b" }   7   1000
            """;
        final ImportResult result = load("text", Importer.Format.PROMETHEUS_TEXT, body);
        assertThat(result.clean()).as(result.describe()).isTrue();
        assertThat(result.samples()).isEqualTo(7);
        final Map<String, List<long[]>> read = read("text");
        assertThat(read.get("{__name__=\"metric_without_labels\"}").getFirst()[0]).as("no timestamp: the default").isEqualTo(1_700_000_000_000L);
        assertThat(read.get(LabelSet.of("__name__", "msdos_file_access_time_seconds", "error", "Cannot find file:\n\"FILE.TXT\"",
            "path", "C:\\DIR\\FILE.TXT").toString())).hasSize(1);
        assertThat(read.get("{__name__=\"my.dotted.metric\", label.with.dots=\"x\"}").getFirst())
            .containsExactly(1000, Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
        assertThat(read.get("{__name__=\"nan_metric\"}").getFirst()[0]).isEqualTo(-5);
        assertThat(read.get("{__name__=\"spaced_metric\", a=\"b\"}")).hasSize(1);
    }

    @Test
    void shouldKeepTheHelpAndTypeLinesOfTextAsMetricMetadata() throws Exception {
        final MetricMetadataStore store = new MetricMetadataStore(100);
        final Importer keeping = new Importer(db, ImportLimits.DEFAULT, TIMEOUT, store);
        final String body = """
            # HELP http_requests_total The total number of HTTP requests.
            # TYPE http_requests_total counter
            http_requests_total{code="200"} 1027 1395066363000
            # A comment that is neither.
            # TYPE temperature_celsius gauge
            temperature_celsius 21.5 1395066363000
            # HELP escaped_help Two lines:\\nsecond, a \\\\ backslash, and  two spaces.
            #   HELP   untyped_thing  Spaced out.
            # TYPE old_style untyped
            """;
        final ImportResult result = keeping.importBody("meta", Importer.Format.PROMETHEUS_TEXT, body.getBytes(StandardCharsets.UTF_8), 0,
            body.length(), 1_700_000_000_000L);
        assertThat(result.clean()).as(result.describe()).isTrue();
        assertThat(result.samples()).isEqualTo(2);
        final Map<String, List<MetricMetadataStore.Entry>> kept = store.read("meta", null, -1, -1);
        assertThat(kept).containsOnlyKeys("http_requests_total", "temperature_celsius", "escaped_help", "untyped_thing", "old_style");
        assertThat(kept.get("http_requests_total")).containsExactly(
            new MetricMetadataStore.Entry("counter", "The total number of HTTP requests.", ""));
        assertThat(kept.get("temperature_celsius")).containsExactly(new MetricMetadataStore.Entry("gauge", "", ""));
        assertThat(kept.get("escaped_help").getFirst().help()).isEqualTo("Two lines:\nsecond, a \\ backslash, and  two spaces.");
        assertThat(kept.get("escaped_help").getFirst().type()).isEqualTo("unknown");
        assertThat(kept.get("untyped_thing").getFirst().help()).isEqualTo("Spaced out.");
        assertThat(kept.get("old_style").getFirst().type()).isEqualTo("unknown");

        final String bad = "ok 1 1000\n# TYPE broken countr\n# HELP\nok 2 2000\n";
        final ImportResult refused = keeping.importBody("meta2", Importer.Format.PROMETHEUS_TEXT, bad.getBytes(StandardCharsets.UTF_8), 0,
            bad.length(), 1_700_000_000_000L);
        assertThat(refused.linesRejected()).isEqualTo(2);
        assertThat(refused.firstError()).startsWith("line 2: ").contains("unknown metric type \"countr\"");
        assertThat(refused.samples()).isEqualTo(2);
        assertThat(store.read("meta2", null, -1, -1)).isEmpty();

        final StringBuilder many = new StringBuilder();
        for (int i = 0; i <= ExpositionMetadata.MAX_FAMILIES; i++) {
            many.append("# TYPE family_").append(i).append(" gauge\n");
        }
        final MetricMetadataStore large = new MetricMetadataStore(MetricMetadataStore.DEFAULT_MAX_FAMILIES);
        final ImportResult capped = new Importer(db, ImportLimits.DEFAULT, TIMEOUT, large).importBody("meta3",
            Importer.Format.PROMETHEUS_TEXT, many.toString().getBytes(StandardCharsets.UTF_8), 0, many.length(), 1_700_000_000_000L);
        assertThat(capped.linesRejected()).isEqualTo(1);
        assertThat(capped.firstError()).contains("beyond the " + ExpositionMetadata.MAX_FAMILIES);
        assertThat(large.read("meta3", null, -1, -1)).hasSize(ExpositionMetadata.MAX_FAMILIES);
        // and the store's own bound per tenant (100 here) holds whatever the requests bring
        keeping.importBody("meta3", Importer.Format.PROMETHEUS_TEXT, many.toString().getBytes(StandardCharsets.UTF_8), 0,
            many.length(), 1_700_000_000_000L);
        assertThat(store.read("meta3", null, -1, -1)).hasSize(100);
        assertThat(store.droppedFamilies()).isEqualTo(ExpositionMetadata.MAX_FAMILIES - 100);
    }

    @Test
    void shouldRejectEachBadTextLineWithItsNumberAndStoreTheGoodOnes() throws Exception {
        final String[] bad = {
            "no_value",
            "bad_value 1.0f",
            "bad_value 0x1p3",
            "unquoted{a=b} 1",
            "dup{a=\"1\",a=\"2\"} 1",
            "fraction_ts 1 1.5",
            "junk 1 1000 more",
            "9starts_with_digit 1",
            "{a=\"1\"} 1",
            "bad_escape{a=\"\\t\"} 1",
            "unterminated{a=\"1} 1",
            "missing_comma{a=\"1\" b=\"2\"} 1",
            "nospace{a=\"1\"}1",
        };
        for (final String line : bad) {
            final String body = "good{n=\"1\"} 1 1000\n" + line + "\ngood{n=\"2\"} 2 1000\n";
            final ImportResult result = load("badtext", Importer.Format.PROMETHEUS_TEXT, body);
            assertThat(result.linesRejected()).as(line).isEqualTo(1);
            assertThat(result.firstError()).as(line).startsWith("line 2: ");
            assertThat(result.samples()).as(line).isEqualTo(2);
        }
    }

    @Test
    void shouldReportSamplesTheHeadsRefused() throws Exception {
        load("late", Importer.Format.PROMETHEUS_TEXT, "x 1 10000\ny 1 10000\n");
        db.flush();
        final ImportResult result = load("late", Importer.Format.PROMETHEUS_TEXT, "x 2 5000\nx 3 20000\ny 2 20000\ny 1 20000\n");
        assertThat(result.clean()).isFalse();
        assertThat(result.refusedOutOfBounds()).isEqualTo(1);
        assertThat(result.refusedDuplicate()).isEqualTo(1);
        assertThat(result.describe()).contains("2 samples refused");
    }

    @Test
    void shouldLeaveOutStaleMarkersAndStopAtTheSampleLimit() throws Exception {
        final var appender = db.appender("stale");
        final int id = appender.series(LabelSet.of("__name__", "s"));
        appender.append(id, 1000, 1);
        appender.append(id, 2000, Double.longBitsToDouble(0x7ff0000000000002L));
        appender.append(id, 3000, 3);
        appender.commit();
        assertThat(appender.awaitDurable(TIMEOUT)).isTrue();
        assertThat(export("stale")).isEqualTo("{\"metric\":{\"__name__\":\"s\"},\"values\":[1,3],\"timestamps\":[1000,3000]}\n");
        assertThatThrownBy(() -> JsonLinesExporter.export(db.queryable("stale"), EVERYTHING, Long.MIN_VALUE, Long.MAX_VALUE, 1,
            new ByteArrayOutputStream())).isInstanceOf(IllegalStateException.class).hasMessageContaining("more than 1 samples");
    }
}
