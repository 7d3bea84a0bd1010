package io.tidemark.server.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.client.protocol.ErrorCode;
import io.tidemark.client.protocol.RegisterFrame;
import io.tidemark.client.protocol.RegisteredFrame;
import io.tidemark.client.protocol.WriteAckFrame;
import io.tidemark.client.protocol.WriteFrame;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.server.ServerSettings;
import io.tidemark.server.SettingsParser;
import io.tidemark.server.TidemarkServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-series-per-tenant} through a running server: the binary protocol refuses the registration of a new
 * series beyond the limit with {@link ErrorCode#SERIES_LIMIT} and keeps the others, an import answers 400 saying why
 * with the rest stored, and {@code /metrics} counts the refusals per tenant.
 */
class SeriesLimitServerTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseNewSeriesBeyondTheLimitOverTcpAndImportAndCountThem() throws Exception {
        final ServerSettings settings = SettingsParser.parse(new String[] {"--http-host", "127.0.0.1", "--http-port", "0",
            "--tcp-port", "0", "--data-dir", dir.resolve("data").toString(), "--query-threads", "2",
            "--max-series-per-tenant", "2"}, Map.of());
        assertThat(settings.tidemarkConfig().maxSeriesPerTenant()).isEqualTo(2);
        try (Tidemark db = Tidemark.open(settings.tidemarkConfig().withSealCheck(0))) {
            final TidemarkServer server = TidemarkServer.serve(settings, db);
            try {
                try (RawConnection c = RawConnection.open(server.tcpPort(), "tcp-l")) {
                    new RegisterFrame(1, List.of(new RegisterFrame.Entry(0, new String[] {"__name__", "cpu", "host", "a"}),
                        new RegisterFrame.Entry(1, new String[] {"__name__", "cpu", "host", "b"}),
                        new RegisterFrame.Entry(2, new String[] {"__name__", "cpu", "host", "c"}))).encode(c.out);
                    WriteFrame.encode(c.out, 2, WriteFrame.APPLIED, new int[] {0, 1, 2}, new long[] {T0, T0, T0},
                        new double[] {1, 2, 3}, 3);
                    c.send();
                    final RegisteredFrame registered = RegisteredFrame.decode(c.next());
                    assertThat(registered.registered()).isEqualTo(2);
                    assertThat(registered.refusals()).hasSize(1);
                    final RegisteredFrame.Refusal refusal = registered.refusals().getFirst();
                    assertThat(refusal.handle()).isEqualTo(2);
                    assertThat(refusal.code()).isEqualTo(ErrorCode.SERIES_LIMIT);
                    assertThat(ErrorCode.name(refusal.code())).isEqualTo("SERIES_LIMIT");
                    assertThat(refusal.message()).isEqualTo("tenant 'tcp-l' has reached its limit of 2 series: "
                        + "new series are refused until old ones leave the head");
                    final WriteAckFrame ack = new WriteAckFrame().decode(c.next());
                    assertThat(ack.stored()).isEqualTo(2);
                    assertThat(ack.refused()).as("the refused handle is not bound").isEqualTo(1);
                }

                final HttpClient http = HttpClient.newHttpClient();
                final String lines = "{\"metric\":{\"__name__\":\"m\",\"i\":\"1\"},\"values\":[1],\"timestamps\":[" + T0 + "]}\n"
                    + "{\"metric\":{\"__name__\":\"m\",\"i\":\"2\"},\"values\":[2],\"timestamps\":[" + T0 + "]}\n"
                    + "{\"metric\":{\"__name__\":\"m\",\"i\":\"3\"},\"values\":[3],\"timestamps\":[" + T0 + "]}\n";
                final HttpResponse<String> imported = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/import"))
                    .header("X-Scope-OrgID", "imp").POST(HttpRequest.BodyPublishers.ofString(lines)).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertThat(imported.statusCode()).isEqualTo(400);
                assertThat(imported.body()).contains("line 3: tenant 'imp' has reached its limit of 2 series");
                assertThat(db.stats().tenants().stream().filter(t -> t.name().equals("imp")).findFirst().orElseThrow().series())
                    .isEqualTo(2);

                final String metrics = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("tidemark_series_limit_refused_total{tenant=\"tcp-l\"} 1")
                    .contains("tidemark_series_limit_refused_total{tenant=\"imp\"} 1");
            } finally {
                assertThat(server.shutdown()).isTrue();
            }
        }
    }
}
