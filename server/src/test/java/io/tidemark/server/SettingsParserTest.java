package io.tidemark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.engine.wal.Durability;
import io.tidemark.promql.parser.ParserOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsParserTest {
    @TempDir
    Path dir;

    @Test
    void shouldUseEmbeddedDefaultsWithoutOptions() throws Exception {
        final ServerSettings s = SettingsParser.parse(new String[0], Map.of());
        assertThat(s.dataDirectory()).isEqualTo(Path.of("./data"));
        assertThat(s.httpHost()).isEqualTo("0.0.0.0");
        assertThat(s.httpPort()).isEqualTo(9400);
        assertThat(s.tcpPort()).isEqualTo(9401);
        assertThat(s.durability()).isEqualTo(Durability.FSYNC);
        assertThat(s.blockRangeMillis()).isEqualTo(7_200_000L);
        assertThat(s.lookbackDeltaMillis()).isEqualTo(300_000L);
        assertThat(s.queryTimeoutMillis()).isEqualTo(120_000L);
        assertThat(s.maxSamples()).isEqualTo(50_000_000L);
        assertThat(s.compat()).isEqualTo(ParserOptions.Compat.PROMETHEUS3);
        assertThat(s.maxBodyBytes()).isEqualTo(32 << 20);
        assertThat(s.retentionMillis()).isZero();
        assertThat(s.maxSeriesPerTenant()).isZero();
        assertThat(s.tidemarkConfig().maxSeriesPerTenant()).as("no series limit by default").isZero();
        final int cores = Runtime.getRuntime().availableProcessors();
        assertThat(s.queryThreads()).isEqualTo(Math.max(2, cores));
        assertThat(s.writeThreads()).isEqualTo(Math.max(8, 4 * cores));
    }

    @Test
    void shouldPreferFlagOverEnvironmentOverConfigFileOverDefault() throws Exception {
        final Path config = dir.resolve("tidemark.conf");
        Files.writeString(config, """
            # comment
            http-port = 1001
            tcp-port = 2001
            shards = 3
            promql.compat = prometheus2
            """);
        final Map<String, String> env = Map.of("TIDEMARK_CONFIG", config.toString(), "TIDEMARK_HTTP_PORT", "1002",
            "TIDEMARK_TCP_PORT", "2002");
        final ServerSettings s = SettingsParser.parse(new String[] {"--http-port", "1003"}, env);
        assertThat(s.httpPort()).as("flag beats env and file").isEqualTo(1003);
        assertThat(s.tcpPort()).as("env beats file").isEqualTo(2002);
        assertThat(s.shards()).as("file beats default").isEqualTo(3);
        assertThat(s.compat()).isEqualTo(ParserOptions.Compat.PROMETHEUS2);
        assertThat(s.engineOptions().parser().compat()).isEqualTo(ParserOptions.Compat.PROMETHEUS2);
        assertThat(s.tidemarkConfig().ingest().shards()).isEqualTo(3);
        assertThat(s.retentionMillis()).as("default").isZero();
    }

    @Test
    void shouldReadEqualsFormAndConvertDurationsAndSizes() throws Exception {
        final ServerSettings s = SettingsParser.parse(new String[] {"--retention-time=15d", "--retention-size", "10GiB",
            "--http-max-body=1024", "--promql.lookback-delta=1m30s", "--durability=os-write-lost-on-power-failure",
            "--out-of-order-window", "90"}, Map.of("TIDEMARK_PROMQL_TIMEOUT", "10s", "TIDEMARK_WRITE_THREADS", "3"));
        assertThat(s.writeThreads()).isEqualTo(3);
        assertThat(s.retentionMillis()).isEqualTo(15L * 24 * 3_600_000);
        assertThat(s.retentionBytes()).isEqualTo(10L << 30);
        assertThat(s.maxBodyBytes()).isEqualTo(1024);
        assertThat(s.lookbackDeltaMillis()).isEqualTo(90_000L);
        assertThat(s.outOfOrderWindowMillis()).isEqualTo(90_000L);
        assertThat(s.queryTimeoutMillis()).isEqualTo(10_000L);
        assertThat(s.durability()).isEqualTo(Durability.OS_WRITE_LOST_ON_POWER_FAILURE);
        assertThat(s.tidemarkConfig().retentionBytes()).isEqualTo(10L << 30);
        assertThat(s.engineOptions().lookbackDelta().toMillis()).isEqualTo(90_000L);
    }

    @Test
    void shouldReadTheBinaryProtocolsLimits() throws Exception {
        final ServerSettings s = SettingsParser.parse(new String[] {"--tcp-credits", "1000", "--tcp-max-frame=4MiB",
            "--tcp-idle-timeout", "5s"}, Map.of("TIDEMARK_TCP_MAX_IN_FLIGHT", "16"));
        assertThat(s.tcpLimits().credits()).isEqualTo(1000);
        assertThat(s.tcpLimits().maxFrameBytes()).isEqualTo(4 << 20);
        assertThat(s.tcpLimits().idleTimeoutMillis()).isEqualTo(5000);
        assertThat(s.tcpLimits().maxInFlightWrites()).isEqualTo(16);
        assertThat(SettingsParser.parse(new String[0], Map.of()).tcpLimits()).isEqualTo(io.tidemark.server.tcp.TcpLimits.DEFAULT);
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--tcp-max-frame", "1KiB"}, Map.of()))
            .hasMessageContaining("tcp-max-frame").hasMessageContaining("64KiB");
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--tcp-credits", "0"}, Map.of()))
            .hasMessageContaining("tcp-credits");
    }

    @Test
    void shouldLoadApiKeysOrRefuseToStartWithABadFile(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir)
        throws Exception {
        assertThat(SettingsParser.parse(new String[0], Map.of()).apiKeys().open()).isTrue();
        assertThat(SettingsParser.parse(new String[0], Map.of()).tidemarkConfig().ingest().idle())
            .isEqualTo(io.tidemark.ingest.IngestConfig.Idle.BACKOFF);
        assertThat(SettingsParser.parse(new String[] {"--ingest-idle", "busy-spin"}, Map.of()).tidemarkConfig().ingest().idle())
            .isEqualTo(io.tidemark.ingest.IngestConfig.Idle.BUSY_SPIN);
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--ingest-idle", "nap"}, Map.of()))
            .hasMessage("invalid ingest-idle 'nap' (flag --ingest-idle): expected backoff, yield, busy-spin or sleep");
        final java.nio.file.Path keys = java.nio.file.Files.writeString(dir.resolve("keys"), "# ops\nabcdefghijklmnop-1 acme\n");
        final ServerSettings s = SettingsParser.parse(new String[0], Map.of("TIDEMARK_API_KEYS_FILE", keys.toString()));
        assertThat(s.apiKeys().open()).isFalse();
        assertThat(s.apiKeys().allows("abcdefghijklmnop-1", "acme")).isTrue();
        final java.nio.file.Path empty = java.nio.file.Files.writeString(dir.resolve("empty"), "# nothing yet\n");
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--api-keys-file", empty.toString()}, Map.of()))
            .isInstanceOf(SettingsException.class).hasMessageContaining("invalid api-keys-file").hasMessageContaining("no API key");
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--api-keys-file", dir.resolve("absent").toString()}, Map.of()))
            .isInstanceOf(SettingsException.class).hasMessageContaining("cannot be read");
    }

    @Test
    void shouldRejectUnknownOptionInOneLine() {
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--htp-port", "1"}, Map.of()))
            .isInstanceOf(SettingsException.class).hasMessage("unknown option --htp-port");
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"server"}, Map.of()))
            .isInstanceOf(SettingsException.class).hasMessageContaining("unexpected argument 'server'");
    }

    @Test
    void shouldRejectMalformedValuesNamingTheirSource() {
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--http-port", "70000"}, Map.of()))
            .hasMessage("invalid http-port '70000' (flag --http-port): must be between 0 and 65535");
        assertThatThrownBy(() -> SettingsParser.parse(new String[0], Map.of("TIDEMARK_SHARDS", "two")))
            .hasMessage("invalid shards 'two' (environment TIDEMARK_SHARDS): not an integer");
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--max-series-per-tenant", "-5"}, Map.of()))
            .hasMessageStartingWith("invalid max-series-per-tenant '-5' (flag --max-series-per-tenant)");
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--block-range", "soon"}, Map.of()))
            .hasMessageContaining("not a duration");
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--durability", "maybe"}, Map.of()))
            .hasMessageContaining("expected fsync or os-write-lost-on-power-failure");
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--http-max-body", "lots"}, Map.of()))
            .hasMessageContaining("not a size");
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--http-port"}, Map.of()))
            .hasMessage("option --http-port needs a value");
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--tcp-port", "9400"}, Map.of()))
            .hasMessage("invalid tcp-port '9400' (flag --tcp-port): must differ from http-port 9400");
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--shards", "1", "--shards", "2"}, Map.of()))
            .hasMessage("option --shards given twice");
    }

    @Test
    void shouldRejectBadConfigFileLines() throws Exception {
        final Path config = dir.resolve("bad.conf");
        Files.writeString(config, "http-port = 1\nspeed = fast\n");
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--config", config.toString()}, Map.of()))
            .hasMessage("config file " + config + " line 2: unknown option 'speed'");
        Files.writeString(config, "http-port 1\n");
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--config", config.toString()}, Map.of()))
            .hasMessageContaining("line 1: expected 'name = value'");
        assertThatThrownBy(() -> SettingsParser.parse(new String[] {"--config", dir.resolve("none").toString()},
            Map.of())).hasMessageContaining("cannot read config file");
        final Path valueFromFile = dir.resolve("port.conf");
        assertThatThrownBy(() -> {
            Files.writeString(valueFromFile, "http-port = x\n");
            SettingsParser.parse(new String[] {"--config", valueFromFile.toString()}, Map.of());
        }).hasMessage("invalid http-port 'x' (config file " + valueFromFile + "): not an integer");
    }

    @Test
    void helpShouldListEveryOptionWithItsEnvironmentVariableAndDefault() {
        final String help = SettingsParser.help();
        for (final SettingsParser.Option option : SettingsParser.OPTIONS) {
            assertThat(help).contains("--" + option.name()).contains(option.env());
        }
        assertThat(help).contains("TIDEMARK_PROMQL_COMPAT, default prometheus3").contains("default 9400");
        assertThat(SettingsParser.wantsHelp(new String[] {"--http-port", "1", "--help"})).isTrue();
        assertThat(SettingsParser.wantsHelp(new String[] {"--http-port", "1"})).isFalse();
    }
}
